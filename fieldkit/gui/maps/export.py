"""The canvas as the user sees it, saved as a PNG or an SVG, with the legend beside it.

What is exported is the current view (zoom, pan, filters, faded actors), because that is the
picture the participant or coordinator wants to keep; the legend is drawn by the same function
as the one beside the canvas, in a strip to the right of the picture so it hides no actor.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

from fieldkit.errors import FieldkitError, Problem
from fieldkit.gui.maps.legend import legend_size, paint_legend
from fieldkit.mapping.vocabulary import MapVocabulary

PNG_SCALE = 2  # pixels per screen pixel: sharp enough to print
LEGEND_MARGIN = 10
FORMATS = (".png", ".svg")


def picture_size(view: QGraphicsView, vocabulary: MapVocabulary | None) -> QSize:
    """The view's size, widened by the legend's strip (and taller if the legend is)."""
    size = view.viewport().size()
    if vocabulary is None:
        return size
    legend = legend_size(vocabulary)
    return QSize(
        size.width() + int(legend.width()) + 2 * LEGEND_MARGIN,
        max(size.height(), int(legend.height()) + 2 * LEGEND_MARGIN),
    )


def _paint(painter: QPainter, view: QGraphicsView, vocabulary: MapVocabulary | None) -> None:
    size = view.viewport().size()
    whole = picture_size(view, vocabulary)
    target = QRectF(0, 0, size.width(), size.height())
    source = view.mapToScene(view.viewport().rect()).boundingRect()
    painter.fillRect(QRectF(0, 0, whole.width(), whole.height()), QColor("#FFFFFF"))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    # Cached items would go into an SVG as bitmaps: draw them afresh, as vectors and text.
    cached = [i for i in view.scene().items() if i.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    modes = [i.cacheMode() for i in cached]
    for item in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        view.scene().render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        for item, mode in zip(cached, modes, strict=True):
            item.setCacheMode(mode)
    if vocabulary is not None:
        legend = legend_size(vocabulary)
        rect = QRectF(
            size.width() + LEGEND_MARGIN,
            LEGEND_MARGIN,
            legend.width(),
            legend.height(),
        )
        paint_legend(painter, rect, vocabulary)


def _check_target(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise FieldkitError(Problem(f"the file name must end in {suffix}", file=str(path)))
    if not path.parent.is_dir():
        raise FieldkitError(Problem("the folder does not exist", file=str(path.parent)))


def export_png(
    view: QGraphicsView, path: Path | str, vocabulary: MapVocabulary | None = None
) -> Path:
    path = Path(path)
    _check_target(path, ".png")
    size = picture_size(view, vocabulary)
    image = QImage(size * PNG_SCALE, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(PNG_SCALE)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    _paint(painter, view, vocabulary)
    painter.end()
    if not image.save(str(path), "PNG"):
        raise FieldkitError(Problem("the picture could not be written", file=str(path)))
    return path


def export_svg(
    view: QGraphicsView,
    path: Path | str,
    vocabulary: MapVocabulary | None = None,
    title: str = "Relationship map",
) -> Path:
    path = Path(path)
    _check_target(path, ".svg")
    size: QSize = picture_size(view, vocabulary)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("Exported from fieldkit")
    painter = QPainter()
    if not painter.begin(generator):
        raise FieldkitError(Problem("the drawing could not be written", file=str(path)))
    _paint(painter, view, vocabulary)
    painter.end()
    if not path.is_file() or path.stat().st_size == 0:
        raise FieldkitError(Problem("the drawing could not be written", file=str(path)))
    return path


def export_view(
    view: QGraphicsView,
    path: Path | str,
    vocabulary: MapVocabulary | None = None,
    title: str = "Relationship map",
) -> Path:
    """PNG or SVG by the file's suffix."""
    path = Path(path)
    if path.suffix.lower() == ".svg":
        return export_svg(view, path, vocabulary, title)
    if path.suffix.lower() == ".png":
        return export_png(view, path, vocabulary)
    raise FieldkitError(
        Problem(
            f"export as {' or '.join(FORMATS)} (got {path.suffix or 'no suffix'})", file=str(path)
        )
    )
