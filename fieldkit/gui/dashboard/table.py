"""The indicator table: score, interval, n, band (in words), change; source and actions.

Every cell is text first (the band word, "low base", "▲ +11.9"), colour only second, so the
table reads the same printed in grey or to a screen reader. Clicking a row (or Enter) asks
for the items behind that indicator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from fieldkit.gui.dashboard.charts import LOW_BASE_TEXT
from fieldkit.gui.dashboard.data import Bar
from fieldkit.indicators.summary import Change
from fieldkit.vocab import band_colour

COLUMNS = ("Indicator", "Score", "Interval", "n", "Band", "Change")
UP, DOWN, SAME = "▲", "▼", "►"
OVERLAP_NOTE = "overlapping intervals"
APART_NOTE = "intervals apart"


@dataclass(frozen=True)
class TableRow:
    key: str
    name: str
    bar: Bar
    change: Change | None = None
    source: str = ""  # "Interviews only" / "Interviews + maps", under the name
    source_detail: str = ""  # the basis sentence, as a tooltip
    actions: int = 0


def change_text(change: Change | None) -> str:
    """▲/▼ with the delta, and whether the two rounds' intervals overlap."""
    if change is None or change.delta is None:
        return "—"
    arrow = UP if change.delta > 0.05 else DOWN if change.delta < -0.05 else SAME
    text = f"{arrow} {change.delta:+.1f}"
    if change.ci_overlap is True:
        text += f"\n{OVERLAP_NOTE}"
    elif change.ci_overlap is False:
        text += f"\n{APART_NOTE}"
    if not change.same_basis:
        text += "\nmethods differ"
    return text


def change_tooltip(change: Change | None) -> str:
    if change is None or change.delta is None:
        return "No earlier round with a score to compare."
    text = (
        f"Since {change.previous_round}: {change.previous_score:.1f} -> "
        f"{change.previous_score + change.delta:.1f}."
    )
    if change.ci_overlap:
        text += " The 95% intervals overlap, so the change may be chance."
    elif change.ci_overlap is False:
        text += " The 95% intervals do not overlap."
    if not change.same_basis:
        text += " The two rounds were blended differently (maps in one only)."
    return text


def swatch(hex_colour: str, hatched: bool) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(QColor(hex_colour))
    if hatched:
        from PySide6.QtGui import QPainter

        painter = QPainter(pixmap)
        painter.fillRect(pixmap.rect(), QBrush(QColor("#8C8C8C"), Qt.BrushStyle.BDiagPattern))
        painter.end()
    return QIcon(pixmap)


class IndicatorTable(QTableWidget):
    indicatorActivated = Signal(str)  # indicator id

    def __init__(self, parent: QWidget | None = None, columns: Sequence[str] = COLUMNS):
        super().__init__(0, len(columns), parent)
        self.columns = tuple(columns)
        self.setHorizontalHeaderLabels(self.columns)
        self.setAccessibleName("Indicators")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        # Wrapped names need their rows re-measured whenever the columns change width.
        header.sectionResized.connect(lambda *_: self.resizeRowsToContents())
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.horizontalHeaderItem(2).setToolTip("95% confidence interval (t-interval)")
        self.setToolTip("Click an indicator to see the questions behind it.")
        self.clicked.connect(self._emit)
        self.activated.connect(self._emit)
        self._keys: list[str] = []

    def _emit(self, index) -> None:
        if 0 <= index.row() < len(self._keys):
            self.indicatorActivated.emit(self._keys[index.row()])

    def key_at(self, row: int) -> str:
        return self._keys[row]

    def row_of(self, key: str) -> int:
        return self._keys.index(key)

    def cell_text(self, key: str, column: str) -> str:
        item = self.item(self.row_of(key), self.columns.index(column))
        return item.text() if item else ""

    def fill(self, rows: Sequence[TableRow]) -> None:
        self.setRowCount(0)
        self._keys = [row.key for row in rows]
        self.setRowCount(len(rows))
        for number, row in enumerate(rows):
            for column, item in self._cells(row).items():
                if column in self.columns:
                    self.setItem(number, self.columns.index(column), item)
        self.resizeRowsToContents()

    def _cells(self, row: TableRow) -> dict[str, QTableWidgetItem]:
        bar = row.bar
        muted = QBrush(QColor("#5F6B73"))
        second = [row.source.lower()] if row.source else []
        if row.actions:
            second.append(f"{row.actions} action{'s' if row.actions != 1 else ''}")
        name = QTableWidgetItem(row.name + (f"\n{' · '.join(second)}" if second else ""))
        name.setToolTip(
            f"{row.name} ({row.key}): click to see its questions and answers.\n{row.source_detail}"
        )
        score = QTableWidgetItem("—" if bar.score is None else f"{bar.score:.0f}")
        score.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if bar.ci_low is None or bar.ci_high is None:
            interval = QTableWidgetItem("—")
        else:
            interval = QTableWidgetItem(f"{bar.ci_low:.0f}–{bar.ci_high:.0f}")
        interval.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        n = QTableWidgetItem(str(bar.n))
        n.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if bar.low_base:
            band = QTableWidgetItem(f"{LOW_BASE_TEXT} (n<5)" if bar.n < 5 else LOW_BASE_TEXT)
            band.setIcon(swatch(band_colour(None), hatched=True))
            band.setForeground(muted)
            font = QFont(band.font())
            font.setItalic(True)
            band.setFont(font)
            band.setToolTip("Fewer than 5 respondents: shown with its n but not banded.")
        elif bar.band_id is None:
            band = QTableWidgetItem("no score")
            band.setForeground(muted)
        else:
            band = QTableWidgetItem(bar.band_label or bar.band_id)
            band.setIcon(swatch(band_colour(bar.band_id), hatched=False))
        change = QTableWidgetItem(change_text(row.change))
        change.setToolTip(change_tooltip(row.change))
        return {
            "Indicator": name,
            "Score": score,
            "Interval": interval,
            "n": n,
            "Band": band,
            "Change": change,
        }
