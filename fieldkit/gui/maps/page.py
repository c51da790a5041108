"""The Maps page: the site and round's maps; open one, start one, or see the site network.

A new map opens with the site's roster (actors from its earlier maps) at hand, so the
participant picks known actors instead of retyping them; whatever they add joins the roster
the moment it is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.gui.guard import guarded
from fieldkit.gui.maps.editor import MapEditor
from fieldkit.gui.maps.network_view import SiteNetworkView
from fieldkit.gui.session import Session
from fieldkit.mapping.persist import load_map, new_map

COLUMNS = ("Focus question", "Site", "Round", "Fieldworker", "Actors", "Ties", "Updated")
DEFAULT_FOCUS = "Who makes things happen here, and how are they linked?"


class MapsPage(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.editor: MapEditor | None = None
        self.network_view: SiteNetworkView | None = None
        self.ask_focus: Callable[[], str | None] = self._ask_focus

        title = QLabel("Maps")
        title.setObjectName("PageTitle")
        self.new_button = QPushButton("New map")
        self.new_button.setObjectName("Primary")
        self.new_button.clicked.connect(self.new_map)
        self.open_button = QPushButton("Open")
        self.open_button.clicked.connect(self.open_selected)
        self.network_button = QPushButton("Site network")
        self.network_button.clicked.connect(self.show_network)
        self.count = QLabel()
        self.count.setObjectName("Muted")
        buttons = QHBoxLayout()
        for button in (self.new_button, self.open_button, self.network_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.count)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Maps")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.hint = QLabel()
        self.hint.setObjectName("Muted")
        self.hint.setWordWrap(True)

        listing = QWidget()
        list_layout = QVBoxLayout(listing)
        list_layout.addWidget(title)
        list_layout.addLayout(buttons)
        list_layout.addWidget(self.hint)
        list_layout.addWidget(self.table, 1)
        self.listing = listing
        self.stack = QStackedWidget()
        self.stack.addWidget(listing)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        session.projectChanged.connect(self._project_changed)
        session.filterChanged.connect(self.refresh)
        session.changed.connect(self._data_changed)
        self.refresh()

    # -- the list ---------------------------------------------------------------------------
    def refresh(self) -> None:
        project = self.session.project
        rows = []
        people: dict[str, str] = {}
        if project is not None:
            rows = project.maps.list(site=self.session.site, round=self.session.round)
            people = {r["id"]: r["name"] for r in project.fieldworkers.list()}
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (
                row["focus_question"] or row["title"] or "(no focus question)",
                row["site_name"] or "",
                row["round_name"] or "",
                people.get(row.get("fieldworker") or "", ""),
                str(row["actor_count"]),
                str(row["tie_count"]),
                (row["updated"] or "")[:16].replace("T", " "),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (4, 5):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                item.setData(Qt.ItemDataRole.UserRole, row["id"])
                self.table.setItem(r, c, item)
        self.count.setText(f"{len(rows)} map{'s' if len(rows) != 1 else ''}")
        placed = bool(project and self.session.site and self.session.round)
        self.new_button.setEnabled(placed)
        self.network_button.setEnabled(placed and bool(rows))
        self.open_button.setEnabled(bool(rows))
        if project is None:
            self.hint.setText("Open a project first.")
        elif not placed:
            self.hint.setText("Choose a site and a round in the sidebar to start a map.")
        elif not rows:
            self.hint.setText("No maps here yet: start one with the participant.")
        else:
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))

    def map_ids(self) -> list[str]:
        return [
            self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
            for r in range(self.table.rowCount())
        ]

    def _data_changed(self, kind: str) -> None:
        if kind in ("maps", "all") and self.stack.currentWidget() is self.listing:
            self.refresh()

    def _project_changed(self) -> None:
        self.show_list()

    # -- opening ------------------------------------------------------------------------------
    def open_selected(self) -> MapEditor | None:
        row = self.table.currentRow()
        if row < 0:
            return None
        return self.open_map(self.table.item(row, 0).data(Qt.ItemDataRole.UserRole))

    def open_map(self, map_id: str) -> MapEditor | None:
        project = self.session.project
        if project is None:
            return None
        the_map = guarded(self, lambda: load_map(project, map_id), "Cannot open the map")
        if the_map is None:
            return None
        roster = project.maps.roster(the_map.site) if the_map.site else []
        self._drop_views()
        editor = MapEditor(the_map, project=project, roster=roster, notify=self.session.notify)
        editor.closed.connect(self.show_list)
        self.editor = editor
        self.stack.addWidget(editor)
        self.stack.setCurrentWidget(editor)
        return editor

    def new_map(self) -> MapEditor | None:
        project = self.session.project
        if project is None:
            return None
        if not (self.session.site and self.session.round):
            guarded(
                self,
                lambda: _refuse("choose a site and a round in the sidebar first"),
                "Cannot start a map",
            )
            return None
        focus = self.ask_focus()
        if focus is None:
            return None
        the_map = guarded(
            self,
            lambda: new_map(project, self.session.site, self.session.round, focus.strip()),
            "Cannot start a map",
        )
        if the_map is None:
            return None
        self.session.notify("maps")
        return self.open_map(the_map.id)

    def show_network(self) -> SiteNetworkView | None:
        project = self.session.project
        if project is None or not (self.session.site and self.session.round):
            return None
        self._drop_views()
        view = SiteNetworkView(
            project, self.session.site, self.session.round, notify=self.session.notify
        )
        view.closed.connect(self.show_list)
        self.network_view = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)
        return view

    def show_list(self) -> None:
        self._drop_views()
        self.stack.setCurrentWidget(self.listing)
        self.refresh()

    def _drop_views(self) -> None:
        for attr in ("editor", "network_view"):
            widget = getattr(self, attr)
            if widget is not None:
                widget.shutdown()
                self.stack.removeWidget(widget)
                widget.deleteLater()
                setattr(self, attr, None)

    def _ask_focus(self) -> str | None:
        text, ok = QInputDialog.getText(self, "New map", "Focus question:", text=DEFAULT_FOCUS)
        return text if ok else None

    def shutdown(self) -> None:
        """Called by the main window on close."""
        self._drop_views()


def _refuse(message: str) -> None:
    raise FieldkitError(message)
