"""An indicator opened: its figure, how it was made, and the questions and answers behind it.

The counts come from `fieldkit.indicators.distributions.item_distributions` (raw answers,
before reverse coding: what people said). Each question is a stacked bar on a diverging scale
with the counts written in it, and the same counts are in the table below: colour helps,
numbers and words carry the meaning.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.gui.dashboard.charts import LOW_BASE_TEXT, ui_colour
from fieldkit.indicators.distributions import OTHER, UNANSWERED
from fieldkit.indicators.summary import IndicatorFigure

# Scale points low -> high on the same diverging red -> blue scale as the bands; the middle
# point neutral. Not-scored answers grey and hatched, unanswered white.
SCALE_COLOURS = ("#B2182B", "#EF8A62", "#E4E4E4", "#67A9CF", "#2166AC")
DARK_FILLS = {"#B2182B", "#2166AC"}


@dataclass(frozen=True)
class ItemRow:
    name: str
    question: str
    reverse: bool
    counts: Mapping[str, int]


def code_colour(code: str, scale_codes: Sequence[str]) -> QBrush:
    if code in scale_codes:
        position = scale_codes.index(code) / max(1, len(scale_codes) - 1)
        return QBrush(QColor(SCALE_COLOURS[round(position * (len(SCALE_COLOURS) - 1))]))
    if code == UNANSWERED:
        return QBrush(QColor("white"))
    return QBrush(QColor("#8C8C8C"), Qt.BrushStyle.BDiagPattern)


class DistributionChart(QWidget):
    """One stacked bar per question: how many chose each answer."""

    ROW = 62

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.items: list[ItemRow] = []
        self.codes: list[str] = []
        self.scale_codes: list[str] = []
        self.labels: dict[str, str] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_items(
        self,
        items: Sequence[ItemRow],
        codes: Sequence[str],
        scale_codes: Sequence[str],
        labels: Mapping[str, str],
    ) -> None:
        self.items = list(items)
        self.codes = list(codes)
        self.scale_codes = list(scale_codes)
        self.labels = dict(labels)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(720, 40 + self.ROW * len(self.items))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), ui_colour("panel"))
        metrics = QFontMetricsF(self.font())
        width = self.width() - 16.0
        for index, item in enumerate(self.items):
            top = 6 + index * self.ROW
            painter.setPen(ui_colour("text"))
            title = f"{item.question}{'  (reverse-coded)' if item.reverse else ''}"
            title = metrics.elidedText(title, Qt.TextElideMode.ElideRight, width)
            painter.drawText(QRectF(8, top, width, 20), Qt.AlignmentFlag.AlignVCenter, title)
            total = sum(item.counts.get(code, 0) for code in self.codes) or 1
            x = 8.0
            for code in self.codes:
                count = item.counts.get(code, 0)
                if not count:
                    continue
                span = width * count / total
                rect = QRectF(x, top + 24, span, 26)
                painter.fillRect(rect, QColor("white"))
                brush = code_colour(code, self.scale_codes)
                painter.fillRect(rect, brush)
                painter.setPen(QPen(ui_colour("text"), 1))
                painter.drawRect(rect)
                dark = (
                    brush.color().name().upper() in DARK_FILLS
                    and brush.style() == Qt.BrushStyle.SolidPattern
                )
                painter.setPen(QColor("white") if dark else ui_colour("text"))
                if span > 18:
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count))
                x += span
        self._paint_legend(painter, 8 + len(self.items) * self.ROW, metrics)
        painter.end()

    def _paint_legend(self, painter: QPainter, top: float, metrics: QFontMetricsF) -> None:
        x = 8.0
        for code in self.codes:
            label = self.labels.get(code, code)
            advance = 22 + metrics.horizontalAdvance(label) + 12
            if x + advance > self.width():
                break
            swatch = QRectF(x, top + 6, 14, 14)
            painter.fillRect(swatch, QColor("white"))
            painter.fillRect(swatch, code_colour(code, self.scale_codes))
            painter.setPen(QPen(ui_colour("text"), 1))
            painter.drawRect(swatch)
            painter.drawText(
                QRectF(x + 18, top + 2, advance, 22), Qt.AlignmentFlag.AlignVCenter, label
            )
            x += advance


def figure_text(figure: IndicatorFigure, place: str) -> str:
    """The headline figure and how it was made, in words."""
    if figure.score is None:
        headline = f"No score yet for {place} (n={figure.n})."
    else:
        band = (
            LOW_BASE_TEXT if figure.low_base else (figure.band.label if figure.band else "no band")
        )
        headline = f"{place}: {figure.score:.0f} — {band}, n={figure.n}"
        if figure.ci_low is not None and figure.ci_high is not None:
            headline += f", 95% interval {figure.ci_low:.0f}–{figure.ci_high:.0f}"
    interviews = figure.interviews.mean
    parts = [
        f"interviews {'no score' if interviews is None else f'{interviews:.0f}'} "
        f"(weight {figure.weights.get('interviews', 1.0):.0%})"
    ]
    for component, value in figure.network.items():
        shown = "not available" if value is None else f"{value:.0f}"
        parts.append(f"map {component} {shown} (weight {figure.weights.get(component, 0.0):.0%})")
    how = (
        f"Interviews only: {figure.basis}."
        if figure.interviews_only
        else "Blended: " + ", ".join(parts) + "."
    )
    provenance = figure.provenance
    source = (
        f"From {len(provenance.interview_uuids)} scored interviews"
        f"{f' ({len(provenance.unscored_uuids)} left out: too few items answered)' if provenance.unscored_uuids else ''}"
        f" and {len(provenance.map_ids)} maps; framework {provenance.framework_version}."
    )
    return f"<b>{headline}</b><br>{how}<br>{source}"


class IndicatorDetail(QDialog):
    """The items behind one indicator for the chosen site and round."""

    def __init__(
        self,
        title: str,
        summary_html: str,
        items: Sequence[ItemRow],
        codes: Sequence[str],
        scale_codes: Sequence[str],
        labels: Mapping[str, str],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 620)
        heading = QLabel(title)
        heading.setObjectName("PageTitle")
        self.summary = QLabel(summary_html)
        self.summary.setWordWrap(True)
        self.chart = DistributionChart()
        self.chart.set_items(items, codes, scale_codes, labels)
        shown = [c for c in codes if c not in (OTHER,) or any(i.counts.get(c) for i in items)]
        self.table = QTableWidget(len(items), 1 + len(shown))
        self.table.setAccessibleName("Answers per question")
        self.table.setHorizontalHeaderLabels(
            ["Question", *[c if c in scale_codes else labels.get(c, c) for c in shown]]
        )
        for column, code in enumerate(shown, start=1):
            self.table.horizontalHeaderItem(column).setToolTip(labels.get(code, code))
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for row, item in enumerate(items):
            question = QTableWidgetItem(item.name)
            question.setToolTip(item.question)
            self.table.setItem(row, 0, question)
            for column, code in enumerate(shown, start=1):
                cell = QTableWidgetItem(str(item.counts.get(code, 0)))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, cell)
        self.table.resizeRowsToContents()
        rows_height = sum(self.table.rowHeight(r) for r in range(len(items)))
        self.table.setMaximumHeight(rows_height + self.table.horizontalHeader().height() + 6)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart)
        layout.addWidget(self.table)
        layout.addStretch(1)
        layout.addWidget(buttons)
