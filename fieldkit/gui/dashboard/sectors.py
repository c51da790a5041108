"""The indicators by respondent sector, with the largest perception gap highlighted.

A gap is the summary's (`IndicatorFigure.gap`: highest and lowest sector among those with at
least the low-base threshold of respondents). The two cells of a gap are marked with ▲/▼ and
bold type as well as shading, so the highlight does not depend on colour. Selecting an
indicator draws its sectors as bars.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.gui.dashboard.charts import LOW_BASE_TEXT, BandedBarChart
from fieldkit.gui.dashboard.data import ChartRow, View, bar_from_estimate
from fieldkit.vocab import SECTOR_LABELS, SECTORS

GAP_HIGH, GAP_LOW = "▲", "▼"
GAP_TINT = "#FFF1C7"
NO_GAPS = (
    "No perception gap can be shown here: a gap needs at least two respondent sectors with "
    "{threshold} or more respondents each (smaller groups are marked low base)."
)


def sector_cell(view: View, indicator_id: str, sector: str) -> tuple[str, str]:
    """(text, mark) of one indicator x sector cell; mark is GAP_HIGH/GAP_LOW/''."""
    figure = view.figure(indicator_id)
    estimate = figure.by_sector.get(sector) if figure else None
    if estimate is None or estimate.mean is None:
        return f"— (n={estimate.n if estimate else 0})", ""
    text = f"{estimate.mean:.0f} (n={estimate.n})"
    if estimate.low_base:
        text += f" {LOW_BASE_TEXT}"
    elif estimate.band:
        text += f" {estimate.band.label}"
    mark = ""
    if figure and figure.gap:
        if figure.gap.high_sector == sector:
            mark = GAP_HIGH
        elif figure.gap.low_sector == sector:
            mark = GAP_LOW
    return (f"{mark} {text}" if mark else text), mark


class SectorView(QWidget):
    indicatorActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.note = QLabel()
        self.note.setObjectName("Muted")
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 0)
        self.table.setAccessibleName("Indicators by sector")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        self.table.horizontalHeader().sectionResized.connect(
            lambda *_: self.table.resizeRowsToContents()
        )
        self.chart = BandedBarChart()
        self.chart.setAccessibleName("Selected indicator by sector")
        self.chart.empty_text = "Select an indicator to see it by sector."
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart)
        splitter.setSizes([330, 230])
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)
        self.sectors: list[str] = []
        self._keys: list[str] = []
        self._view: View | None = None
        self.table.currentCellChanged.connect(lambda row, *_: self._select(row))
        self.table.doubleClicked.connect(
            lambda index: self.indicatorActivated.emit(self._keys[index.row()])
        )

    def show_view(self, view: View) -> None:
        self._view = view
        present = set()
        if view.entry:
            for figure in view.entry.indicators.values():
                present.update(s for s, e in figure.by_sector.items() if e.n)
        self.sectors = [s for s in SECTORS if s in present]
        headers = ["Indicator", *[SECTOR_LABELS[s] for s in self.sectors], "Largest gap"]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        indicators = view.framework.indicators if view.entry else ()
        self._keys = [i.id for i in indicators]
        self.table.setRowCount(len(self._keys))
        any_gap = False
        bold = QFont(self.font())
        bold.setBold(True)
        for row, indicator in enumerate(indicators):
            self.table.setItem(row, 0, QTableWidgetItem(indicator.name))
            for column, sector in enumerate(self.sectors, start=1):
                text, mark = sector_cell(view, indicator.id, sector)
                item = QTableWidgetItem(text)
                if mark:
                    item.setFont(bold)
                    item.setBackground(QBrush(QColor(GAP_TINT)))
                    item.setToolTip("highest sector" if mark == GAP_HIGH else "lowest sector")
                elif LOW_BASE_TEXT in text:
                    item.setForeground(QBrush(QColor("#5F6B73")))
                self.table.setItem(row, column, item)
            figure = view.figure(indicator.id)
            gap = figure.gap if figure else None
            if gap is not None:
                any_gap = True
                text = (
                    f"{gap.difference:.0f} points: {SECTOR_LABELS[gap.high_sector]} "
                    f"{GAP_HIGH} vs {SECTOR_LABELS[gap.low_sector]} {GAP_LOW}"
                )
                cell = QTableWidgetItem(text)
                cell.setFont(bold)
            else:
                cell = QTableWidgetItem("—")
            self.table.setItem(row, len(headers) - 1, cell)
        self.table.resizeRowsToContents()
        threshold = view.framework.low_base
        if not view.entry:
            self.note.setText("No finalized interviews for this site and round yet.")
        elif any_gap:
            self.note.setText(
                f"{GAP_HIGH} highest and {GAP_LOW} lowest sector of the largest perception gap "
                f"per indicator (sectors with at least {threshold} respondents)."
            )
        else:
            self.note.setText(NO_GAPS.format(threshold=threshold))
        self._select(self.table.currentRow() if self.table.currentRow() >= 0 else 0)

    def _select(self, row: int) -> None:
        view = self._view
        if view is None or not (0 <= row < len(self._keys)):
            self.chart.set_rows([])
            return
        key = self._keys[row]
        figure = view.figure(key)
        if figure is None:
            self.chart.set_rows([])
            return
        bars = tuple(
            bar_from_estimate(figure.by_sector[s], SECTOR_LABELS[s])
            for s in self.sectors
            if s in figure.by_sector
        )
        self.chart.set_rows(
            [ChartRow(key, f"{figure.name} by respondent sector", bars)],
            [b.series for b in bars],
            view.framework.bands,
        )
