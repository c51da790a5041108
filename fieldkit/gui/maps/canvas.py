"""The map canvas: a QGraphicsScene that mirrors a `Map` (or a site network) item for item.

The scene keeps no data of its own. `MapScene` subscribes to the Map and turns each event into
an item change, so whatever changed the map (a mouse drag, an undo, a layout) is drawn the same
way (orange-canvas-core's pattern). Edits the user makes with the mouse are not applied here:
the scene only *asks* for them through signals (`actorsMoved`, `tieRequested`,
`addActorRequested`) and the editor turns them into undo commands that call the model.

Actors are drawn by sector with both a colour and a shape, so nothing depends on colour alone;
their size follows the influence tower, which is also drawn as a stack of chips with its number.
Ties follow their actors through `ItemSendsGeometryChanges` + `itemChange` (Qt's elastic-nodes),
several ties between one pair bend apart, and a mutual tie has an arrowhead at both ends.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsObject,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from fieldkit import vocab
from fieldkit.mapping import model as m
from fieldkit.mapping.layout import layout_positions
from fieldkit.mapping.model import Actor, Map, Tie
from fieldkit.mapping.vocabulary import MapVocabulary

# One shape per sector, so a sector reads without its colour (DESIGN: never colour alone).
SECTOR_SHAPES: dict[str, str] = {
    "public": "circle",
    "social": "square",
    "commercial": "diamond",
    "residents": "triangle",
    "other": "hexagon",
}
BASE_RADIUS = 16.0  # an actor whose influence is not yet asked
RADIUS_PER_INFLUENCE = 2.0  # influence 10 -> 36
CHIP_HEIGHT = 4.0  # one chip of the influence tower
CHIP_WIDTH = 10.0
LABEL_WIDTH = 150.0
LABEL_LOD = 0.45  # below this zoom names are not drawn (unreadable, and slow at 500 actors)
PARALLEL_SPACING = 26.0  # between the middles of two ties of one pair
ARROW_SIZE = 10.0
STRENGTH_WIDTH = {1: 1.5, 2: 3.0, 3: 4.5}
TIE_SMOOTH_LOD = 0.6  # below this zoom ties are drawn without antialiasing
HEAD_LOD = 0.3  # below this zoom arrowheads (under 4 px) are left out
FADED = 0.15  # opacity of what is not in focus
SCENE_MARGIN = 1200.0  # empty canvas around the actors, room to double-click a new one
OUTLINE = QColor("#1A1A1A")
SELECTED = QColor(vocab.palette()["ui"]["accent"])
LABEL_CARD = QColor(255, 255, 255, 200)
# Looked up once: enum attribute access costs more than the drawing of a far-out tie.
ANTIALIASING = QPainter.RenderHint.Antialiasing
NO_PEN = Qt.PenStyle.NoPen
NO_BRUSH = Qt.BrushStyle.NoBrush


def actor_radius(influence: float | None) -> float:
    if influence is None:
        return BASE_RADIUS
    return BASE_RADIUS + RADIUS_PER_INFLUENCE * float(influence)


def influence_text(influence: float | None) -> str:
    """'7' for a map's tower, '7.3' for a site network's mean."""
    if influence is None:
        return ""
    value = float(influence)
    return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"


def tie_width(strength: float) -> float:
    """Pen width for a strength (means of a site network fall between the steps)."""
    low, high = min(vocab.STRENGTHS), max(vocab.STRENGTHS)
    s = min(max(float(strength), low), high)
    return STRENGTH_WIDTH[low] + (s - low) * (STRENGTH_WIDTH[high] - STRENGTH_WIDTH[low]) / (
        high - low
    )


def sector_path(sector: str, radius: float) -> QPainterPath:
    """The outline of a sector's shape centred on (0, 0), about `radius` across each way."""
    shape = SECTOR_SHAPES.get(sector, "hexagon")
    path = QPainterPath()
    if shape == "circle":
        path.addEllipse(QPointF(0, 0), radius, radius)
        return path
    if shape == "square":
        side = radius * 0.9
        path.addRect(QRectF(-side, -side, 2 * side, 2 * side))
        return path
    corners = {"diamond": 4, "triangle": 3, "hexagon": 6}[shape]
    start = -math.pi / 2 if shape != "hexagon" else 0.0
    scale = 1.25 if shape == "triangle" else 1.1
    points = [
        QPointF(
            scale * radius * math.cos(start + 2 * math.pi * k / corners),
            scale * radius * math.sin(start + 2 * math.pi * k / corners)
            + (radius * 0.2 if shape == "triangle" else 0.0),
        )
        for k in range(corners)
    ]
    path.addPolygon(QPolygonF(points))
    path.closeSubpath()
    return path


@dataclass
class ActorLook:
    """What an actor item shows: the same for a map's actor and a site network's actor."""

    key: str
    name: str
    sector: str
    influence: float | None
    tooltip: str = ""


@dataclass
class TieLook:
    key: str
    source: str
    target: str
    type: str
    colour: str
    mutual: bool
    strength: float
    weight: int = 1  # how many maps report it (site network)
    tooltip: str = ""


class ActorItem(QGraphicsObject):
    """One actor: sector shape and colour, influence tower, name underneath."""

    def __init__(self, look: ActorLook, movable: bool = True):
        super().__init__()
        self.look = look
        self.ties: list[TieItem] = []
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, movable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self._font = QFont()
        self._font.setPointSizeF(10)
        self._apply_look()

    @property
    def key(self) -> str:
        return self.look.key

    @property
    def radius(self) -> float:
        return actor_radius(self.look.influence)

    def set_look(self, look: ActorLook) -> None:
        self.prepareGeometryChange()
        self.look = look
        self._apply_look()
        self.update()
        for tie in self.ties:
            tie.adjust()

    def _apply_look(self) -> None:
        self._shape = sector_path(self.look.sector, self.radius)
        metrics = QFontMetricsF(self._font)
        self._label_rect = metrics.boundingRect(
            QRectF(-LABEL_WIDTH / 2, 0, LABEL_WIDTH, 200),
            int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap),
            self.look.name,
        )
        self._label_rect.moveTop(self.radius * 1.3 + 3)
        self._bounds = self._compute_bounds()
        self._brush = QBrush(QColor(vocab.sector_colour(self.look.sector)))
        self.setToolTip(self.look.tooltip or self._default_tooltip())

    def _default_tooltip(self) -> str:
        influence = influence_text(self.look.influence) or "not asked"
        return (
            f"{self.look.name}\n{vocab.SECTOR_LABELS.get(self.look.sector, self.look.sector)}"
            f"\nInfluence: {influence}"
        )

    def _tower_rect(self) -> QRectF:
        chips = int(round(self.look.influence or 0))
        height = max(chips, 1) * CHIP_HEIGHT + 14
        left = self.radius * 1.25 + 2
        return QRectF(left, -height / 2, CHIP_WIDTH + 2, height)

    def _tower_bounds(self) -> QRectF:
        """The tower with its number on top (a mean like '7.3' is wider than the chips)."""
        return self._tower_rect().adjusted(-10, -2, 10, 0)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._bounds

    def _compute_bounds(self) -> QRectF:
        r = self.radius * 1.3 + 3
        rect = QRectF(-r, -r, 2 * r, 2 * r).united(self._label_rect.adjusted(-4, -2, 4, 2))
        if self.look.influence is not None:
            rect = rect.united(self._tower_bounds().adjusted(-2, -2, 2, 2))
        return rect

    def shape(self) -> QPainterPath:
        return self._shape

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = self.isSelected()
        painter.setPen(QPen(SELECTED if selected else OUTLINE, 3.5 if selected else 1.5))
        painter.setBrush(self._brush)
        painter.drawPath(self._shape)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if self.look.influence is not None:
            self._paint_tower(painter, lod)
        if lod >= LABEL_LOD:
            # A pale card behind the name keeps it readable over ties and other actors.
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(LABEL_CARD)
            painter.drawRoundedRect(self._label_rect.adjusted(-3, -1, 3, 1), 3, 3)
            painter.setFont(self._font)
            painter.setPen(QColor(vocab.palette()["ui"]["text"]))
            painter.drawText(
                self._label_rect,
                int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap),
                self.look.name,
            )

    def _paint_tower(self, painter: QPainter, lod: float) -> None:
        """The Net-Map influence tower: one chip per point, its number on top."""
        chips = int(round(self.look.influence or 0))
        rect = self._tower_rect()
        painter.setPen(QPen(OUTLINE, 1))
        painter.setBrush(QColor("#FFFFFF"))
        bottom = rect.bottom()
        for k in range(chips):
            painter.drawRect(
                QRectF(rect.left() + 1, bottom - (k + 1) * CHIP_HEIGHT, CHIP_WIDTH, CHIP_HEIGHT)
            )
        if lod >= LABEL_LOD:
            font = QFont(self._font)
            font.setPointSizeF(8)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(OUTLINE)
            painter.drawText(
                QRectF(rect.left() - 10, rect.top() - 2, CHIP_WIDTH + 22, 12),
                int(Qt.AlignmentFlag.AlignCenter),
                influence_text(self.look.influence),
            )

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:  # noqa: N802
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for tie in self.ties:
                tie.adjust()
        return super().itemChange(change, value)


class TieItem(QGraphicsItem):
    """An arrow between two actor items, bent by `offset` when the pair has several ties."""

    def __init__(self, look: TieLook, source: ActorItem, target: ActorItem):
        super().__init__()
        self.look = look
        self.source = source
        self.target = target
        self.offset = 0.0  # perpendicular bend, in scene units, towards a fixed side of the pair
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(0)
        self._path = QPainterPath()
        self._heads: list[QPolygonF] = []
        self._bounds = QRectF()
        self._empty = True
        self.set_look(look)

    @property
    def key(self) -> str:
        return self.look.key

    def set_look(self, look: TieLook) -> None:
        self.look = look
        self.setToolTip(look.tooltip)
        colour = QColor(look.colour)
        width = tie_width(look.strength)
        self._pen = QPen(colour, width)
        self._pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        self._selected_pen = QPen(SELECTED, width + 5)
        # Far out, a cosmetic (pixel-wide) pen: the widths would be under 1 px anyway, and
        # thin cosmetic lines are many times cheaper to rasterise than scaled wide ones.
        self._far_pen = QPen(colour, 2 if look.strength > 2.5 else 1)
        self._far_pen.setCosmetic(True)
        self._brush = QBrush(colour)
        self.adjust()

    def set_offset(self, offset: float) -> None:
        if offset != self.offset:
            self.offset = offset
            self.adjust()

    def adjust(self) -> None:
        """Recompute the curve from the actors' current positions (called as they move)."""
        self.prepareGeometryChange()
        a, b = self.source.pos(), self.target.pos()
        line = QLineF(a, b)
        length = line.length()
        self._path = QPainterPath()
        self._heads = []
        self._line: QLineF | None = None
        self._empty = length < 1e-6
        if self._empty:
            self._bounds = QRectF()
            return
        # The bend side is fixed per pair (not per direction) so A->B and B->A ties part.
        first, second = sorted((self.source, self.target), key=lambda item: item.key)
        nx_, ny_ = (
            -(second.pos().y() - first.pos().y()) / length,
            (second.pos().x() - first.pos().x()) / length,
        )
        mid = QPointF((a.x() + b.x()) / 2, (a.y() + b.y()) / 2)
        control = QPointF(mid.x() + 2 * self.offset * nx_, mid.y() + 2 * self.offset * ny_)
        start = _towards(a, control, self.source.radius * 1.15 + 2)
        end = _towards(b, control, self.target.radius * 1.15 + 2)
        self._path.moveTo(start)
        if self.offset:
            self._path.quadTo(control, end)
        else:
            self._path.lineTo(end)
            self._line = QLineF(start, end)  # drawn as a line: far cheaper than a path
        size = ARROW_SIZE + tie_width(self.look.strength)
        self._heads.append(arrow_head(end, control if self.offset else start, size))
        if self.look.mutual:
            self._heads.append(arrow_head(start, control if self.offset else end, size))
        pad = size + tie_width(self.look.strength)
        self._bounds = self._path.boundingRect().adjusted(-pad, -pad, pad, pad)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return self._bounds

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(max(8.0, tie_width(self.look.strength) + 4))
        return stroker.createStroke(self._path)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if self._empty:
            return
        # Every call here runs for each of thousands of ties per frame, so as few as possible.
        # Zoomed far out (a whole site network): crisp pixel-wide lines, three times cheaper.
        scale = painter.worldTransform().m11()  # the view zooms but never rotates
        far = scale < TIE_SMOOTH_LOD
        if far:
            painter.setRenderHint(ANTIALIASING, False)
        if self.isSelected():
            painter.setBrush(NO_BRUSH)
            painter.setPen(self._selected_pen)
            painter.drawPath(self._path)
        painter.setPen(self._far_pen if far else self._pen)
        if self._line is not None:
            painter.drawLine(self._line)
        else:
            painter.setBrush(NO_BRUSH)
            painter.drawPath(self._path)
        if scale >= HEAD_LOD:
            painter.setPen(NO_PEN)
            painter.setBrush(self._brush)
            for head in self._heads:
                painter.drawPolygon(head)
        if far:
            painter.setRenderHint(ANTIALIASING, True)


def _towards(point: QPointF, aim: QPointF, distance: float) -> QPointF:
    line = QLineF(point, aim)
    if line.length() <= distance:
        return QPointF(point)
    line.setLength(distance)
    return line.p2()


def arrow_head(tip: QPointF, from_point: QPointF, size: float) -> QPolygonF:
    angle = math.atan2(tip.y() - from_point.y(), tip.x() - from_point.x())
    spread = math.radians(24)
    back = [
        QPointF(tip.x() - size * math.cos(angle - s), tip.y() - size * math.sin(angle - s))
        for s in (spread, -spread)
    ]
    return QPolygonF([tip, back[0], back[1]])


class NetworkScene(QGraphicsScene):
    """Actor and tie items with the views every network canvas shares: filters and focus."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.actor_items: dict[str, ActorItem] = {}
        self.tie_items: dict[str, TieItem] = {}
        self.tie_filter: Callable[[TieLook], bool] | None = None
        self.actor_filter: Callable[[ActorLook], bool] | None = None
        self.focus_key: str | None = None
        self.setBackgroundBrush(QColor("#FFFFFF"))

    # -- items ------------------------------------------------------------------------
    def add_actor_item(self, look: ActorLook, pos: tuple[float, float], movable: bool) -> ActorItem:
        item = ActorItem(look, movable)
        item.setPos(QPointF(*pos))
        self.actor_items[look.key] = item
        self.addItem(item)
        item.setVisible(self._actor_shown(look))
        return item

    def remove_actor_item(self, key: str) -> None:
        item = self.actor_items.pop(key, None)
        if item is not None:
            for tie in list(item.ties):
                self.remove_tie_item(tie.key)
            self.removeItem(item)

    def add_tie_item(self, look: TieLook) -> TieItem | None:
        source = self.actor_items.get(look.source)
        target = self.actor_items.get(look.target)
        if source is None or target is None:
            return None
        item = TieItem(look, source, target)
        source.ties.append(item)
        target.ties.append(item)
        self.tie_items[look.key] = item
        self.addItem(item)
        self._spread_pair(source, target)
        self._apply_visibility_tie(item)
        return item

    def remove_tie_item(self, key: str) -> None:
        item = self.tie_items.pop(key, None)
        if item is None:
            return
        for end in (item.source, item.target):
            if item in end.ties:
                end.ties.remove(item)
        self.removeItem(item)
        self._spread_pair(item.source, item.target)

    def _spread_pair(self, a: ActorItem, b: ActorItem) -> None:
        """Bend the ties between one pair apart, symmetrically about the straight line."""
        pair = sorted((t for t in a.ties if t.source is b or t.target is b), key=lambda t: t.key)
        for k, tie in enumerate(pair):
            tie.set_offset((k - (len(pair) - 1) / 2) * PARALLEL_SPACING)

    def ties_between(self, a: str, b: str) -> list[TieItem]:
        item = self.actor_items.get(a)
        if item is None:
            return []
        return [t for t in item.ties if {t.source.key, t.target.key} == {a, b}]

    # -- filters and focus --------------------------------------------------------------
    def _actor_shown(self, look: ActorLook) -> bool:
        return self.actor_filter is None or self.actor_filter(look)

    def _apply_visibility_tie(self, tie: TieItem) -> None:
        shown = (
            (self.tie_filter is None or self.tie_filter(tie.look))
            and tie.source.isVisible()
            and tie.target.isVisible()
        )
        tie.setVisible(shown)
        if self.focus_key is not None:
            tie.setOpacity(1.0 if self.focus_key in (tie.source.key, tie.target.key) else FADED)

    def set_filters(
        self,
        tie_filter: Callable[[TieLook], bool] | None = None,
        actor_filter: Callable[[ActorLook], bool] | None = None,
    ) -> None:
        self.tie_filter = tie_filter
        self.actor_filter = actor_filter
        self.refresh_visibility()

    def refresh_visibility(self) -> None:
        for item in self.actor_items.values():
            item.setVisible(self._actor_shown(item.look))
        for tie in self.tie_items.values():
            self._apply_visibility_tie(tie)
        self.set_focus(self.focus_key)

    def visible_ties(self) -> list[TieItem]:
        return [t for t in self.tie_items.values() if t.isVisible()]

    def neighbours(self, key: str) -> set[str]:
        item = self.actor_items.get(key)
        if item is None:
            return set()
        found = set()
        for tie in item.ties:
            if tie.isVisible():
                found.add(tie.target.key if tie.source is item else tie.source.key)
        return found

    def set_focus(self, key: str | None) -> None:
        """Fade everything but one actor, its neighbours and their ties (None: nothing faded)."""
        if key is not None and key not in self.actor_items:
            key = None
        self.focus_key = key
        keep = ({key} | self.neighbours(key)) if key is not None else None
        for item_key, item in self.actor_items.items():
            item.setOpacity(1.0 if keep is None or item_key in keep else FADED)
        for tie in self.tie_items.values():
            near = key is None or key in (tie.source.key, tie.target.key)
            tie.setOpacity(1.0 if near else FADED)

    def faded_keys(self) -> set[str]:
        return {k for k, item in self.actor_items.items() if item.opacity() < 1.0}

    def fit_rect(self) -> QRectF:
        """The area the actors (and their labels) cover."""
        rect = QRectF()
        for item in self.actor_items.values():
            if item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def grow_scene_rect(self) -> None:
        """Leave room around the actors to pan and to double-click a new actor."""
        rect = self.fit_rect()
        if rect.isNull():
            rect = QRectF(-400, -300, 800, 600)
        self.setSceneRect(
            rect.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN).united(
                self.sceneRect()
            )
        )


def actor_look(actor: Actor) -> ActorLook:
    return ActorLook(actor.id, actor.name, actor.sector, actor.influence)


def tie_look(tie: Tie, vocabulary: MapVocabulary, names: dict[str, str]) -> TieLook:
    link = vocabulary.link_type(tie.type)
    label = link.label if link else tie.type
    arrow = "<->" if tie.mutual else "->"
    tooltip = (
        f"{names.get(tie.source, '?')} {arrow} {names.get(tie.target, '?')}\n"
        f"{label}, strength {tie.strength}" + (f"\n{tie.note}" if tie.note else "")
    )
    return TieLook(
        tie.id,
        tie.source,
        tie.target,
        tie.type,
        vocabulary.colour(tie.type),
        tie.mutual,
        float(tie.strength),
        tooltip=tooltip,
    )


class MapScene(NetworkScene):
    """The canvas of one Map; mirrors its events and asks for edits through signals."""

    actorsMoved = Signal(dict)  # {actor id: (x, y)} after a drag
    tieRequested = Signal(str, str)  # source id, target id: dragged from one to the other
    addActorRequested = Signal(QPointF)  # double-click on empty canvas

    def __init__(self, the_map: Map, parent: Any = None):
        super().__init__(parent)
        self.map = the_map
        self.tie_mode = False  # drag from an actor draws a tie instead of moving it
        self._drawing: tuple[ActorItem, QGraphicsLineItem] | None = None
        self._press_positions: dict[str, QPointF] = {}
        self.populate()
        self._unsubscribe = the_map.subscribe(self._on_event)

    def close(self) -> None:
        self._unsubscribe()

    def populate(self) -> None:
        """Items for every actor and tie; unplaced actors shown where 'by sector' puts them."""
        unplaced = [a for a in self.map.actors.values() if a.x is None or a.y is None]
        guess = layout_positions(self.map, "sector", keep=True) if unplaced else {}
        for actor in self.map.actors.values():
            self.add_actor_item(
                actor_look(actor), self._position(actor, guess), movable=not self.tie_mode
            )
        names = {a.id: a.name for a in self.map.actors.values()}
        for tie in self.map.ties.values():
            self.add_tie_item(tie_look(tie, self.map.vocabulary, names))
        self.grow_scene_rect()

    def _position(self, actor: Actor, guess: dict[str, tuple[float, float]]) -> tuple[float, float]:
        if actor.x is not None and actor.y is not None:
            return (actor.x, actor.y)
        return guess.get(actor.id, (0.0, 0.0))

    def _names(self) -> dict[str, str]:
        return {a.id: a.name for a in self.map.actors.values()}

    # -- the model's events -------------------------------------------------------------
    def _on_event(self, event: str, obj: Any) -> None:
        if event == m.ACTOR_ADDED:
            item = self.add_actor_item(
                actor_look(obj), self._position(obj, {}), movable=not self.tie_mode
            )
            if obj.x is None:
                item.setPos(self._free_spot())
            self.grow_scene_rect()
        elif event == m.ACTOR_CHANGED:
            item = self.actor_items[obj.id]
            item.set_look(actor_look(obj))
            if obj.x is not None and obj.y is not None and item.pos() != QPointF(obj.x, obj.y):
                item.setPos(QPointF(obj.x, obj.y))
            for tie in item.ties:
                tie.set_look(tie_look(self.map.ties[tie.key], self.map.vocabulary, self._names()))
        elif event == m.ACTOR_REMOVED:
            self.remove_actor_item(obj.id)
        elif event == m.TIE_ADDED:
            self.add_tie_item(tie_look(obj, self.map.vocabulary, self._names()))
        elif event == m.TIE_CHANGED:
            item = self.tie_items[obj.id]
            item.set_look(tie_look(obj, self.map.vocabulary, self._names()))
            self._apply_visibility_tie(item)
        elif event == m.TIE_REMOVED:
            self.remove_tie_item(obj.id)
        if event in (m.ACTOR_ADDED, m.ACTOR_REMOVED, m.TIE_ADDED, m.TIE_REMOVED):
            self.set_focus(self.focus_key)

    def resync_positions(self) -> None:
        """Put every item back where the model says (after a refused move)."""
        for actor in self.map.actors.values():
            item = self.actor_items.get(actor.id)
            if item is not None and actor.x is not None and actor.y is not None:
                item.setPos(QPointF(actor.x, actor.y))

    def _free_spot(self) -> QPointF:
        """Where an actor without a position goes: right of everything placed so far."""
        rect = self.fit_rect()
        return QPointF(rect.right() + 80, rect.center().y()) if not rect.isNull() else QPointF()

    # -- modes --------------------------------------------------------------------------
    def set_tie_mode(self, on: bool) -> None:
        self.tie_mode = on
        for item in self.actor_items.values():
            item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, not on)

    def selected_actor_ids(self) -> list[str]:
        return [i.key for i in self.selectedItems() if isinstance(i, ActorItem)]

    def selected_tie_ids(self) -> list[str]:
        return [i.key for i in self.selectedItems() if isinstance(i, TieItem)]

    def actor_at(self, pos: QPointF, exclude: Iterable[QGraphicsItem] = ()) -> ActorItem | None:
        skip = set(map(id, exclude))
        for item in self.items(pos):
            if isinstance(item, ActorItem) and id(item) not in skip and item.isVisible():
                return item
        return None

    # -- mouse: drawing ties, reporting moves ----------------------------------------------
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            actor = self.actor_at(event.scenePos())
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            if actor is not None and (self.tie_mode or shift):
                line = QGraphicsLineItem(QLineF(actor.pos(), event.scenePos()))
                pen = QPen(SELECTED, 2, Qt.PenStyle.DashLine)
                line.setPen(pen)
                line.setZValue(5)
                self.addItem(line)
                self._drawing = (actor, line)
                event.accept()
                return
        super().mousePressEvent(event)
        self._press_positions = {
            i.key: i.pos() for i in self.selectedItems() if isinstance(i, ActorItem)
        }

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._drawing is not None:
            source, line = self._drawing
            line.setLine(QLineF(source.pos(), event.scenePos()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if self._drawing is not None:
            source, line = self._drawing
            self._drawing = None
            self.removeItem(line)
            target = self.actor_at(event.scenePos(), exclude=(line,))
            if target is not None and target is not source:
                self.tieRequested.emit(source.key, target.key)
            event.accept()
            return
        super().mouseReleaseEvent(event)
        moved = {
            key: (item.pos().x(), item.pos().y())
            for key, item in self.actor_items.items()
            if key in self._press_positions and item.pos() != self._press_positions[key]
        }
        self._press_positions = {}
        if moved:
            self.actorsMoved.emit(moved)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and not self.items(event.scenePos()):
            self.addActorRequested.emit(event.scenePos())
            event.accept()
            return
        super().mouseDoubleClickEvent(event)
