"""The interviews list: drafts and finalized, filterable by site, round, fieldworker, status.

It is the first page the window shows, so after a crash or a closed lid it offers this laptop's
newest draft at the top: one key press resumes it exactly where it stopped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore  # QtCore.Qt when rows arrive: not created before the first frame
from PySide6.QtCore import QSortFilterProxyModel, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.gui.session import Session

if TYPE_CHECKING:
    from fieldkit.store.repos.interviews import InterviewRow

COLUMNS = ("Form", "Site", "Round", "Fieldworker", "Status", "Respondent", "Updated")


def newest_draft(rows: list[InterviewRow], device: str) -> InterviewRow | None:
    """The draft to offer on launch: this laptop's most recently touched one."""
    drafts = [r for r in rows if r.status == "draft" and r.device == device]
    return max(drafts, key=lambda r: r.updated) if drafts else None


def fit_columns(table: QTableView) -> None:
    """The first column (the form's title) takes the spare width; the others fit their text,
    so titles are not cut to "Consent and ..." at 1280x720."""
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)


class ResumeBanner(QFrame):
    """Offers this laptop's newest unfinished interview, to resume exactly where it stopped."""

    resume = Signal(str)  # interview id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ResumeBanner")
        self.setStyleSheet(
            "#ResumeBanner { background: #eef1f3; border: 1px solid #d8dde0; border-radius: 6px; }"
        )
        self.offered: str | None = None
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton("Resume")
        self.button.setObjectName("Primary")
        self.button.setAccessibleName("Resume the unfinished interview")
        self.button.clicked.connect(lambda: self.offered and self.resume.emit(self.offered))
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.hide()

    def refresh(self, project) -> None:  # project: fieldkit.store.Project | None
        draft = newest_draft(project.interviews.drafts(), project.device) if project else None
        self.offered = draft.id if draft else None
        if draft is None:
            self.hide()
            return
        when = draft.updated[:16].replace("T", " ")
        self.text.setText(
            f"Unfinished interview: {draft.form_title}"
            + (f", respondent {draft.respondent_code}" if draft.respondent_code else "")
            + f" (last change {when}). Resume where you stopped?"
        )
        self.show()


class InterviewsPage(QWidget):
    """Lists interviews for the sidebar's site and round; double-click opens one."""

    openInterview = Signal(str)  # interview id

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        title = QLabel("Interviews")
        title.setObjectName("PageTitle")

        self.resume_banner = ResumeBanner()
        self.resume_banner.resume.connect(self.openInterview.emit)
        self.resume_text, self.resume_button = self.resume_banner.text, self.resume_banner.button

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
        fit_columns(self.table)
        self.table.doubleClicked.connect(self._open)
        self.empty = QLabel("No interviews here yet. Start one with “New interview” (Ctrl+N).")
        self.empty.setObjectName("Muted")

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.resume_banner)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        # At the top of its space, as addWidget(..., Qt.AlignmentFlag.AlignTop) would put it:
        # this page is in the first frame, and the `Qt` namespace costs ~20 ms to create.
        self.empty.setProperty("alignment", "AlignLeft|AlignTop")
        layout.addWidget(self.empty, 1)

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
            items[0].setData(row.id, QtCore.Qt.ItemDataRole.UserRole)
            self.model.appendRow(items)
        self.count.setText(f"{len(rows)} interview{'s' if len(rows) != 1 else ''}")
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self._offer_resume()

    def _offer_resume(self) -> None:
        self.resume_banner.refresh(self.session.project)

    def offered_draft(self) -> str | None:
        return self.resume_banner.offered

    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.index(index.row(), 0).data(QtCore.Qt.ItemDataRole.UserRole)

    def _open(self, index) -> None:
        interview_id = self.proxy.index(index.row(), 0).data(QtCore.Qt.ItemDataRole.UserRole)
        if interview_id:
            self.openInterview.emit(interview_id)
