"""The community DNA charts, drawn with QPainter: a banded bar/strip view and a radar.

No QtCharts (not in every PySide6 wheel, and its look cannot be matched in the PDF pack).
Colours come from the shared palette (vocab.band_colour): bands on a colour-blind-safe
diverging scale, but every bar also carries its band in words and its score as a number, and
low-base bars are hatched grey and say "low base", so nothing depends on colour alone. The
charts only draw the rows they are given: all figures are computed before `set_rows`, never in
a paint event.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from fieldkit.gui.dashboard.data import Bar, ChartRow
from fieldkit.vocab import DEFAULT_BANDS, Band, band_colour, palette

SCALE_MAX = 100.0
LOW_BASE_TEXT = "low base"
TICKS = (0, 20, 40, 60, 80, 100)
# Series after the first are told apart by line style (and their names), never colour alone.
SERIES_STYLES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine)


def ui_colour(key: str) -> QColor:
    return QColor(palette()["ui"][key])


def bar_fill(bar: Bar) -> QBrush:
    """Band colour, or a grey hatch for low base / no score (not banded by the rules)."""
    if bar.low_base or bar.band_id is None:
        return QBrush(QColor("#8C8C8C"), Qt.BrushStyle.BDiagPattern)
    return QBrush(QColor(band_colour(bar.band_id)))


def value_text(bar: Bar) -> str:
    """The words beside a bar: score and band, or why it has no band."""
    if bar.score is None:
        return f"no score (n={bar.n})"
    if bar.low_base:
        return f"{bar.score:.0f}  {LOW_BASE_TEXT} (n={bar.n})"
    return f"{bar.score:.0f}  {bar.band_label or ''}".rstrip()


def band_ranges(bands: Sequence[Band]) -> list[tuple[Band, float, float]]:
    """(band, from, to) on the 0-100 scale, in ascending order."""
    ordered = sorted(bands, key=lambda b: b.lower)
    return [
        (band, band.lower, ordered[i + 1].lower if i + 1 < len(ordered) else SCALE_MAX)
        for i, band in enumerate(ordered)
    ]


def _tinted(hex_colour: str, alpha: int) -> QColor:
    colour = QColor(hex_colour)
    colour.setAlpha(alpha)
    return colour


def band_legend_items(bands: Sequence[Band]) -> list[tuple[QBrush, str]]:
    items = [
        (QBrush(QColor(band_colour(band.id))), f"{band.label} {low:.0f}–{high:.0f}")
        for band, low, high in band_ranges(bands)
    ]
    items.append((QBrush(QColor("#8C8C8C"), Qt.BrushStyle.BDiagPattern), "low base: not banded"))
    return items


def paint_legend(
    painter: QPainter, rect: QRectF, items: Sequence[tuple[QBrush, str]], font: QFont
) -> float:
    """Swatch + words, flowing onto further lines when narrow; returns the height used."""
    metrics = QFontMetricsF(font)
    line = metrics.height() + 6
    x, y = rect.left(), rect.top()
    painter.setFont(font)
    for brush, text in items:
        advance = 18 + metrics.horizontalAdvance(text) + 14
        if x > rect.left() and x + advance > rect.right():
            x, y = rect.left(), y + line
        swatch = QRectF(x, y + (line - 12) / 2, 12, 12)
        painter.fillRect(swatch, QColor("white"))
        painter.fillRect(swatch, brush)
        painter.setPen(QPen(ui_colour("text"), 1))
        painter.drawRect(swatch)
        painter.drawText(QRectF(x + 17, y, advance, line), Qt.AlignmentFlag.AlignVCenter, text)
        x += advance
    return y + line - rect.top()


def legend_height(width: float, items: Sequence[tuple[QBrush, str]], font: QFont) -> float:
    metrics = QFontMetricsF(font)
    lines, x = 1, 0.0
    for _, text in items:
        advance = 18 + metrics.horizontalAdvance(text) + 14
        if x > 0 and x + advance > width:
            lines, x = lines + 1, 0.0
        x += advance
    return lines * (metrics.height() + 6)


class _Chart(QWidget):
    """Shared state of both charts: rows, series names, bands, click-to-open."""

    indicatorClicked = Signal(str)  # indicator id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[ChartRow] = []
        self.series: list[str] = []
        self.bands: tuple[Band, ...] = DEFAULT_BANDS
        self.empty_text = "No figures for this site and round yet."
        self._hits: list[tuple[QRectF, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    def set_rows(
        self,
        rows: Sequence[ChartRow],
        series: Sequence[str] = ("",),
        bands: Sequence[Band] = DEFAULT_BANDS,
    ) -> None:
        self.rows = list(rows)
        self.series = list(series)
        self.bands = tuple(bands)
        self.setAccessibleDescription(self.describe())
        self.updateGeometry()
        self.update()

    def describe(self) -> str:
        """The chart in words (screen readers, tooltips, tests)."""
        lines = []
        for row in self.rows:
            parts = [
                f"{bar.series + ': ' if bar.series else ''}{value_text(bar)}" for bar in row.bars
            ]
            lines.append(f"{row.label}: {'; '.join(parts)}")
        return "\n".join(lines)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        point = event.position()
        for rect, key in self._hits:
            if rect.contains(point):
                self.indicatorClicked.emit(key)
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        over = any(rect.contains(event.position()) for rect, _ in self._hits)
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def _paint_empty(self, painter: QPainter) -> None:
        painter.setPen(ui_colour("muted"))
        painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, self.empty_text)


class BandedBarChart(_Chart):
    """Horizontal bars on band-tinted strips, with 95 % interval whiskers and words beside.

    One series: the indicator names on the left. Several (sites, rounds, sectors): each
    indicator gets a heading line and one labelled bar per series.
    """

    LABEL_WIDTH = 200
    SERIES_WIDTH = 120
    TOP = 30
    BOTTOM = 26

    def _multi(self) -> bool:
        return len(self.series) > 1

    def _group_height(self) -> float:
        bars = max(1, len(self.series))
        return 20 + bars * 22 + 6 if self._multi() else 38

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        height = self.TOP + self.BOTTOM + 48 + len(self.rows) * self._group_height()
        return QSize(640, int(max(240, height)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        rows = max(1, len(self.rows))
        per_row = self._group_height() if self._multi() else 30
        return QSize(380, int(self.TOP + self.BOTTOM + 48 + rows * per_row))

    def _value_width(self) -> float:
        metrics = QFontMetricsF(self.font())
        texts = [value_text(bar) for row in self.rows for bar in row.bars]
        return 24 + max((metrics.horizontalAdvance(t) for t in texts), default=60)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), ui_colour("panel"))
        self._hits = []
        if not self.rows:
            self._paint_empty(painter)
            return
        width, height = float(self.width()), float(self.height())
        legend = band_legend_items(self.bands)
        legend_space = legend_height(width - 16, legend, self.font())
        left = self.SERIES_WIDTH if self._multi() else min(self.LABEL_WIDTH, width * 0.3)
        value_width = self._value_width()
        x0, x1 = left + 10, width - value_width - 14
        top, bottom = float(self.TOP), height - self.BOTTOM - legend_space

        def x(score: float) -> float:
            return x0 + (x1 - x0) * max(0.0, min(SCALE_MAX, score)) / SCALE_MAX

        self._paint_bands(painter, x, top, bottom)
        self._paint_ticks(painter, x, bottom)
        paint_legend(
            painter,
            QRectF(8, height - legend_space - 2, width - 16, legend_space),
            legend,
            self.font(),
        )
        group = (bottom - top) / len(self.rows)
        for index, row in enumerate(self.rows):
            y = top + index * group
            self._paint_row(painter, row, x, left, y, group, width, value_width)
        painter.end()

    def _paint_bands(self, painter: QPainter, x, top: float, bottom: float) -> None:
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        for band, low, high in band_ranges(self.bands):
            zone = QRectF(x(low), top, x(high) - x(low), bottom - top)
            painter.fillRect(zone, _tinted(band_colour(band.id), 38))
            painter.setPen(QPen(QColor(band_colour(band.id)), 1, Qt.PenStyle.DashLine))
            if low > 0:
                painter.drawLine(QPointF(x(low), top - 4), QPointF(x(low), bottom))
            header = QRectF(x(low), 2, x(high) - x(low), top - 6)
            painter.setPen(ui_colour("text"))
            if QFontMetricsF(font).horizontalAdvance(band.label) <= header.width() - 2:
                painter.drawText(header, Qt.AlignmentFlag.AlignCenter, band.label)
        painter.setFont(self.font())

    def _paint_ticks(self, painter: QPainter, x, bottom: float) -> None:
        painter.setPen(QPen(ui_colour("muted"), 1))
        painter.drawLine(QPointF(x(0), bottom), QPointF(x(SCALE_MAX), bottom))
        for tick in TICKS:
            painter.drawLine(QPointF(x(tick), bottom), QPointF(x(tick), bottom + 4))
            painter.drawText(
                QRectF(x(tick) - 20, bottom + 4, 40, self.BOTTOM - 4),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                str(tick),
            )

    def _paint_row(
        self,
        painter: QPainter,
        row: ChartRow,
        x,
        left: float,
        y: float,
        group: float,
        width: float,
        value_width: float,
    ) -> None:
        text_flags = Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        if self._multi():
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(ui_colour("text"))
            heading = QRectF(6, y + 2, width - 12, 18)
            painter.drawText(
                heading, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, row.label
            )
            painter.setFont(self.font())
            slot = (group - 24) / max(1, len(row.bars))
            first = y + 22
        else:
            painter.setPen(ui_colour("text"))
            label = QRectF(6, y, left - 6, group)
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | text_flags, row.label)
            slot, first = group, y
        self._hits.append((QRectF(0, y, width, group), row.key))
        thickness = max(6.0, min(18.0, slot - 10))
        for number, bar in enumerate(row.bars):
            middle = first + number * slot + slot / 2
            if self._multi():
                painter.setPen(ui_colour("muted"))
                painter.drawText(
                    QRectF(6, middle - slot / 2, left - 6, slot),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    bar.series,
                )
            self._paint_bar(painter, bar, x, middle, thickness, width, value_width)

    def _paint_bar(
        self,
        painter: QPainter,
        bar: Bar,
        x,
        middle: float,
        thickness: float,
        width: float,
        value_width: float,
    ) -> None:
        if bar.score is not None:
            rect = QRectF(x(0), middle - thickness / 2, x(bar.score) - x(0), thickness)
            if bar.low_base or bar.band_id is None:
                painter.fillRect(rect, QColor(band_colour(None)))
            painter.fillRect(rect, bar_fill(bar))
            painter.setPen(QPen(ui_colour("text"), 1))
            painter.drawRect(rect)
        if bar.ci_low is not None and bar.ci_high is not None:
            low, high = x(bar.ci_low), x(bar.ci_high)
            cap = thickness / 2 + 2
            painter.setPen(QPen(ui_colour("text"), 1.6))
            painter.drawLine(QPointF(low, middle), QPointF(high, middle))
            painter.drawLine(QPointF(low, middle - cap), QPointF(low, middle + cap))
            painter.drawLine(QPointF(high, middle - cap), QPointF(high, middle + cap))
        value = QRectF(width - value_width, middle - 11, value_width - 4, 22)
        swatch = QRectF(value.left(), middle - 6, 12, 12)
        painter.fillRect(swatch, QColor(band_colour(None)) if bar.low_base else QColor("white"))
        painter.fillRect(swatch, bar_fill(bar))
        painter.setPen(QPen(ui_colour("text"), 1))
        painter.drawRect(swatch)
        painter.setPen(ui_colour("muted") if bar.low_base else ui_colour("text"))
        painter.drawText(
            value.adjusted(18, 0, 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            value_text(bar),
        )


class RadarChart(_Chart):
    """The ten indicators round a circle, band rings behind, one outline per series.

    The first series is solid with band-coloured points; further series (e.g. the previous
    round) are dashed and named in the legend. Each axis label carries the score in numbers.
    """

    LABEL_BOX = QSize(120, 56)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(560, 520)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(420, 400)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), ui_colour("panel"))
        self._hits = []
        if not self.rows:
            self._paint_empty(painter)
            return
        legend = self._legend_items()
        legend_space = legend_height(self.width() - 16, legend, self.font())
        area = QRectF(self.rect()).adjusted(8, 8, -8, -8 - legend_space)
        count = len(self.rows)
        radius = self._radius(area, count)
        centre = area.center()

        def point(index: int, score: float) -> QPointF:
            angle = -math.pi / 2 + 2 * math.pi * index / count
            r = radius * max(0.0, min(SCALE_MAX, score)) / SCALE_MAX
            return QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle))

        self._paint_rings(painter, centre, radius)
        painter.setPen(QPen(QColor("#C9CED2"), 1))
        for index in range(count):
            painter.drawLine(centre, point(index, SCALE_MAX))
        for number in reversed(range(len(self.series))):
            self._paint_series(painter, number, point)
        self._paint_labels(painter, centre, radius)
        legend_rect = QRectF(8, self.height() - legend_space - 4, self.width() - 16, legend_space)
        paint_legend(painter, legend_rect, legend, self.font())
        painter.end()

    def _paint_rings(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        # Outermost first: each inner disc covers the middle of the one before, leaving rings.
        painter.setPen(Qt.PenStyle.NoPen)
        for band, _, high in reversed(band_ranges(self.bands)):
            outer = radius * high / SCALE_MAX
            painter.setBrush(ui_colour("panel"))
            painter.drawEllipse(centre, outer, outer)
            painter.setBrush(_tinted(band_colour(band.id), 45))
            painter.drawEllipse(centre, outer, outer)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # Ring values between the first two axes, where no point sits.
        angle = -math.pi / 2 + math.pi / max(3, len(self.rows))
        for _band, low, _ in band_ranges(self.bands):
            if low <= 0:
                continue
            r = radius * low / SCALE_MAX
            painter.setPen(QPen(QColor("#B7BDC2"), 1, Qt.PenStyle.DotLine))
            painter.drawEllipse(centre, r, r)
            spot = QPointF(centre.x() + r * math.cos(angle), centre.y() + r * math.sin(angle))
            painter.setPen(ui_colour("muted"))
            painter.drawText(
                QRectF(spot.x() - 12, spot.y() - 8, 24, 16),
                Qt.AlignmentFlag.AlignCenter,
                f"{low:.0f}",
            )

    def _paint_series(self, painter: QPainter, number: int, point) -> None:
        polygon = QPolygonF()
        scored = []
        for index, row in enumerate(self.rows):
            bar = row.bars[number] if number < len(row.bars) else None
            if bar is not None and bar.score is not None:
                polygon.append(point(index, bar.score))
                scored.append((index, bar))
        if not scored:
            return
        style = SERIES_STYLES[min(number, len(SERIES_STYLES) - 1)]
        colour = ui_colour("text") if number == 0 else ui_colour("muted")
        painter.setPen(QPen(colour, 2.2 if number == 0 else 1.6, style))
        fill = ui_colour("accent")
        fill.setAlpha(40 if number == 0 else 0)
        painter.setBrush(fill)
        painter.drawPolygon(polygon)
        if number > 0:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            return
        for index, bar in scored:
            centre = point(index, bar.score)
            painter.setPen(QPen(ui_colour("text"), 1.2))
            if bar.low_base or bar.band_id is None:
                painter.setBrush(QColor("white"))  # hollow: not banded
            else:
                painter.setBrush(QColor(band_colour(bar.band_id)))
            painter.drawEllipse(centre, 5.5, 5.5)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    @classmethod
    def _label_size(cls, cos: float) -> QSize:
        """Labels near the top and bottom may be a little wider: they do not push the circle in."""
        return QSize(int(cls.LABEL_BOX.width() + (1 - abs(cos)) * 10), cls.LABEL_BOX.height())

    def _radius(self, area: QRectF, count: int) -> float:
        """The largest radius for which every axis label stays inside the area."""
        radius = min(area.width(), area.height()) / 2
        for index in range(count):
            angle = -math.pi / 2 + 2 * math.pi * index / count
            cos, sin = math.cos(angle), math.sin(angle)
            box = self._label_size(cos)
            if abs(cos) >= 0.2:
                radius = min(radius, (area.width() / 2 - box.width()) / abs(cos) - 8)
                radius = min(
                    radius, (area.height() / 2 - box.height() / 2) / max(abs(sin), 0.01) - 8
                )
            else:
                radius = min(radius, (area.height() / 2 - box.height()) / abs(sin) - 8)
        return max(40.0, radius)

    def _paint_labels(self, painter: QPainter, centre: QPointF, radius: float) -> None:
        count = len(self.rows)
        for index, row in enumerate(self.rows):
            angle = -math.pi / 2 + 2 * math.pi * index / count
            cos, sin = math.cos(angle), math.sin(angle)
            box = self._label_size(cos)
            anchor = QPointF(centre.x() + (radius + 8) * cos, centre.y() + (radius + 8) * sin)
            w, h = box.width(), box.height()
            if abs(cos) < 0.2:  # top or bottom: centred above / below the axis end
                rect = QRectF(anchor.x() - w / 2, anchor.y() - h if sin < 0 else anchor.y(), w, h)
                horizontal = Qt.AlignmentFlag.AlignHCenter
                vertical = Qt.AlignmentFlag.AlignBottom if sin < 0 else Qt.AlignmentFlag.AlignTop
            else:  # sides: beside the axis end, centred on it
                rect = QRectF(anchor.x() if cos > 0 else anchor.x() - w, anchor.y() - h / 2, w, h)
                horizontal = Qt.AlignmentFlag.AlignLeft if cos > 0 else Qt.AlignmentFlag.AlignRight
                vertical = Qt.AlignmentFlag.AlignVCenter
            first = row.bars[0] if row.bars else None
            score = "" if first is None else value_text(first)
            painter.setPen(ui_colour("text"))
            metrics = QFontMetricsF(self.font())
            name = metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, box.width() * 2 - 12)
            painter.drawText(
                rect, horizontal | vertical | Qt.TextFlag.TextWordWrap, f"{name}\n{score}"
            )
            self._hits.append((rect, row.key))

    def _legend_items(self) -> list[tuple[QBrush, str]]:
        """Series (solid, dashed) and bands; low-base points are hollow."""
        items: list[tuple[QBrush, str]] = []
        for number, name in enumerate(self.series):
            if name:
                style = "solid" if number == 0 else "dashed"
                items.append(
                    (QBrush(ui_colour("text" if number == 0 else "muted")), f"{name} ({style})")
                )
        items.extend(band_legend_items(self.bands)[:-1])
        items.append((QBrush(QColor("white")), "hollow point: low base, not banded"))
        return items
