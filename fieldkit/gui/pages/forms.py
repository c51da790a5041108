"""The forms page: the coordinator imports XLSForms (new versions kept beside old ones) and
saves any form as an .xlsx template to customise in Excel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.fieldwork import ensure_shipped_forms, import_form
from fieldkit.forms.write import write_xlsform
from fieldkit.gui.guard import guarded
from fieldkit.gui.session import Session

COLUMNS = ("Form", "Title", "Version", "Imported", "Source file")


class FormsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        title = QLabel("Forms")
        title.setObjectName("PageTitle")
        blurb = QLabel(
            "Forms are XLSForms, as in ODK and KoboToolbox. Importing a changed file keeps it as a "
            "new version; interviews stay tied to the version they were filled with."
        )
        blurb.setWordWrap(True)
        blurb.setObjectName("Muted")
        self.import_button = QPushButton("Import XLSForm…")
        self.import_button.setObjectName("Primary")
        self.template_button = QPushButton("Save as .xlsx template…")
        self.template_button.setEnabled(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.template_button)
        buttons.addStretch(1)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(COLUMNS)
        self.table = QTableView()
        self.table.setAccessibleName("Forms")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        self.import_button.clicked.connect(self.choose_and_import)
        self.template_button.clicked.connect(self.choose_and_save_template)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.template_button.setEnabled(self.selected_id() is not None)
        )
        session.projectChanged.connect(self.refresh)
        session.changed.connect(lambda kind: kind in ("forms", "all") and self.refresh())
        self.refresh()

    def refresh(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        project = self.session.project
        if project is None:
            return
        if not project.forms.list():
            guarded(self, lambda: ensure_shipped_forms(project), "Cannot load the shipped forms")
        for row in project.forms.list():
            cells = (
                row["form_id"],
                row["title"],
                row["version"] or "—",
                row["imported"][:16].replace("T", " "),
                row["source_name"],
            )
            items = [QStandardItem(str(c)) for c in cells]
            items[0].setData(row["id"], Qt.ItemDataRole.UserRole)
            self.model.appendRow(items)

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        return (
            self.model.index(index.row(), 0).data(Qt.ItemDataRole.UserRole)
            if index.isValid()
            else None
        )

    def import_file(self, path: Path) -> bool:
        """Import one file; refusals are shown with their sheet, row and column."""
        result = guarded(self, lambda: import_form(self.session.project, path), "Form not imported")
        if result is None:
            self.message.setText(f"{path.name} was not imported: see the problems listed.")
            return False
        record, created = result
        self.message.setText(
            f"Imported {record['form_id']} ({record['title']}) as a new version."
            if created
            else f"{path.name} is already imported (same file): nothing changed."
        )
        self.session.notify("forms")
        return True

    def choose_and_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import XLSForm", str(Path.home()), "XLSForms (*.xlsx *.xls *.md)"
        )
        if name:
            self.import_file(Path(name))

    def save_template(self, out: Path) -> bool:
        form_pk = self.selected_id()
        if form_pk is None or self.session.project is None:
            return False
        project = self.session.project
        written = guarded(
            self, lambda: write_xlsform(project.forms.load(form_pk), out), "Template not saved"
        )
        if written:
            self.message.setText(f"Saved {out}")
        return written is not None

    def choose_and_save_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save form as .xlsx", str(Path.home()), "Excel (*.xlsx)"
        )
        if name:
            self.save_template(Path(name if name.endswith(".xlsx") else f"{name}.xlsx"))
