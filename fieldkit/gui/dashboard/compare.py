"""Compare views: the sites side by side for one round, or one site's rounds over time.

Both are the banded bar chart with one labelled bar per site or round, so the same band words,
intervals and low-base hatching apply; the figures are the summary's, nothing is recomputed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from fieldkit.gui.dashboard.charts import BandedBarChart
from fieldkit.gui.dashboard.data import ChartRow, View, bar_from_figure

SITES, ROUNDS = "sites", "rounds"


def compare_rows(view: View, mode: str) -> tuple[list[ChartRow], list[str]]:
    """Rows per indicator with one bar per site (this round) or per round (this site)."""
    summary = view.summary
    if mode == SITES:
        series = [s for s in summary.sites if summary.get(s, view.round or "") is not None]
        entries = [summary.get(s, view.round or "") for s in series]
    else:
        series = list(summary.rounds_of(view.site)) if view.site else []
        entries = [summary.get(view.site or "", r) for r in series]
    rows = []
    for indicator in view.framework.indicators:
        bars = tuple(
            bar_from_figure(entry.indicators[indicator.id], name)
            for name, entry in zip(series, entries, strict=True)
            if entry is not None and indicator.id in entry.indicators
        )
        if bars:
            rows.append(ChartRow(indicator.id, indicator.name, bars))
    return rows, series


class CompareView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.mode = QComboBox()
        self.mode.setAccessibleName("Compare")
        self.mode.addItem("Sites side by side", SITES)
        self.mode.addItem("Rounds over time", ROUNDS)
        self.caption = QLabel()
        self.caption.setObjectName("Muted")
        self.caption.setWordWrap(True)
        self.chart = BandedBarChart()
        self.chart.setAccessibleName("Comparison chart")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        top = QHBoxLayout()
        top.addWidget(QLabel("Compare:"))
        top.addWidget(self.mode)
        top.addWidget(self.caption, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self._view: View | None = None
        self.mode.currentIndexChanged.connect(self._redraw)

    def show_view(self, view: View) -> None:
        self._view = view
        self.mode.setItemText(0, f"Sites side by side ({view.round or 'no round'})")
        self.mode.setItemText(1, f"Rounds over time ({view.site or 'no site'})")
        self._redraw()

    def _redraw(self) -> None:
        view = self._view
        if view is None:
            return
        mode = self.mode.currentData()
        rows, series = compare_rows(view, mode)
        self.chart.set_rows(rows, series, view.framework.bands)
        if mode == SITES:
            self.caption.setText(
                f"{len(series)} site(s) with figures for {view.round}. Bars: score; whiskers: "
                "95% interval. Click an indicator for its questions."
            )
        else:
            self.caption.setText(
                f"{len(series)} round(s) at {view.site}. Overlapping whiskers mean the change "
                "may be chance."
            )
