"""Build a map by mouse, undo and redo it, and find it again in the project file."""

from PySide6.QtCore import QPointF, Qt

from fieldkit.gui.maps.editor import GOALS, INFLUENCE, TIES
from fieldkit.mapping.persist import load_map
from tests.gui.map_helpers import (
    actor_point,
    drag,
    make_editor,
    make_project_map,
    view_point,
)


def content(the_map):
    """A map's content, without the 'updated' stamp (the store sets its own)."""
    data = the_map.comparable()
    data.pop("updated")
    return data


def names(the_map):
    return sorted(a.name for a in the_map.actors.values())


def add_by_double_click(qtbot, editor, scene_point, values):
    editor.ask_actor = lambda pos: values
    qtbot.mouseDClick(
        editor.view.viewport(), Qt.MouseButton.LeftButton, pos=view_point(editor, scene_point)
    )
    return editor.map.find_actor(values["name"])


def build_three(qtbot, editor):
    council = add_by_double_click(
        qtbot,
        editor,
        QPointF(-200, 0),
        {"name": "City Council", "sector": "public", "kind": "organisation"},
    )
    bank = add_by_double_click(
        qtbot, editor, QPointF(200, 0), {"name": "Food bank", "sector": "social", "kind": "group"}
    )
    shop = add_by_double_click(
        qtbot,
        editor,
        QPointF(0, 220),
        {"name": "Corner shop", "sector": "commercial", "kind": "organisation"},
    )
    return council, bank, shop


def test_build_a_map_by_mouse_and_reload_it(qtbot, project):
    the_map = make_project_map(project)
    editor = make_editor(qtbot, the_map, project)
    editor.view.fit(editor.view.sceneRect().adjusted(1000, 800, -1000, -800))
    council, bank, shop = build_three(qtbot, editor)
    assert names(the_map) == ["City Council", "Corner shop", "Food bank"]
    assert (council.x, council.y) == (-200, 0) or abs(council.x + 200) < 2

    asked = []

    def tie_values(source, target):
        asked.append((source, target))
        return {"type": "money", "direction": "one-way", "strength": 3}

    editor.ask_tie = tie_values
    editor.set_step(TIES)
    drag(qtbot, editor.view, actor_point(editor, council.id), actor_point(editor, bank.id))
    assert asked == [(council.id, bank.id)]
    tie = the_map.ties_between(council.id, bank.id)[0]
    assert (tie.source, tie.target, tie.type, tie.strength) == (council.id, bank.id, "money", 3)

    # Outside the ties step a plain drag moves the actor, and its ties follow.
    editor.set_step(0)
    tie_item = editor.scene.tie_items[tie.id]
    before = tie_item.boundingRect()
    drag(qtbot, editor.view, actor_point(editor, bank.id), view_point(editor, QPointF(260, -160)))
    assert abs(the_map.actors[bank.id].x - 260) < 3 and abs(the_map.actors[bank.id].y + 160) < 3
    assert tie_item.boundingRect() != before
    # The tie's end now sits beside the actor's new place.
    end = tie_item._path.pointAtPercent(1.0)
    assert abs(end.x() - 260) < 40 and abs(end.y() + 160) < 40

    # Shift-drag draws a tie in any step.
    editor.ask_tie = lambda s, t: {"type": "support", "direction": "mutual", "strength": 1}
    drag(
        qtbot,
        editor.view,
        actor_point(editor, shop.id),
        actor_point(editor, council.id),
        Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(the_map.ties) == 2

    # Every edit is already in the project file.
    assert content(load_map(project, the_map.id)) == content(the_map)
    editor.shutdown()


def test_undo_redo_every_step_and_delete_restores_ties(qtbot, project):
    the_map = make_project_map(project)
    editor = make_editor(qtbot, the_map, project)
    council, bank, shop = build_three(qtbot, editor)
    editor.ask_tie = lambda s, t: {"type": "information", "direction": "mutual", "strength": 2}
    editor.set_step(TIES)
    drag(qtbot, editor.view, actor_point(editor, council.id), actor_point(editor, bank.id))
    drag(qtbot, editor.view, actor_point(editor, shop.id), actor_point(editor, council.id))
    editor.set_step(0)
    assert len(the_map.ties) == 2
    full = the_map.to_dict()

    editor.scene.clearSelection()
    editor.scene.actor_items[council.id].setSelected(True)
    editor.view.setFocus()
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert council.id not in the_map.actors and not the_map.ties
    assert council.id not in editor.scene.actor_items and not editor.scene.tie_items
    assert load_map(project, the_map.id).ties == {}

    qtbot.keyClick(editor.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(the_map.ties) == 2 and council.id in the_map.actors
    assert len(editor.scene.tie_items) == 2
    reloaded = load_map(project, the_map.id)
    assert reloaded.comparable()["ties"] == the_map.comparable()["ties"]

    qtbot.keyClick(
        editor.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert council.id not in the_map.actors and not the_map.ties
    editor.stack.undo()
    assert content(the_map)["ties"] == {t["id"]: t for t in full["ties"]}
    editor.stack.redo()
    after_delete = content(the_map)

    # Undo everything: an empty map, in memory and in the file; redo all: the same map again.
    while editor.stack.canUndo():
        editor.stack.undo()
    assert not the_map.actors and not editor.scene.actor_items
    assert load_map(project, the_map.id).actors == {}
    while editor.stack.canRedo():
        editor.stack.redo()
    assert content(the_map) == after_delete
    assert content(load_map(project, the_map.id)) == after_delete
    editor.shutdown()


def test_delete_asks_first(qtbot, project):
    the_map = make_project_map(project)
    editor = make_editor(qtbot, the_map, project)
    council, bank, _ = build_three(qtbot, editor)
    questions = []
    editor.confirm = lambda text: questions.append(text) or False
    editor.scene.clearSelection()
    editor.scene.actor_items[council.id].setSelected(True)
    assert editor.delete_selected() is False
    assert council.id in the_map.actors
    assert questions == ["Delete City Council?"]
    editor.shutdown()


def test_side_panel_edits_are_undoable_and_saved(qtbot, project):
    the_map = make_project_map(project)
    editor = make_editor(qtbot, the_map, project)
    council, _, _ = build_three(qtbot, editor)
    editor.scene.clearSelection()
    editor.scene.actor_items[council.id].setSelected(True)
    assert editor.selection_stack.currentWidget() is editor.actor_panel
    editor.set_step(INFLUENCE)
    editor.actor_panel.influence.setValue(8)
    assert the_map.actors[council.id].influence == 8
    assert editor.scene.actor_items[council.id].radius > 30
    editor.set_step(GOALS)
    goals = editor.actor_panel.goals_list
    if goals.count():
        goals.item(0).setCheckState(Qt.CheckState.Checked)
        assert the_map.actors[council.id].goals == [goals.item(0).data(Qt.ItemDataRole.UserRole)]
    panel = editor.actor_panel
    panel.name.setText("Manchester City Council")
    panel.name.editingFinished.emit()
    assert the_map.actors[council.id].name == "Manchester City Council"
    assert load_map(project, the_map.id).actors[council.id].name == "Manchester City Council"
    editor.stack.undo()
    assert the_map.actors[council.id].name == "City Council"
    assert panel.name.text() == "City Council"
    editor.shutdown()


def test_a_refused_edit_changes_nothing(qtbot, project, monkeypatch):
    the_map = make_project_map(project)
    editor = make_editor(qtbot, the_map, project)
    council, bank, _ = build_three(qtbot, editor)
    shown = []
    monkeypatch.setattr(
        "fieldkit.gui.guard.show_problems", lambda parent, exc, title="": shown.append(exc.lines())
    )
    editor.scene.clearSelection()
    editor.scene.actor_items[bank.id].setSelected(True)
    depth = editor.stack.count()
    editor.actor_panel.name.setText("city council")  # the same actor twice on one map
    editor.actor_panel.name.editingFinished.emit()
    assert the_map.actors[bank.id].name == "Food bank"
    assert editor.actor_panel.name.text() == "Food bank"
    assert editor.stack.count() == depth
    assert shown and "already an actor" in shown[0][0]
    editor.shutdown()


def test_roster_fills_the_new_actor_and_adds_many_at_once(qtbot, project):
    from fieldkit.gui.maps.dialogs import AddActorDialog

    roster = [
        {"name": "Manchester City Council", "sector": "public", "kind": "organisation", "maps": 4},
        {"name": "Friends of the Park", "sector": "residents", "kind": "group", "maps": 1},
    ]
    dialog = AddActorDialog(roster)
    qtbot.addWidget(dialog)
    dialog.name.setText("friends of the park")
    assert dialog.values() == {
        "name": "friends of the park",
        "sector": "residents",
        "kind": "group",
    }
    assert "1 earlier map" in dialog.known.text()
    assert dialog.name.completer().model().rowCount() == 2

    the_map = make_project_map(project)
    editor = make_editor(qtbot, the_map, project, roster=roster)
    editor.ask_roster = lambda available: available
    assert editor.add_from_roster() == 2
    assert names(the_map) == ["Friends of the Park", "Manchester City Council"]
    editor.stack.undo()
    assert not the_map.actors
    editor.stack.redo()
    assert editor.add_from_roster() == 0  # both already on the map
    # What a map adds joins the site's roster.
    assert {r["name"] for r in project.maps.roster("Cheetham Hill")} == {
        "Friends of the Park",
        "Manchester City Council",
    }
    editor.shutdown()
