"""Helpers for the map canvas tests: a map in a project, an editor on it, mouse gestures."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication

from fieldkit.gui.maps.editor import MapEditor
from fieldkit.mapping.persist import new_map


def make_project_map(project):
    project.sites.add("Cheetham Hill")
    project.rounds.add("Baseline")
    return new_map(project, "Cheetham Hill", "Baseline", "Who makes things happen here?")


def make_editor(qtbot, the_map, project=None, roster=()):
    editor = MapEditor(the_map, project=project, roster=roster)
    qtbot.addWidget(editor)
    editor.resize(1280, 720)
    editor.show()
    qtbot.waitExposed(editor)
    editor.confirm = lambda text: True
    return editor


def view_point(editor, scene_point: QPointF) -> QPoint:
    return editor.view.mapFromScene(scene_point)


def actor_point(editor, actor_id: str) -> QPoint:
    return view_point(editor, editor.scene.actor_items[actor_id].scenePos())


def drag(qtbot, view, start: QPoint, end: QPoint, modifier=Qt.KeyboardModifier.NoModifier, steps=6):
    """Press at `start`, move in steps, release at `end`: a real drag on the viewport."""
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifier, start)
    for k in range(1, steps + 1):
        point = start + (end - start) * (k / steps)
        qtbot.mouseMove(viewport, point)
        QApplication.processEvents()
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifier, end)
    QApplication.processEvents()
