"""The Export dialog: the coordinator's choices, the export on a worker, then "Open folder".

Options are the CLI's (`fieldkit export xlsx|pdf|csv|graph`), shown only where they apply: the
PDF is for one site and round (with an optional comparison site) and never offers personal
data; labels/values and language apply to the interview tables. The export itself runs through
fieldkit.gui.tasks, so the window stays responsive, a bar appears only for work that takes a
moment, and Cancel stops the core at its next check with nothing written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.gui.exports.jobs import (
    CSV,
    GRAPH,
    KINDS,
    PDF,
    ExportOutcome,
    ExportRequest,
    check_request,
    project_languages,
    run_export,
)
from fieldkit.gui.session import Session
from fieldkit.gui.tasks import CANCELLED, DONE, ProgressPanel, Task, TaskResult

GRAPH_FORMATS = (
    ("GraphML (Gephi, yEd, networkx)", ".graphml"),
    ("GEXF (Gephi)", ".gexf"),
    ("Kumu spreadsheet (.xlsx)", ".xlsx"),
)
FILE_FILTERS = {
    ".xlsx": "Excel workbook (*.xlsx)",
    ".pdf": "PDF (*.pdf)",
    ".graphml": "GraphML (*.graphml)",
    ".gexf": "GEXF (*.gexf)",
}


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", text, flags=re.UNICODE).strip("-") or "export"


class ExportDialog(QDialog):
    """One export of one kind ("xlsx", "pdf", "csv" or "graph")."""

    def __init__(self, session: Session, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.kind = KINDS[kind]
        self.task: Task | None = None
        self.outcome: ExportOutcome | None = None
        self.result: TaskResult | None = None
        self._auto_target = True
        self.setWindowTitle(f"Export: {self.kind.title}")
        self.setMinimumWidth(660)

        title = QLabel(self.kind.title)
        title.setObjectName("PageTitle")
        blurb = QLabel(self.kind.blurb)
        blurb.setWordWrap(True)
        blurb.setObjectName("Muted")

        self.site_box = QComboBox()
        self.site_box.setAccessibleName("Site")
        self.round_box = QComboBox()
        self.round_box.setAccessibleName("Round")
        self.compare_box = QComboBox()
        self.compare_box.setAccessibleName("Compare with")
        self.labels_radio = QRadioButton("Choice labels (what people read)")
        self.values_radio = QRadioButton("Choice values (codes)")
        self.labels_radio.setChecked(True)
        shown = QButtonGroup(self)
        shown.addButton(self.labels_radio)
        shown.addButton(self.values_radio)
        shown_row = QHBoxLayout()
        shown_row.addWidget(self.labels_radio)
        shown_row.addWidget(self.values_radio)
        shown_row.addStretch(1)
        self.language_box = QComboBox()
        self.language_box.setAccessibleName("Language")
        self.format_box = QComboBox()
        self.format_box.setAccessibleName("Format")
        for text, suffix in GRAPH_FORMATS:
            self.format_box.addItem(text, suffix)
        self.personal_check = QCheckBox(
            "Include map notes (may be personal data)"
            if kind == GRAPH
            else "Include personal data (names, contacts, comments)"
        )
        self.personal_warning = QLabel(self.kind.personal_note)
        self.personal_warning.setObjectName("ErrorText")
        self.personal_warning.setWordWrap(True)
        self.personal_warning.hide()
        self.target_edit = QLineEdit()
        self.target_edit.setAccessibleName("Save to")
        self.choose_button = QPushButton("Choose…")
        self.choose_button.setAutoDefault(False)
        target_row = QHBoxLayout()
        target_row.addWidget(self.target_edit, 1)
        target_row.addWidget(self.choose_button)

        form = QFormLayout()
        form.addRow("Site", self.site_box)
        form.addRow("Round", self.round_box)
        if self.kind.needs_one_place:
            scope = QLabel("One site and one round.")
            scope.setObjectName("Muted")
            form.addRow("", scope)
        if kind == PDF:
            form.addRow("Compare with", self.compare_box)
        if self.kind.data_options:
            form.addRow("Answers as", shown_row)
            form.addRow("Language", self.language_box)
        if kind == GRAPH:
            form.addRow("Format", self.format_box)
        if self.kind.personal_data:
            form.addRow("", self.personal_check)
            form.addRow("", self.personal_warning)
        form.addRow("Save folder" if kind == CSV else "Save as", target_row)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        self.progress = ProgressPanel(self)
        self.open_button = QPushButton("Open folder")
        self.open_button.setAutoDefault(False)
        self.open_button.hide()
        self.close_button = QPushButton("Close")
        self.close_button.setAutoDefault(False)
        self.export_button = QPushButton("Export")
        self.export_button.setObjectName("Primary")
        self.export_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.export_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._inputs = (
            self.site_box,
            self.round_box,
            self.compare_box,
            self.labels_radio,
            self.values_radio,
            self.language_box,
            self.format_box,
            self.personal_check,
            self.target_edit,
            self.choose_button,
        )

        self._fill_choices()
        for box in (self.site_box, self.round_box, self.format_box):
            box.currentIndexChanged.connect(self._suggest_target)
        self.personal_check.toggled.connect(self._personal_toggled)
        self.target_edit.textEdited.connect(self._target_edited)
        self.choose_button.clicked.connect(self.choose_target)
        self.export_button.clicked.connect(self.start_export)
        self.close_button.clicked.connect(self.reject)
        self.open_button.clicked.connect(self.open_folder)
        self._suggest_target()

    def _personal_toggled(self, checked: bool) -> None:
        self.personal_warning.setVisible(checked)
        self._grow_to_fit()

    def _grow_to_fit(self) -> None:
        """Grow to the height the wrapped labels need at this width: Qt's minimum size ignores
        height-for-width, so a warning shown later would otherwise be cut off mid-line."""
        layout = self.layout()
        layout.activate()
        wanted = layout.heightForWidth(self.width())
        if wanted > self.height():
            self.resize(self.width(), wanted)

    # -- choices --------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        project = self.session.project
        sites = project.sites.list() if project else []
        rounds = project.rounds.list() if project else []
        self.site_box.addItem("All sites", None)
        self.compare_box.addItem("No comparison", None)
        for row in sites:
            self.site_box.addItem(row["name"], row["id"])
            self.compare_box.addItem(row["name"], row["id"])
        self.round_box.addItem("All rounds", None)
        for row in rounds:
            self.round_box.addItem(row["name"], row["id"])
        # Start from the sidebar's choice; a one-place export starts from a real place.
        site_index = self.site_box.findData(self.session.site)
        round_index = self.round_box.findData(self.session.round)
        if self.kind.needs_one_place:
            site_index = site_index if site_index > 0 else min(1, self.site_box.count() - 1)
            round_index = round_index if round_index > 0 else self.round_box.count() - 1
        self.site_box.setCurrentIndex(max(0, site_index))
        self.round_box.setCurrentIndex(max(0, round_index))
        self.language_box.addItem("Each form's default language", None)
        languages: list[str] = []
        if project is not None and self.kind.data_options:
            try:
                languages = project_languages(project)
            except FieldkitError:
                languages = []  # a form that cannot load is refused, located, at export time
        for lang in languages:
            self.language_box.addItem(lang, lang)

    def _suffix(self) -> str:
        return self.format_box.currentData() if self.kind.key == GRAPH else self.kind.suffix

    def _suggest_target(self) -> None:
        """A file name that says what it holds, in the last folder used (home at first)."""
        if not self._auto_target:
            return
        project = self.session.project
        current = self.target_edit.text().strip()
        folder = Path(current).parent if current else Path.home()
        parts = [
            project.slug if project else "fieldkit",
            self.site_box.currentText() if self.site_box.currentData() else "all-sites",
            self.round_box.currentText() if self.round_box.currentData() else "all-rounds",
        ]
        if self.kind.key == CSV:
            parts.append("csv")
        name = _slug("_".join(parts) + "_" + dt.date.today().isoformat()) + self._suffix()
        self.target_edit.setText(str(folder / name))

    def _target_edited(self, _text: str) -> None:
        self._auto_target = False

    def choose_target(self) -> None:
        start = self.target_edit.text().strip() or str(Path.home())
        if self.kind.key == CSV:
            name = QFileDialog.getExistingDirectory(self, "Save CSV files into", start)
        else:
            name, _ = QFileDialog.getSaveFileName(
                self, "Save as", start, FILE_FILTERS.get(self._suffix(), "")
            )
            if name and not Path(name).suffix:
                name += self._suffix()
        if name:
            self._auto_target = False
            self.target_edit.setText(name)

    def request(self) -> ExportRequest:
        """The choices as the core's request (what a test or the CLI would pass)."""
        compare = self.compare_box.currentData() if self.kind.key == PDF else None
        text = self.target_edit.text().strip()
        return ExportRequest(
            kind=self.kind.key,
            target=Path(text).expanduser() if text else None,
            site=self.site_box.currentData(),
            round=self.round_box.currentData(),
            compare=(compare,) if compare else (),
            labels=self.labels_radio.isChecked(),
            language=self.language_box.currentData() if self.kind.data_options else None,
            include_personal_data=self.kind.personal_data and self.personal_check.isChecked(),
        )

    # -- running ----------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.task is not None and self.task.running

    def start_export(self) -> Task | None:
        """Check the choices (a refusal is shown here and nothing is written), then run."""
        if self.running:
            return self.task
        project = self.session.project
        request = self.request()
        self.outcome = None
        self.result = None
        self.open_button.hide()
        try:
            check_request(project, request)
        except FieldkitError as exc:
            self._show_refusal(exc.lines())
            return None
        self.message.hide()
        self.task = Task(
            lambda progress, cancel: run_export(project, request, progress, cancel),
            f"Writing the {self.kind.title}…",
            self,
        )
        self.progress.follow(self.task)
        self.task.showProgress.connect(self._grow_to_fit)
        self.task.finished.connect(self._finished)
        self._set_busy(True)
        self.task.start()
        return self.task

    def cancel(self) -> None:
        self.progress.cancel()

    def _set_busy(self, busy: bool) -> None:
        for widget in self._inputs:
            widget.setEnabled(not busy)
        self.export_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)  # Cancel is beside the bar; Escape cancels too

    def _finished(self, result: TaskResult) -> None:
        self.result = result
        self._set_busy(False)
        if result.status == DONE:
            self.outcome = result.value
            self._show_message(
                [*self.outcome.lines, f"Saved in {self.outcome.folder}"], error=False
            )
            self.open_button.show()
            self.close_button.setFocus()
            self.session.status.emit(self.outcome.lines[0])
        elif result.status == CANCELLED:
            self._show_message(["Cancelled: nothing was written."], error=False)
        else:
            self._show_refusal(result.lines)

    def _show_refusal(self, lines: list[str]) -> None:
        if len(lines) == 1:
            self._show_message([f"Not exported: {lines[0]}"], error=True)
        else:
            self._show_message(["Not exported:", *[f"• {line}" for line in lines]], error=True)

    def _show_message(self, lines: list[str], error: bool) -> None:
        self.message.setObjectName("ErrorText" if error else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText("\n".join(lines))
        self.message.show()
        self._grow_to_fit()

    def open_folder(self) -> None:
        if self.outcome is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.outcome.folder)))

    # -- closing ----------------------------------------------------------------------------
    def reject(self) -> None:
        """Escape, Close or the window's X: while an export runs, that means Cancel."""
        if self.running:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self.running:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)
