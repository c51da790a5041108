"""The Exports page: what can leave the laptop, one line each, and a button to make it.

The page only lists the outputs and opens an ExportDialog; the dialog starts from the site and
round chosen in the sidebar, so "export what I am looking at" is one click away.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.gui.exports.dialog import ExportDialog
from fieldkit.gui.exports.jobs import CSV, GRAPH, KINDS, PDF, XLSX
from fieldkit.gui.session import Session

ORDER = (XLSX, PDF, CSV, GRAPH)


class ExportsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.dialog: ExportDialog | None = None
        self.buttons: dict[str, QPushButton] = {}
        title = QLabel("Exports")
        title.setObjectName("PageTitle")
        blurb = QLabel(
            "Packs and files for analysts and partners. Personal data (names, contacts, "
            "comments) is left out unless you ask for it; the PDF for partners never has it."
        )
        blurb.setWordWrap(True)
        blurb.setObjectName("Muted")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addSpacing(8)
        for key in ORDER:
            layout.addWidget(self._card(key))
        self.no_project = QLabel("Open or create a project to export its data.")
        self.no_project.setObjectName("Muted")
        layout.addWidget(self.no_project)
        layout.addStretch(1)
        session.projectChanged.connect(self.refresh)
        self.refresh()

    def _card(self, key: str) -> QFrame:
        kind = KINDS[key]
        card = QFrame()
        card.setObjectName("ExportCard")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        name = QLabel(kind.title)
        name.setStyleSheet("font-size: 12pt; font-weight: 600;")
        line = QLabel(kind.blurb)
        line.setWordWrap(True)
        line.setObjectName("Muted")
        text = QVBoxLayout()
        text.addWidget(name)
        text.addWidget(line)
        button = QPushButton("Export…")
        button.setAccessibleName(f"Export {kind.title}")
        button.setMinimumWidth(110)
        button.clicked.connect(lambda _=False, k=key: self.open_dialog(k))
        self.buttons[key] = button
        row = QHBoxLayout(card)
        row.addLayout(text, 1)
        row.addSpacing(16)
        row.addWidget(button)
        return card

    def refresh(self) -> None:
        has_project = self.session.project is not None
        for button in self.buttons.values():
            button.setEnabled(has_project)
        self.no_project.setVisible(not has_project)

    def open_dialog(self, key: str) -> ExportDialog:
        """Open (window-modal, not blocking) the Export dialog for one kind of output."""
        if self.dialog is not None and self.dialog.running:
            self.dialog.raise_()
            return self.dialog
        if self.dialog is not None:
            self.dialog.deleteLater()  # a finished dialog is not kept for the whole session
        self.dialog = ExportDialog(self.session, key, self)
        self.dialog.open()
        return self.dialog

    def shutdown(self) -> None:
        """The main window is closing: stop a running export and let it clean up."""
        if self.dialog is not None and self.dialog.running and self.dialog.task is not None:
            self.dialog.task.cancel()
            self.dialog.task.wait(10_000)
