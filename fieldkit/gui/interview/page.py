"""The Interviews page of the main window: the drafts list, the new-interview flow, the runner.

One page hosts both so the main window needs a single entry: `InterviewPage(session)` for its
stack, `open_interview(id)` to show one interview, `new_interview()` for the toolbar's
"New interview" (Ctrl+N). Consent runs first; the chosen form opens when it is given (the
choice is kept in the project, so it still opens if the consent interview is resumed after a
crash).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from fieldkit.fieldwork import InterviewSession
from fieldkit.gui.guard import guarded
from fieldkit.gui.interview.drafts import DraftsPanel
from fieldkit.gui.interview.new_interview import (
    NewInterview,
    NewInterviewDialog,
    begin,
    follow_up,
    forget_follow_up,
    pending_follow_up,
    remember_follow_up,
)
from fieldkit.gui.interview.runner import InterviewRunner
from fieldkit.gui.session import Session


class InterviewPage(QWidget):
    """Drafts list <-> runner, in one stack."""

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.drafts = DraftsPanel(session)
        self.runner: InterviewRunner | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self.drafts)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._follow_ups: dict[str, NewInterview] = {}  # consent interview id -> chosen form
        self.choose = self._dialog
        self.drafts.openRequested.connect(self.open_interview)
        self.drafts.newRequested.connect(self.new_interview)
        self.drafts.finalizeRequested.connect(self.finalize_interview)
        self.drafts.reopenRequested.connect(self.reopen_interview)
        session.projectChanged.connect(self._project_changed)
        session.filterChanged.connect(self.drafts.refresh)
        session.changed.connect(
            lambda kind: kind in ("interviews", "all") and self.drafts.refresh()
        )

    # -- opening ------------------------------------------------------------------------
    def open_interview(self, interview_id: str) -> InterviewRunner | None:
        """Show one interview: a draft where it stopped, a finalized one read-only."""
        project = self.session.project
        if project is None:
            return None
        live = guarded(self, lambda: InterviewSession(project, interview_id), "Cannot open")
        if live is None:
            return None
        return self._show_runner(live)

    def _show_runner(self, live: InterviewSession) -> InterviewRunner:
        self._drop_runner()
        runner = InterviewRunner(live, notify=self.session.notify)
        runner.closed.connect(self.show_list)
        runner.finished.connect(self._finished)
        self.runner = runner
        self.stack.addWidget(runner)
        self.stack.setCurrentWidget(runner)
        runner.refocus()
        return runner

    def _drop_runner(self) -> None:
        if self.runner is not None:
            self.runner.shutdown()
            self.stack.removeWidget(self.runner)
            self.runner.deleteLater()
            self.runner = None

    def show_list(self) -> None:
        self._drop_runner()
        self.stack.setCurrentWidget(self.drafts)
        self.drafts.refresh()

    # -- new interview, consent first -------------------------------------------------------
    def _dialog(self) -> NewInterview | None:
        project = self.session.project
        if project is None:
            return None
        dialog = guarded(
            self,
            lambda: NewInterviewDialog(project, self.session.site, self.session.round, self),
        )
        if dialog is None or dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()

    def new_interview(self) -> InterviewRunner | None:
        project = self.session.project
        if project is None:
            return None
        choice = self.choose()
        if choice is None:
            return None
        live = guarded(self, lambda: begin(project, choice), "Cannot start the interview")
        if live is None:
            return None
        if live.is_consent:
            self._follow_ups[live.id] = choice
            guarded(self, lambda: remember_follow_up(project, live.id, choice))
        self.session.notify("interviews")
        return self._show_runner(live)

    def _finished(self, interview_id: str) -> None:
        """A finalized consent interview opens the chosen form, or ends with thanks."""
        runner = self.runner
        project = self.session.project
        if runner is None or project is None or not runner.session.is_consent:
            return
        choice = self._follow_ups.pop(interview_id, None) or pending_follow_up(
            project, interview_id
        )
        guarded(self, lambda: forget_follow_up(project, interview_id))
        if choice is None:
            return
        if not runner.session.consent_given():
            QMessageBox.information(
                self, "No consent", "Consent was not given: no further questions are asked."
            )
            self.show_list()
            return
        live = guarded(self, lambda: follow_up(project, runner.session, choice), "Cannot open")
        if live is not None:
            self.session.notify("interviews")
            self._show_runner(live)

    # -- from the list ----------------------------------------------------------------------
    def finalize_interview(self, interview_id: str) -> None:
        """Finalize from the list; any problem opens the interview at its review."""
        runner = self.open_interview(interview_id)
        if runner is not None and runner.finalize() and self.runner is runner:
            self.show_list()  # unless a finalized consent opened its follow-up form

    def reopen_interview(self, interview_id: str, reason: str) -> None:
        runner = self.open_interview(interview_id)
        if runner is not None:
            runner.ask_reason = lambda: reason
            runner.edit_finalized()

    def _project_changed(self) -> None:
        self.show_list()

    def shutdown(self) -> None:
        """The main window is closing: everything typed becomes durable."""
        if self.runner is not None:
            self.runner.shutdown()
