"""The action plan for the chosen site and round: what partners will do about weak indicators.

A list on the left, a form on the right (title, the indicators it addresses, lead sector,
partners, due date, status, notes). All checking is the store's (`project.actions`): a refusal
is shown under the form and in the guard's message box, and nothing is saved. With "All" in
the sidebar every action is listed, but adding one needs a specific site and round.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.gui.guard import show_problems
from fieldkit.gui.session import Session
from fieldkit.indicators.project_summary import project_framework
from fieldkit.vocab import ACTION_STATUS_LABELS, ACTION_STATUSES, SECTOR_LABELS, SECTORS

COLUMNS = ("Action", "Indicators", "Lead", "Due", "Status")
ALL_COLUMNS = ("Site", "Round", *COLUMNS)
DATE_FORMAT = "yyyy-MM-dd"


class DuePicker(QDialog):
    """A calendar for the due date (typing YYYY-MM-DD works too)."""

    def __init__(self, current: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Due date")
        self.calendar = QCalendarWidget()
        date = QDate.fromString(current, DATE_FORMAT)
        self.calendar.setSelectedDate(date if date.isValid() else QDate.currentDate())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.calendar.activated.connect(lambda _: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(self.calendar)
        layout.addWidget(buttons)

    def chosen(self) -> str:
        return self.calendar.selectedDate().toString(DATE_FORMAT)


class ActionsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.editing: str | None = None  # id of the action in the form; None: a new one
        self._rows: list[dict[str, Any]] = []

        title = QLabel("Action plan")
        title.setObjectName("PageTitle")
        self.place = QLabel()
        self.place.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.note = QLabel()
        self.note.setObjectName("Muted")
        self.note.setWordWrap(True)
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addSpacing(16)
        heading.addWidget(self.place)
        heading.addStretch(1)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Actions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().sectionResized.connect(
            lambda *_: self.table.resizeRowsToContents()
        )
        self.empty = QLabel("No actions yet: fill in the form and press Save.")
        self.empty.setObjectName("Muted")
        listing = QWidget()
        list_layout = QVBoxLayout(listing)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.empty)

        splitter = QSplitter()
        splitter.addWidget(listing)
        splitter.addWidget(self._build_form())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([620, 400])

        layout = QVBoxLayout(self)
        layout.addLayout(heading)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)

        self.table.itemSelectionChanged.connect(self._selected)
        session.projectChanged.connect(self._project_changed)
        session.filterChanged.connect(self.refresh)
        session.changed.connect(self._data_changed)
        self._project_changed()

    # -- building --------------------------------------------------------------------------
    def _build_form(self) -> QWidget:
        self.form_title = QLabel()
        self.form_title.setStyleSheet("font-weight: 600;")
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("What will be done")
        self.indicators = QListWidget()
        self.indicators.setAccessibleName("Indicators it addresses")
        self.indicators.setMaximumHeight(150)
        self.lead = QComboBox()
        self.lead.setAccessibleName("Lead sector")
        self.lead.addItem("—", None)
        for sector in SECTORS:
            self.lead.addItem(SECTOR_LABELS[sector], sector)
        self.partners = QLineEdit()
        self.partners.setAccessibleName("Partners")
        self.partners.setPlaceholderText("Who works on it with the lead")
        self.due = QLineEdit()
        self.due.setAccessibleName("Due date")
        self.due.setPlaceholderText("YYYY-MM-DD")
        self.pick_due = QPushButton("Pick…")
        self.pick_due.setAccessibleName("Pick due date")
        self.pick_due.clicked.connect(self.choose_due)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due, 1)
        due_row.addWidget(self.pick_due)
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        for status in ACTION_STATUSES:
            self.status.addItem(ACTION_STATUS_LABELS[status], status)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setMaximumHeight(90)
        self.error = QLabel()
        self.error.setObjectName("ErrorText")
        self.error.setWordWrap(True)

        self.new_button = QPushButton("New")
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("Primary")
        self.delete_button = QPushButton("Delete…")
        self.new_button.clicked.connect(self.new_action)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        for line in (self.title, self.partners, self.due):
            line.returnPressed.connect(self.save)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save).setContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        QShortcut(QKeySequence.StandardKey.New, self, self.new_action).setContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut
        )

        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Indicators", self.indicators)
        form.addRow("&Lead sector", self.lead)
        form.addRow("&Partners", self.partners)
        due_label = QLabel("&Due")
        due_label.setBuddy(self.due)
        form.addRow(due_label, due_row)
        form.addRow("&Status", self.status)
        form.addRow("N&otes", self.notes)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(self.form_title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return panel

    # -- refreshing ------------------------------------------------------------------------
    def _project_changed(self) -> None:
        self.indicators.clear()
        project = self.session.project
        if project is not None:
            try:
                framework = project_framework(project)
            except FieldkitError as exc:  # a broken framework file: actions still work
                self.note.setText(f"Indicators unavailable: {exc.lines()[0]}")
            else:
                for indicator in framework.indicators:
                    item = QListWidgetItem(f"{indicator.name} ({indicator.id})")
                    item.setData(Qt.ItemDataRole.UserRole, indicator.id)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Unchecked)
                    self.indicators.addItem(item)
        self.refresh()

    def _data_changed(self, kind: str) -> None:
        if kind in ("actions", "sites", "rounds", "all"):
            self.refresh()

    def _indicator_names(self) -> dict[str, str]:
        return {
            self.indicators.item(i).data(Qt.ItemDataRole.UserRole): self.indicators.item(i)
            .text()
            .rsplit(" (", 1)[0]
            for i in range(self.indicators.count())
        }

    def refresh(self) -> None:
        project = self.session.project
        site, round_ = self.session.site, self.session.round
        self._rows = project.actions.list(site, round_) if project else []
        chosen = project is not None and site is not None and round_ is not None
        if project is None:
            self.place.setText("")
            self.note.setText("Open a project to record its action plan.")
        elif chosen:
            self.place.setText(
                f"{project.sites.find(site)['name']} · {project.rounds.find(round_)['name']}"
            )
            self.note.setText("What partners will do about what the indicators show.")
        else:
            site_name = project.sites.find(site)["name"] if site else "All sites"
            round_name = project.rounds.find(round_)["name"] if round_ else "All rounds"
            self.place.setText(f"{site_name} · {round_name}")
            self.note.setText(
                "Listing every action here. Pick a site and a round in the sidebar to add one."
            )
        columns = COLUMNS if chosen else ALL_COLUMNS
        names = self._indicator_names()
        self.table.blockSignals(True)
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setRowCount(len(self._rows))
        for row, action in enumerate(self._rows):
            cells = [
                action["title"],
                ", ".join(names.get(k, k) for k in action["indicators"]) or "—",
                SECTOR_LABELS.get(action["lead_sector"] or "", "—"),
                action["due"] or "—",
                ACTION_STATUS_LABELS.get(action["status"], action["status"]),
            ]
            if not chosen:
                cells = [action["site_name"] or "—", action["round_name"] or "—", *cells]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for wide in ("Action", "Indicators"):
            header.setSectionResizeMode(columns.index(wide), QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self.table.blockSignals(False)
        self.table.setVisible(bool(self._rows))
        self.empty.setVisible(not self._rows)
        self.can_add = chosen
        keep = self.editing if any(a["id"] == self.editing for a in self._rows) else None
        if keep:
            self.select(keep)
        else:
            self.new_action()

    # -- the form --------------------------------------------------------------------------
    def select(self, action_id: str) -> None:
        for row, action in enumerate(self._rows):
            if action["id"] == action_id:
                self.table.selectRow(row)
                self._load(action)
                return

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._load(self._rows[rows[0].row()])

    def _load(self, action: dict[str, Any]) -> None:
        self.editing = action["id"]
        self.form_title.setText("Edit action")
        self.title.setText(action["title"])
        self.title.setCursorPosition(0)
        for i in range(self.indicators.count()):
            item = self.indicators.item(i)
            wanted = item.data(Qt.ItemDataRole.UserRole) in action["indicators"]
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        self.lead.setCurrentIndex(max(0, self.lead.findData(action["lead_sector"])))
        self.partners.setText(action["partners"] or "")
        self.due.setText(action["due"] or "")
        self.status.setCurrentIndex(max(0, self.status.findData(action["status"])))
        self.notes.setPlainText(action["notes"] or "")
        self.error.clear()
        self._enable()

    def new_action(self) -> None:
        self.editing = None
        self.table.clearSelection()
        self.form_title.setText("New action")
        for widget in (self.title, self.partners, self.due):
            widget.clear()
        self.notes.clear()
        for i in range(self.indicators.count()):
            self.indicators.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.lead.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        self.error.clear()
        self._enable()

    def _enable(self) -> None:
        editable = self.session.project is not None and (self.editing is not None or self.can_add)
        for widget in (
            self.title,
            self.indicators,
            self.lead,
            self.partners,
            self.due,
            self.pick_due,
            self.status,
            self.notes,
            self.save_button,
        ):
            widget.setEnabled(editable)
        self.delete_button.setEnabled(self.editing is not None)

    def fields(self) -> dict[str, Any]:
        """The form's values, as the actions repository takes them."""
        return {
            "title": self.title.text().strip(),
            "indicators": [
                self.indicators.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.indicators.count())
                if self.indicators.item(i).checkState() == Qt.CheckState.Checked
            ],
            "lead_sector": self.lead.currentData(),
            "partners": self.partners.text().strip(),
            "due": self.due.text().strip() or None,
            "status": self.status.currentData(),
            "notes": self.notes.toPlainText().strip(),
        }

    def choose_due(self) -> None:
        picker = DuePicker(self.due.text().strip(), self)
        if picker.exec() == QDialog.DialogCode.Accepted:
            self.due.setText(picker.chosen())

    def save(self) -> dict[str, Any] | None:
        project = self.session.project
        if project is None or not self.save_button.isEnabled():
            return None
        values = self.fields()
        try:
            if self.editing is None:
                title = values.pop("title")
                saved = project.actions.add(self.session.site, self.session.round, title, **values)
            else:
                saved = project.actions.update(self.editing, **values)
        except FieldkitError as exc:
            self.error.setText("\n".join(exc.lines()))
            show_problems(self, exc, "Action not saved")
            return None
        self.error.clear()
        self.editing = saved["id"]
        self.session.notify("actions")
        self.session.status.emit(f"Saved action: {saved['title']}")
        return saved

    def delete(self) -> bool:
        project = self.session.project
        if project is None or self.editing is None:
            return False
        action = next((a for a in self._rows if a["id"] == self.editing), None)
        title = action["title"] if action else "this action"
        answer = QMessageBox.question(
            self,
            "Delete action",
            f"Delete the action “{title}”? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            project.actions.delete(self.editing)
        except FieldkitError as exc:
            show_problems(self, exc, "Action not deleted")
            return False
        self.editing = None
        self.session.notify("actions")
        return True
