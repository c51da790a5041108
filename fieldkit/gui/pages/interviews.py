"""The interviews list: drafts and finalized, filterable by site, round, fieldworker, status."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.gui.session import Session

COLUMNS = ("Form", "Site", "Round", "Fieldworker", "Status", "Respondent", "Updated")


class InterviewsPage(QWidget):
    """Lists interviews for the sidebar's site and round; double-click opens one."""

    openInterview = Signal(str)  # interview id

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        title = QLabel("Interviews")
        title.setObjectName("PageTitle")

        self.fieldworker = QComboBox()
        self.fieldworker.setAccessibleName("Filter by fieldworker")
        self.status = QComboBox()
        self.status.setAccessibleName("Filter by status")
        for label, value in (
            ("All statuses", None),
            ("Drafts", "draft"),
            ("Finalized", "finalized"),
        ):
            self.status.addItem(label, value)
        self.count = QLabel()
        self.count.setObjectName("Muted")

        filters = QHBoxLayout()
        filters.addWidget(QLabel("Fieldworker:"))
        filters.addWidget(self.fieldworker)
        filters.addWidget(QLabel("Status:"))
        filters.addWidget(self.status)
        filters.addStretch(1)
        filters.addWidget(self.count)

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(COLUMNS)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setAccessibleName("Interviews")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._open)
        self.empty = QLabel("No interviews here yet.")
        self.empty.setObjectName("Muted")

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1, Qt.AlignmentFlag.AlignTop)

        self.fieldworker.currentIndexChanged.connect(self.refresh)
        self.status.currentIndexChanged.connect(self.refresh)
        session.projectChanged.connect(self._reload_filters)
        session.filterChanged.connect(self.refresh)
        session.changed.connect(lambda kind: kind in ("interviews", "all") and self.refresh())
        self._reload_filters()

    def _reload_filters(self) -> None:
        self.fieldworker.blockSignals(True)
        self.fieldworker.clear()
        self.fieldworker.addItem("Everyone", None)
        if self.session.project:
            for row in self.session.project.fieldworkers.list():
                self.fieldworker.addItem(row["name"], row["id"])
        self.fieldworker.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        project = self.session.project
        rows = []
        if project is not None:
            rows = project.interviews.list(
                site=self.session.site,
                round=self.session.round,
                fieldworker=self.fieldworker.currentData(),
                status=self.status.currentData(),
            )
        for row in rows:
            cells = (
                row.form_title,
                row.site_name or "",
                row.round_name or "",
                row.fieldworker_name or "",
                "Finalized" if row.status == "finalized" else "Draft",
                row.respondent_code or "",
                row.updated[:16].replace("T", " "),
            )
            items = [QStandardItem(text) for text in cells]
            items[0].setData(row.id, Qt.ItemDataRole.UserRole)
            self.model.appendRow(items)
        self.count.setText(f"{len(rows)} interview{'s' if len(rows) != 1 else ''}")
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.index(index.row(), 0).data(Qt.ItemDataRole.UserRole)

    def _open(self, index) -> None:
        interview_id = self.proxy.index(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        if interview_id:
            self.openInterview.emit(interview_id)
