"""Drafts and finalized interviews: resume, discard (confirmed), finalize, edit finalized.

The newest draft of this laptop is offered at the top, so after a crash or a closed lid the
fieldworker resumes with one key press, exactly where they stopped (screen and language).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.gui.guard import guarded
from fieldkit.gui.interview.new_interview import forget_follow_up
from fieldkit.gui.pages.interviews import ResumeBanner, fit_columns
from fieldkit.gui.session import Session
from fieldkit.store.repos.interviews import InterviewRow

COLUMNS = ("Form", "Status", "Respondent", "Site", "Round", "Language", "Updated")


class DraftsPanel(QWidget):
    """The list a fieldworker starts from; the page turns its requests into runner views."""

    openRequested = Signal(str)  # interview id (resume a draft, view a finalized one)
    newRequested = Signal()
    finalizeRequested = Signal(str)
    reopenRequested = Signal(str, str)  # interview id, reason

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.confirm: Callable[[str], bool] = self._confirm
        self.ask_reason: Callable[[], str | None] = self._ask_reason
        title = QLabel("Interviews")
        title.setObjectName("PageTitle")

        self.resume_banner = ResumeBanner()
        self.resume_banner.resume.connect(self.openRequested.emit)
        self.resume_text, self.resume_button = self.resume_banner.text, self.resume_banner.button

        self.status_box = QComboBox()
        self.status_box.setAccessibleName("Show")
        for label, value in (("Drafts", "draft"), ("Finalized", "finalized"), ("All", None)):
            self.status_box.addItem(label, value)
        self.status_box.currentIndexChanged.connect(self.refresh)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(COLUMNS)
        self.table = QTableView()
        self.table.setAccessibleName("Interviews")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        fit_columns(self.table)
        self.table.doubleClicked.connect(lambda _: self._open())
        self.table.activated.connect(lambda _: self._open())
        self.empty = QLabel("No interviews here yet. Start one with “New interview” (Ctrl+N).")
        self.empty.setObjectName("Muted")

        self.new_button = QPushButton("New interview…")
        self.new_button.setObjectName("Primary")
        self.new_button.clicked.connect(self.newRequested)
        self.open_button = QPushButton("Open")
        self.open_button.clicked.connect(self._open)
        self.discard_button = QPushButton("Discard draft…")
        self.discard_button.clicked.connect(self.discard)
        self.finalize_button = QPushButton("Finalize")
        self.finalize_button.clicked.connect(self._finalize)
        self.edit_button = QPushButton("Edit finalized…")
        self.edit_button.clicked.connect(self.edit_finalized)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.status_box)
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.open_button,
            self.finalize_button,
            self.discard_button,
            self.edit_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.resume_banner)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1, Qt.AlignmentFlag.AlignTop)
        self.refresh()

    # -- contents ----------------------------------------------------------------------
    def rows(self) -> list[InterviewRow]:
        project = self.session.project
        if project is None:
            return []
        return project.interviews.list(
            site=self.session.site, round=self.session.round, status=self.status_box.currentData()
        )

    def refresh(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        rows = self.rows()
        for row in rows:
            cells = (
                row.form_title,
                "Finalized" if row.status == "finalized" else "Draft",
                row.respondent_code or "",
                row.site_name or "",
                row.round_name or "",
                (row.language or "").split("(")[0].strip(),
                row.updated[:16].replace("T", " "),
            )
            items = [QStandardItem(text) for text in cells]
            items[0].setData(row.id, Qt.ItemDataRole.UserRole)
            self.model.appendRow(items)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self._offer_resume()
        self._selection_changed()

    def _offer_resume(self) -> None:
        self.resume_banner.refresh(self.session.project)

    def offered_draft(self) -> str | None:
        return self.resume_banner.offered

    def selected(self) -> InterviewRow | None:
        index = self.table.currentIndex()
        project = self.session.project
        if not index.isValid() or project is None:
            return None
        interview_id = self.model.index(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        return guarded(self, lambda: project.interviews.get(interview_id))

    def select(self, interview_id: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data(Qt.ItemDataRole.UserRole) == interview_id:
                self.table.setCurrentIndex(self.model.index(row, 0))
                self.table.selectRow(row)
                return

    def _selection_changed(self, *args: object) -> None:
        row = self.selected() if self.table.currentIndex().isValid() else None
        draft = row is not None and row.status == "draft"
        self.open_button.setEnabled(row is not None)
        self.open_button.setText("Resume" if draft or row is None else "View")
        self.discard_button.setEnabled(draft)
        self.finalize_button.setEnabled(draft)
        self.edit_button.setEnabled(row is not None and not draft)

    # -- actions ---------------------------------------------------------------------------
    def _open(self) -> None:
        row = self.selected()
        if row is not None:
            self.openRequested.emit(row.id)

    def _finalize(self) -> None:
        row = self.selected()
        if row is not None and row.status == "draft":
            self.finalizeRequested.emit(row.id)

    def discard(self) -> None:
        row = self.selected()
        project = self.session.project
        if row is None or project is None or row.status != "draft":
            return
        if not self.confirm(
            f"Discard this draft of “{row.form_title}”? Its answers are deleted for good."
        ):
            return
        done = guarded(self, lambda: project.interviews.discard(row.id) or True, "Not discarded")
        if done:
            guarded(self, lambda: forget_follow_up(project, row.id))
            self.session.notify("interviews")
            self.refresh()

    def edit_finalized(self) -> None:
        row = self.selected()
        if row is None or row.status != "finalized":
            return
        reason = self.ask_reason()
        if reason:
            self.reopenRequested.emit(row.id, reason)

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Please confirm", question)
        return answer == QMessageBox.StandardButton.Yes

    def _ask_reason(self) -> str | None:
        text, ok = QInputDialog.getText(
            self, "Edit finalized interview", "Why does it need changing? (kept in the audit log)"
        )
        return text.strip() if ok and text.strip() else None
