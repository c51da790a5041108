"""The canvas mirrors the model: items, shapes, arrows, parallel ties, edges that follow, the view."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from fieldkit import vocab
from fieldkit.gui.maps.canvas import SECTOR_SHAPES, MapScene, sector_path, tie_width
from fieldkit.gui.maps.editor import TIES
from fieldkit.gui.maps.view import MAX_ZOOM, MIN_ZOOM
from fieldkit.mapping.model import Actor, Map, Tie
from tests.gui.map_helpers import (
    actor_point,
    drag,
    make_editor,
    view_point,
)


@pytest.fixture
def small_map():
    the_map = Map(site="S", round="R")
    a = the_map.add_actor(Actor("Council", "public", influence=9, x=-150, y=0))
    b = the_map.add_actor(Actor("Food bank", "social", influence=2, x=150, y=0))
    c = the_map.add_actor(Actor("Shop", "commercial", x=0, y=200))
    the_map.add_actor(Actor("Loner", "residents", x=300, y=300))
    the_map.add_tie(Tie(a.id, b.id, "money", "one-way", 3))
    the_map.add_tie(Tie(a.id, b.id, "information", "mutual", 1))
    the_map.add_tie(Tie(b.id, a.id, "support", "one-way", 2))
    the_map.add_tie(Tie(c.id, a.id, "influence", "one-way", 2))
    return the_map


def test_scene_follows_model_events(qtbot, small_map):
    scene = MapScene(small_map)
    assert set(scene.actor_items) == set(small_map.actors)
    assert set(scene.tie_items) == set(small_map.ties)
    new = small_map.add_actor(Actor("Library", "public", x=10, y=10))
    assert new.id in scene.actor_items
    small_map.update_actor(new.id, name="Central library", influence=10)
    assert scene.actor_items[new.id].look.name == "Central library"
    assert scene.actor_items[new.id].radius == pytest.approx(36.0)
    tie = small_map.add_tie(Tie(new.id, next(iter(small_map.actors)), "services"))
    assert tie.id in scene.tie_items
    small_map.update_tie(tie.id, strength=3, direction="mutual")
    assert scene.tie_items[tie.id].look.mutual and len(scene.tie_items[tie.id]._heads) == 2
    small_map.remove_actor(new.id)
    assert new.id not in scene.actor_items and tie.id not in scene.tie_items
    scene.close()
    small_map.add_actor(Actor("After close", x=0, y=0))
    assert len(scene.actor_items) == 4  # no longer listening


def test_sectors_differ_by_shape_not_only_colour():
    outlines = {s: sector_path(s, 20).toFillPolygon().count() for s in vocab.SECTORS}
    assert len(set(SECTOR_SHAPES.values())) == len(vocab.SECTORS)
    # circle, square (5 points closed), diamond (5), triangle (4), hexagon (7): circle is many
    assert outlines["residents"] != outlines["commercial"] != outlines["other"]
    assert outlines["public"] > 8


def test_ties_coloured_by_type_width_by_strength_and_parallel_ones_bend_apart(qtbot, small_map):
    scene = MapScene(small_map)
    by_type = {item.look.type: item for item in scene.tie_items.values()}
    assert by_type["money"].look.colour == small_map.vocabulary.colour("money")
    assert tie_width(3) > tie_width(2) > tie_width(1)
    assert len(by_type["money"]._heads) == 1 and len(by_type["information"]._heads) == 2
    pair = [by_type["money"], by_type["information"], by_type["support"]]
    offsets = sorted(t.offset for t in pair)
    assert offsets[0] == -offsets[2] and offsets[1] == 0 and offsets[0] < 0
    middles = {round(t._path.pointAtPercent(0.5).y()) for t in pair}
    assert len(middles) == 3  # three distinct curves, not drawn over each other
    assert by_type["influence"].offset == 0  # alone between its pair: straight


def test_edges_follow_a_moved_actor(qtbot, small_map):
    scene = MapScene(small_map)
    council = small_map.find_actor("Council")
    tie = next(t for t in scene.tie_items.values() if t.look.type == "influence")
    start_before = tie._path.pointAtPercent(1.0)
    small_map.move_actor(council.id, -400, -300)  # the model moves it (an undo, a layout)
    end = tie._path.pointAtPercent(1.0)
    assert end != start_before
    assert abs(end.x() + 400) < 50 and abs(end.y() + 300) < 50
    scene.actor_items[council.id].setPos(QPointF(100, 400))  # the mouse moves it
    end = tie._path.pointAtPercent(1.0)
    assert abs(end.x() - 100) < 50 and abs(end.y() - 400) < 50


def wheel(view, notches):
    centre = QPointF(view.viewport().rect().center())
    event = QWheelEvent(
        centre,
        view.viewport().mapToGlobal(centre),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_zoom_is_clamped_and_fit_shows_everyone(qtbot, small_map):
    editor = make_editor(qtbot, small_map)
    view = editor.view
    start = view.zoom()
    wheel(view, 1)
    assert view.zoom() > start
    for _ in range(60):
        wheel(view, 1)
    assert view.zoom() == pytest.approx(MAX_ZOOM)
    for _ in range(80):
        wheel(view, -1)
    assert view.zoom() == pytest.approx(MIN_ZOOM)
    view.fit()
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    for item in editor.scene.actor_items.values():
        assert visible.contains(item.sceneBoundingRect())
    assert MIN_ZOOM <= view.zoom() <= MAX_ZOOM


def test_pan_with_the_middle_button(qtbot, small_map):
    editor = make_editor(qtbot, small_map)
    view = editor.view
    view.set_zoom(2.0)
    before = view.mapToScene(view.viewport().rect().center())
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.MiddleButton, pos=QPoint(300, 300))
    qtbot.mouseMove(viewport, QPoint(200, 250))
    qtbot.mouseRelease(viewport, Qt.MouseButton.MiddleButton, pos=QPoint(200, 250))
    after = view.mapToScene(view.viewport().rect().center())
    assert after.x() - before.x() == pytest.approx(50, abs=2)
    assert after.y() - before.y() == pytest.approx(25, abs=2)


def test_rubber_band_selects_the_actors_inside(qtbot, small_map):
    editor = make_editor(qtbot, small_map)
    council, bank = small_map.find_actor("Council"), small_map.find_actor("Food bank")
    top_left = view_point(editor, QPointF(-230, -70))
    bottom_right = view_point(editor, QPointF(230, 70))
    drag(qtbot, editor.view, top_left, bottom_right)
    assert set(editor.scene.selected_actor_ids()) == {council.id, bank.id}
    assert editor.selection_stack.currentWidget() is editor.nothing
    assert "items selected" in editor.nothing.text()


def test_filter_by_tie_type_and_one_type_per_ties_step(qtbot, small_map):
    editor = make_editor(qtbot, small_map)
    scene = editor.scene
    assert len(scene.visible_ties()) == 4
    editor.set_type_visible("money", False)
    assert {t.look.type for t in scene.visible_ties()} == {"information", "support", "influence"}
    assert editor.type_actions["money"].isChecked() is False
    editor.tie_type.setCurrentIndex(editor.tie_type.findData("support"))
    editor.set_step(TIES)
    assert [t.look.type for t in scene.visible_ties()] == ["support"]
    assert "support" in editor.prompt.text()
    editor.set_step(0)
    assert len(scene.visible_ties()) == 3  # the user's filter is back


def test_highlight_neighbours_fades_the_others(qtbot, small_map):
    editor = make_editor(qtbot, small_map)
    shop = small_map.find_actor("Shop")
    editor.actions["neighbours"].setChecked(True)
    editor.scene.clearSelection()
    editor.scene.actor_items[shop.id].setSelected(True)
    faded = {small_map.actors[k].name for k in editor.scene.faded_keys()}
    assert faded == {"Food bank", "Loner"}
    editor.actions["neighbours"].setChecked(False)
    assert editor.scene.faded_keys() == set()


def test_dropping_a_tie_on_empty_canvas_adds_nothing(qtbot, small_map):
    editor = make_editor(qtbot, small_map)
    editor.ask_tie = lambda s, t: pytest.fail("no tie should be asked for")
    editor.set_step(TIES)
    loner = small_map.find_actor("Loner")
    drag(qtbot, editor.view, actor_point(editor, loner.id), view_point(editor, QPointF(500, -300)))
    assert len(small_map.ties) == 4
    assert not [i for i in editor.scene.items() if type(i).__name__ == "QGraphicsLineItem"]


def test_full_screen_for_the_participant_shows_the_same_canvas(qtbot, small_map):
    editor = make_editor(qtbot, small_map)
    window = editor.show_full_screen()
    assert window.isFullScreen() or window.windowState() & Qt.WindowState.WindowFullScreen
    assert window.view.scene() is editor.scene
    small_map.add_actor(Actor("Seen on both", "other", x=0, y=-200))
    assert any(i.look.name == "Seen on both" for i in window.view.scene().actor_items.values())
    assert editor.show_full_screen() is window  # one at a time
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: editor.participant is None, timeout=3000)  # closed and deleted
