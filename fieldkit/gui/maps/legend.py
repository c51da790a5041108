"""The legend of a map canvas: sector shapes and colours, tie colours, what width and size mean.

Drawn by one function (`paint_legend`) so the widget beside the canvas and the exported PNG/SVG
show exactly the same key.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from fieldkit import vocab
from fieldkit.gui.maps.canvas import OUTLINE, SECTOR_SHAPES, arrow_head, sector_path, tie_width
from fieldkit.mapping.vocabulary import MapVocabulary

ROW = 22.0
PAD = 8.0
SWATCH = 26.0


def legend_lines(vocabulary: MapVocabulary) -> int:
    return len(vocab.SECTORS) + len(vocabulary.link_types) + 5


def legend_size(vocabulary: MapVocabulary) -> QSize:
    return QSize(230, int(2 * PAD + ROW * legend_lines(vocabulary)))


def paint_legend(painter: QPainter, rect: QRectF, vocabulary: MapVocabulary) -> None:
    """Draw the key into `rect` (a white card), top to bottom."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor("#d8dde0"), 1))
    painter.setBrush(QColor(255, 255, 255, 235))
    painter.drawRoundedRect(rect, 6, 6)
    font = QFont()
    font.setPointSizeF(9)
    bold = QFont(font)
    bold.setBold(True)
    text_colour = QColor(vocab.palette()["ui"]["text"])
    y = rect.top() + PAD
    left = rect.left() + PAD

    def caption(text: str) -> None:
        nonlocal y
        painter.setFont(bold)
        painter.setPen(text_colour)
        painter.drawText(
            QRectF(left, y, rect.width() - 2 * PAD, ROW), Qt.AlignmentFlag.AlignVCenter, text
        )
        y += ROW

    def label(text: str) -> None:
        painter.setFont(font)
        painter.setPen(text_colour)
        painter.drawText(
            QRectF(left + SWATCH + 6, y, rect.width() - SWATCH - 3 * PAD, ROW),
            Qt.AlignmentFlag.AlignVCenter,
            text,
        )

    caption("Sectors")
    for sector in vocab.SECTORS:
        painter.save()
        painter.translate(left + SWATCH / 2, y + ROW / 2)
        painter.setPen(QPen(OUTLINE, 1))
        painter.setBrush(QColor(vocab.sector_colour(sector)))
        painter.drawPath(sector_path(sector, 7))
        painter.restore()
        label(vocab.SECTOR_LABELS[sector])
        y += ROW
    caption("Ties")
    for link in vocabulary.link_types:
        _line(painter, left, y + ROW / 2, QColor(link.colour), 3.0, False)
        label(link.label)
        y += ROW
    _line(painter, left, y + ROW / 2, OUTLINE, 1.5, True)
    label("mutual (both ways)")
    y += ROW
    for strength, text in ((1, "weak"), (3, "strong")):
        _line(painter, left, y + ROW / 2, OUTLINE, tie_width(strength), False)
        label(f"{text} tie")
        y += ROW
    painter.restore()


def _line(
    painter: QPainter, left: float, y: float, colour: QColor, width: float, both: bool
) -> None:
    painter.save()
    painter.setPen(QPen(colour, width))
    start, end = QPointF(left, y), QPointF(left + SWATCH, y)
    painter.drawLine(start, end)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawPolygon(arrow_head(end, start, 7))
    if both:
        painter.drawPolygon(arrow_head(start, end, 7))
    painter.restore()


class LegendWidget(QWidget):
    """The key beside the canvas."""

    def __init__(self, vocabulary: MapVocabulary, parent: QWidget | None = None):
        super().__init__(parent)
        self.vocabulary = vocabulary
        self.setAccessibleName("Legend")
        self.setAccessibleDescription(
            "Sectors: "
            + ", ".join(f"{vocab.SECTOR_LABELS[s]} ({_shape_word(s)})" for s in vocab.SECTORS)
        )
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(legend_size(vocabulary).height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return legend_size(self.vocabulary)

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt's name)
        painter = QPainter(self)
        paint_legend(painter, QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), self.vocabulary)
        painter.end()


def _shape_word(sector: str) -> str:
    return SECTOR_SHAPES[sector]
