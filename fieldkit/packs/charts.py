"""The PDF's pictures, drawn with reportlab's own graphics: radar, banded bars, network.

Every colour comes from the one palette (fieldkit.vocab); nothing relies on colour alone: bands
are named in words beside each bar and in the radar's rings, sectors and tie types have a
legend, brokers and single points of failure have their own marks as well as a list.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.charts.spider import SpiderChart
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from fieldkit import vocab
from fieldkit.packs.fonts import BOLD, REGULAR, register_fonts

SCALE_MAX = 100.0
# Series colours for a comparison of sites (Okabe-Ito, in an order that stays distinct).
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def new_drawing(width: float, height: float) -> Drawing:
    """A drawing whose text starts in DejaVu (reportlab's default, Helvetica, is not embedded
    and knows only Latin-1)."""
    register_fonts()
    drawing = Drawing(width, height)
    drawing.initialFontName = REGULAR
    return drawing


def colour(hex_colour: str, alpha: float | None = None) -> colors.Color:
    c = colors.HexColor(hex_colour)
    if alpha is not None:
        c = colors.Color(c.red, c.green, c.blue, alpha=alpha)
    return c


def tint(hex_colour: str, amount: float) -> colors.Color:
    """The colour mixed with white (amount 0: white, 1: the colour): opaque pale band fills."""
    c = colors.HexColor(hex_colour)
    return colors.Color(
        1 - (1 - c.red) * amount, 1 - (1 - c.green) * amount, 1 - (1 - c.blue) * amount
    )


@dataclass(frozen=True)
class Bar:
    """One indicator's figure for the banded bars and the radar."""

    label: str
    score: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    band_id: str | None
    band_label: str  # the band in words, or "Low base" / "No score"
    low_base: bool


class _FixedScaleSpider(SpiderChart):
    """reportlab's spider chart on a fixed 0-100 scale (it would otherwise scale to the max)."""

    def normalizeData(self, outer: float = 0.0) -> list[list[float]]:  # noqa: N802
        self._norm = SCALE_MAX
        return [[max(0.0, min(SCALE_MAX, e)) / SCALE_MAX for e in row] for row in self.data]


def radar_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    width: float = 440,
    height: float = 330,
) -> Drawing:
    """The community DNA as a radar: one strand per site, the bands as named rings behind it."""
    drawing = new_drawing(width, height)
    n = len(labels)
    if n < 3 or not series:
        drawing.add(
            String(
                10,
                height / 2,
                "Not enough indicators for a radar chart.",
                fontName=REGULAR,
                fontSize=10,
            )
        )
        return drawing
    legend_h = 16 * len(series) if len(series) > 1 else 0
    legend_h += 16  # the bands, named
    size = min(width - 190, height - 50 - legend_h)
    cx, cy = width / 2, (height + legend_h) / 2
    radius = size / 2
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]

    def ring(value: float) -> list[float]:
        r = radius * value / SCALE_MAX
        points: list[float] = []
        for a in angles:
            points += [cx + r * math.cos(a), cy + r * math.sin(a)]
        return points

    bands = list(vocab.DEFAULT_BANDS)
    for i in range(len(bands) - 1, -1, -1):
        outer = SCALE_MAX if i == len(bands) - 1 else bands[i + 1].lower
        drawing.add(
            Polygon(
                ring(outer),
                fillColor=tint(vocab.band_colour(bands[i].id), 0.22),
                strokeColor=colors.white,
                strokeWidth=0.8,
            )
        )
    for band in bands[1:]:
        x, y = cx + 3, cy + radius * band.lower / SCALE_MAX + 1
        drawing.add(
            String(
                x, y, f"{band.lower:g}", fontName=REGULAR, fontSize=6, fillColor=colour("#5F6B73")
            )
        )
    spider = _FixedScaleSpider()
    spider.x, spider.y = cx - radius, cy - radius
    spider.width = spider.height = 2 * radius
    spider.data = [[0.0 if v is None else float(v) for v in values] for _, values in series]
    spider.labels = [""] * n
    spider.spokes.strokeColor = colour("#FFFFFF")
    spider.spokes.strokeWidth = 0.5
    for i, _ in enumerate(series):
        c = colour(SERIES_COLOURS[i % len(SERIES_COLOURS)])
        spider.strands[i].strokeColor = c
        spider.strands[i].fillColor = colour(SERIES_COLOURS[i % len(SERIES_COLOURS)], 0.12)
        spider.strands[i].strokeWidth = 2
        spider.strands[i].symbol = "FilledCircle"
        spider.strands[i].symbolSize = 5
    drawing.add(spider)
    for label, a in zip(labels, angles, strict=True):
        x = cx + (radius + 8) * math.cos(a)
        y = cy + (radius + 8) * math.sin(a) - 3
        anchor = "middle" if abs(math.cos(a)) < 0.2 else ("start" if math.cos(a) > 0 else "end")
        if math.sin(a) > 0.9:
            y += 3
        for k, line in enumerate(_wrap(label, 22)):
            drawing.add(
                String(
                    x,
                    y - 9 * k,
                    line,
                    fontName=REGULAR,
                    fontSize=7.5,
                    textAnchor=anchor,
                    fillColor=colour("#1A1A1A"),
                )
            )
    x = 10
    for i, band in enumerate(bands):
        upper = f"{bands[i + 1].lower:g}" if i + 1 < len(bands) else "100"
        label = f"{band.label} ({band.lower:g}-{upper})"
        drawing.add(
            Rect(
                x,
                legend_h - 12,
                10,
                9,
                strokeColor=None,
                fillColor=tint(vocab.band_colour(band.id), 0.5),
            )
        )
        drawing.add(String(x + 14, legend_h - 11, label, fontName=REGULAR, fontSize=7.5))
        x += 30 + stringWidth(label, REGULAR, 7.5)
    if len(series) > 1:
        for i, (name, _) in enumerate(series):
            y = 6 + 16 * (len(series) - 1 - i)
            drawing.add(
                Line(
                    10,
                    y + 3,
                    30,
                    y + 3,
                    strokeWidth=2.5,
                    strokeColor=colour(SERIES_COLOURS[i % len(SERIES_COLOURS)]),
                )
            )
            drawing.add(String(36, y, name, fontName=REGULAR, fontSize=8))
    return drawing


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def banded_bars(bars: Sequence[Bar], width: float = 480) -> Drawing:
    """One bar per indicator on the 0-100 scale over the band zones, the band named in words.

    The whisker is the 95 % interval; a low-base figure is drawn hollow and labelled so.
    """
    row_h, top, label_w, value_w = 22, 34, 150, 108
    height = top + row_h * len(bars) + 22
    drawing = new_drawing(width, height)
    x0, x1 = label_w, width - value_w
    span = x1 - x0

    def x_of(value: float) -> float:
        return x0 + span * max(0.0, min(SCALE_MAX, value)) / SCALE_MAX

    bands = list(vocab.DEFAULT_BANDS)
    body_top = height - top
    body_bottom = body_top - row_h * len(bars)
    for i, band in enumerate(bands):
        upper = SCALE_MAX if i == len(bands) - 1 else bands[i + 1].lower
        drawing.add(
            Rect(
                x_of(band.lower),
                body_bottom,
                x_of(upper) - x_of(band.lower),
                body_top - body_bottom,
                fillColor=tint(vocab.band_colour(band.id), 0.16),
                strokeColor=None,
            )
        )
        stagger = 11 if i % 2 else 20  # neighbouring narrow bands never print over each other
        drawing.add(
            String(
                (x_of(band.lower) + x_of(upper)) / 2,
                body_top + stagger,
                band.label,
                fontName=BOLD,
                fontSize=7.5,
                textAnchor="middle",
                fillColor=colour(vocab.band_colour(band.id)),
            )
        )
        drawing.add(
            String(
                x_of(band.lower),
                body_top + 3,
                f"{band.lower:g}",
                fontName=REGULAR,
                fontSize=6,
                textAnchor="middle",
                fillColor=colour("#5F6B73"),
            )
        )
    drawing.add(
        String(
            x1,
            body_top + 3,
            "100",
            fontName=REGULAR,
            fontSize=6,
            textAnchor="middle",
            fillColor=colour("#5F6B73"),
        )
    )
    for i, bar in enumerate(bars):
        y = body_top - row_h * (i + 1) + 5
        lines = _wrap(bar.label, 30)[:2]
        for k, line in enumerate(lines):
            offset = 2 if len(lines) == 1 else 6.5 - 8.5 * k
            drawing.add(
                String(x0 - 6, y + offset, line, fontName=REGULAR, fontSize=7.5, textAnchor="end")
            )
        if bar.score is None:
            drawing.add(
                String(
                    x0 + 4,
                    y + 2,
                    "no score",
                    fontName=REGULAR,
                    fontSize=7.5,
                    fillColor=colour("#5F6B73"),
                )
            )
            continue
        fill = vocab.band_colour(bar.band_id if not bar.low_base else "low_base")
        drawing.add(
            Rect(
                x0,
                y,
                x_of(bar.score) - x0,
                row_h - 10,
                fillColor=None if bar.low_base else colour(fill),
                strokeColor=colour("#5F6B73") if bar.low_base else None,
                strokeDashArray=[2, 2] if bar.low_base else None,
                strokeWidth=0.8,
            )
        )
        if bar.ci_low is not None and bar.ci_high is not None:
            mid = y + (row_h - 10) / 2
            drawing.add(
                Line(
                    x_of(bar.ci_low),
                    mid,
                    x_of(bar.ci_high),
                    mid,
                    strokeColor=colour("#1A1A1A"),
                    strokeWidth=0.9,
                )
            )
            for end in (bar.ci_low, bar.ci_high):
                drawing.add(
                    Line(
                        x_of(end),
                        mid - 3,
                        x_of(end),
                        mid + 3,
                        strokeColor=colour("#1A1A1A"),
                        strokeWidth=0.9,
                    )
                )
        words = f"{bar.score:.0f}  {bar.band_label}"
        if bar.low_base:
            words = f"{bar.score:.0f}  Low base (n={bar.n})"
        drawing.add(
            String(
                x1 + 6,
                y + 2,
                words,
                fontName=BOLD if not bar.low_base else REGULAR,
                fontSize=8,
                fillColor=colour("#1A1A1A"),
            )
        )
    drawing.add(
        String(
            x0,
            4,
            "Bars: score (0-100). Whiskers: 95% confidence interval. "
            "Dashed outline: low base, not banded.",
            fontName=REGULAR,
            fontSize=6.5,
            fillColor=colour("#5F6B73"),
        )
    )
    return drawing


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fit(positions: Mapping[str, Sequence[float]], box: tuple[float, float, float, float]):
    """Scale positions into (x, y, w, h), keeping the aspect ratio."""
    if not positions:
        return {}
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    x, y, w, h = box
    dx = (max(xs) - min(xs)) or 1.0
    dy = (max(ys) - min(ys)) or 1.0
    scale = min(w / dx, h / dy)
    ox = x + (w - dx * scale) / 2
    oy = y + (h - dy * scale) / 2
    # Screen y grows downward in the canvas layouts; the PDF's grows upward: flip.
    return {
        key: (ox + (p[0] - min(xs)) * scale, oy + (max(ys) - p[1]) * scale)
        for key, p in positions.items()
    }


def _place(
    positions: Mapping[str, Sequence[float]],
    ties: Sequence[Mapping[str, Any]],
    width: float,
    height: float,
    legend_h: float,
    margin: float,
) -> dict[str, tuple[float, float]]:
    """Page positions: the tied actors fill the picture; actors with no tie sit in a row along
    its foot, so that one far-off isolate cannot shrink the whole network into a corner."""
    tied = {t["source"] for t in ties if t["source"] in positions and t["target"] in positions}
    tied |= {t["target"] for t in ties if t["source"] in positions and t["target"] in positions}
    isolates = [key for key in positions if key not in tied]
    if not tied or not isolates:
        box = (margin, legend_h + margin, width - 2 * margin, height - legend_h - 2 * margin)
        return _fit(positions, box)
    strip = 30.0
    box = (
        margin,
        legend_h + strip + margin,
        width - 2 * margin,
        height - legend_h - strip - 2 * margin,
    )
    placed = _fit({k: p for k, p in positions.items() if k in tied}, box)
    step = (width - 2 * margin) / len(isolates)
    for i, key in enumerate(sorted(isolates, key=lambda k: (positions[k][0], k))):
        placed[key] = (margin + step * (i + 0.5), legend_h + strip / 2 + 4)
    return placed


def _free_spot(
    taken: list[tuple[float, float, float, float]],
    left: float,
    width: float,
    candidates: Sequence[float],
) -> float:
    """The first baseline (above the circle, then below it) whose label box overlaps no label
    already placed; the first one when all overlap. Records the box chosen in `taken`."""

    def clear(y: float) -> bool:
        return all(
            left + width <= x0 or x0 + w0 <= left or y + 7 <= y0 - 1.5 or y0 + 7 <= y - 1.5
            for x0, y0, w0, _ in taken
        )

    y = next((c for c in candidates if clear(c)), candidates[0])
    taken.append((left, y, width, 8.5))
    return y


def network_picture(
    view: Mapping[str, Any],
    display_names: Mapping[str, str],
    width: float = 480,
    height: float = 430,
    label_limit: int = 45,
) -> Drawing:
    """The site network: actors coloured by sector, ties by type, brokers and single points
    of failure marked, with a legend that names every colour and mark in words."""
    drawing = new_drawing(width, height)
    legend_h = 70
    metrics = view.get("metrics") or {}
    brokers = set(metrics.get("brokers") or [])
    points = set(metrics.get("articulation_points") or [])
    actors = {a["key"]: a for a in view.get("actors", [])}
    positions = {k: v for k, v in (view.get("positions") or {}).items() if k in actors}
    missing = [k for k in actors if k not in positions]
    for i, key in enumerate(missing):  # any actor without a position goes on a circle
        a = 2 * math.pi * i / max(len(missing), 1)
        positions[key] = (math.cos(a) * 100, math.sin(a) * 100)
    margin = 26
    placed = _place(positions, view.get("ties", []), width, height, legend_h, margin)
    drawing.add(
        Rect(
            0,
            legend_h,
            width,
            height - legend_h,
            fillColor=colour("#FAFAF7"),
            strokeColor=colour("#DDDDDD"),
            strokeWidth=0.5,
        )
    )
    edges = Group()
    for tie in view.get("ties", []):
        if tie["source"] not in placed or tie["target"] not in placed:
            continue
        (xa, ya), (xb, yb) = placed[tie["source"]], placed[tie["target"]]
        edges.add(
            Line(
                xa,
                ya,
                xb,
                yb,
                strokeColor=colour(vocab.link_colour(tie.get("type")), 0.8),
                strokeWidth=0.6 + 0.6 * float(tie.get("strength") or 1),
                strokeDashArray=None if tie.get("direction") == "mutual" else [3, 2],
            )
        )
    drawing.add(edges)
    show_all = len(actors) <= label_limit
    labels: list[tuple[float, float, str]] = []
    for key, actor in actors.items():
        x, y = placed[key]
        influence = actor.get("influence") or 0.0
        r = 4.5 + 0.55 * float(influence)
        if key in points:
            drawing.add(
                Polygon(
                    [x, y + r + 5, x + r + 5, y, x, y - r - 5, x - r - 5, y],
                    fillColor=None,
                    strokeColor=colour("#B2182B"),
                    strokeWidth=1.4,
                )
            )
        drawing.add(
            Circle(
                x,
                y,
                r,
                fillColor=colour(vocab.sector_colour(actor.get("sector"))),
                strokeColor=colour("#1A1A1A") if key in brokers else colors.white,
                strokeWidth=2.2 if key in brokers else 0.8,
            )
        )
        if show_all or key in brokers or key in points:
            gap = r + 8 if key in points else r + 3
            labels.append((x, y + gap, y - gap - 6.5, key))
    taken: list[tuple[float, float, float, float]] = []
    for x, above, below, key in labels:  # on top of every line and circle, on a pale backing
        name = _clip(display_names.get(key, actors[key]["name"]), 34)
        font = BOLD if key in brokers else REGULAR
        w = stringWidth(name, font, 6.5)
        y = _free_spot(taken, x - w / 2 - 1.5, w + 3, (above, below))
        drawing.add(
            Rect(
                x - w / 2 - 1.5,
                y - 1.5,
                w + 3,
                8.5,
                strokeColor=None,
                fillColor=colors.Color(1, 1, 1, alpha=0.8),
            )
        )
        drawing.add(
            String(
                x,
                y,
                name,
                fontName=font,
                fontSize=6.5,
                textAnchor="middle",
                fillColor=colour("#1A1A1A"),
            )
        )
    _network_legend(drawing, width, legend_h)
    return drawing


def _network_legend(drawing: Drawing, width: float, height: float) -> None:
    x, y = 4, height - 12
    drawing.add(String(x, y, "Sectors:", fontName=BOLD, fontSize=7))
    x += 42
    for sector in vocab.SECTORS:
        drawing.add(
            Circle(
                x + 4, y + 2.5, 4, fillColor=colour(vocab.sector_colour(sector)), strokeColor=None
            )
        )
        label = vocab.SECTOR_LABELS[sector]
        drawing.add(String(x + 11, y, label, fontName=REGULAR, fontSize=7))
        x += 20 + stringWidth(label, REGULAR, 7)
    x, y = 4, height - 27
    drawing.add(String(x, y, "Ties:", fontName=BOLD, fontSize=7))
    x += 42
    for link_type in vocab.LINK_TYPES:
        drawing.add(
            Line(
                x,
                y + 2.5,
                x + 14,
                y + 2.5,
                strokeWidth=2,
                strokeColor=colour(vocab.link_colour(link_type)),
            )
        )
        label = vocab.LINK_TYPE_LABELS[link_type]
        drawing.add(String(x + 18, y, label, fontName=REGULAR, fontSize=7))
        x += 26 + stringWidth(label, REGULAR, 7)
    x, y = 4, height - 42
    drawing.add(String(x, y, "Marks:", fontName=BOLD, fontSize=7))
    x += 42
    drawing.add(
        Circle(
            x + 4,
            y + 2.5,
            4,
            fillColor=colour("#BBBBBB"),
            strokeColor=colour("#1A1A1A"),
            strokeWidth=2,
        )
    )
    drawing.add(String(x + 12, y, "broker (bold name)", fontName=REGULAR, fontSize=7))
    x += 90
    drawing.add(
        Polygon(
            [x + 4, y + 9, x + 10.5, y + 2.5, x + 4, y - 4, x - 2.5, y + 2.5],
            fillColor=None,
            strokeColor=colour("#B2182B"),
            strokeWidth=1.4,
        )
    )
    drawing.add(String(x + 14, y, "single point of failure", fontName=REGULAR, fontSize=7))
    x += 104
    drawing.add(Line(x, y + 2.5, x + 14, y + 2.5, strokeWidth=1.2, strokeColor=colour("#555555")))
    drawing.add(String(x + 18, y, "mutual", fontName=REGULAR, fontSize=7))
    x += 50
    drawing.add(
        Line(
            x,
            y + 2.5,
            x + 14,
            y + 2.5,
            strokeWidth=1.2,
            strokeColor=colour("#555555"),
            strokeDashArray=[3, 2],
        )
    )
    drawing.add(String(x + 18, y, "one-way", fontName=REGULAR, fontSize=7))
    drawing.add(
        String(
            4,
            height - 60,
            "Larger circle: more influence. Thicker line: stronger "
            "tie. Names of people are not shown.",
            fontName=REGULAR,
            fontSize=7,
            fillColor=colour("#5F6B73"),
        )
    )
