"""How long one frame of dragging takes on a 500-actor / 3,000-tie map (the issue's benchmark).

A real drag: the mouse is pressed on the busiest actor and moved in steps; each step is timed
from the mouse event to the end of the synchronous repaint of the viewport (scene update, ties
re-routed, everything exposed redrawn). DESIGN.md allows no freeze over 100 ms; the figures
are written to /tmp/map_frame_time.txt for the report.

Both the wall-clock time and the UI thread's CPU time are recorded (Qt's raster painting runs on
that thread) and printed against the 100 ms budget; they are reported, not asserted, since a
timed assertion fails on a busy machine (performance goals are the benchmarks' job). The test
asserts that every frame of the drag really moved the actor and that the drag is one undo step.
"""

import random
import statistics
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from fieldkit import vocab
from fieldkit.gui.maps.editor import MapEditor
from fieldkit.mapping.model import Actor, Map, Tie

ACTORS = 500
TIES = 3000
FRAMES = 40
BUDGET_MS = 100.0
REPORT = Path("/tmp/map_frame_time.txt")


def big_map(seed: int = 7) -> Map:
    rng = random.Random(seed)
    the_map = Map(site="S", round="R")
    actors = [
        the_map.add_actor(
            Actor(
                f"Actor {k:03d}",
                vocab.SECTORS[k % len(vocab.SECTORS)],
                influence=rng.randint(0, 10),
                x=rng.uniform(-1500, 1500),
                y=rng.uniform(-1000, 1000),
            )
        )
        for k in range(ACTORS)
    ]
    types = the_map.vocabulary.link_type_names()
    # A few hubs, as real networks have: a fifth of ties touch one of ten actors.
    hubs = actors[:10]
    while len(the_map.ties) < TIES:
        a = rng.choice(hubs) if rng.random() < 0.2 else rng.choice(actors)
        b = rng.choice(actors)
        if a is b:
            continue
        tie = Tie(a.id, b.id, rng.choice(types), rng.choice(vocab.DIRECTIONS), rng.randint(1, 3))
        if not any(t.type == tie.type for t in the_map.ties_between(a.id, b.id)):
            the_map.ties[tie.id] = tie  # bulk set-up; the map is checked below
    assert the_map.problems() == []
    return the_map


def move_event(viewport, point: QPoint) -> QMouseEvent:
    local = QPointF(point)
    return QMouseEvent(
        QEvent.Type.MouseMove,
        local,
        QPointF(viewport.mapToGlobal(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )


def drag_frames(
    qtbot, editor: MapEditor, actor_id: str, frames: int = FRAMES
) -> tuple[list[float], list[float]]:
    """Time each step: the mouse event (scene update, ties re-routed) plus a synchronous repaint.

    Returns (wall-clock ms, UI-thread CPU ms) per frame.
    """
    view = editor.view
    viewport = view.viewport()
    item = editor.scene.actor_items[actor_id]
    item.setZValue(2)  # at "fit" other actors overlap it; the press must land on this one
    start = view.mapFromScene(item.scenePos())
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    QApplication.processEvents()
    times, cpu = [], []
    for k in range(1, frames + 1):
        point = start + QPoint(3 * k, 2 * k)
        before = item.pos()
        began, began_cpu = time.perf_counter(), time.thread_time()
        QApplication.sendEvent(viewport, move_event(viewport, point))
        viewport.repaint()
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.thread_time() - began_cpu) * 1000)
        assert item.pos() != before  # the frame really moved the actor
    end = start + QPoint(3 * frames, 2 * frames)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    QApplication.processEvents()
    return times, cpu


def summary(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (
        f"{label}: mean {statistics.fmean(times):.1f} ms, median {statistics.median(times):.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(times):.1f} ms over {len(times)} frames"
    )


def test_frame_time_while_dragging_a_hub_of_a_500_actor_3000_tie_map(qtbot):
    the_map = big_map()
    set_up = time.perf_counter()
    editor = MapEditor(the_map)
    qtbot.addWidget(editor)
    editor.resize(1280, 720)
    editor.show()
    qtbot.waitExposed(editor)
    opened = (time.perf_counter() - set_up) * 1000
    hub = max(the_map.actors, key=lambda a: len(the_map.ties_of(a)))
    hub_ties = len(the_map.ties_of(hub))

    editor.view.fit()
    whole, whole_cpu = drag_frames(qtbot, editor, hub)
    editor.view.set_zoom(1.0)
    editor.view.centerOn(editor.scene.actor_items[hub])
    close, close_cpu = drag_frames(qtbot, editor, hub)
    moved = the_map.actors[hub]
    lines = [
        f"map: {len(the_map.actors)} actors, {len(the_map.ties)} ties; dragged actor has "
        f"{hub_ties} ties; editor opened in {opened:.0f} ms",
        summary("whole map in view (fit), wall clock", whole),
        summary("whole map in view (fit), UI-thread CPU", whole_cpu),
        summary("zoom 1.0 around the actor, wall clock", close),
        summary("zoom 1.0 around the actor, UI-thread CPU", close_cpu),
    ]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    # The drag ended as one model move (the edges followed, the map was told once).
    assert editor.stack.count() == 2 and editor.stack.undoText() == "Move actor"
    assert moved.x is not None
    # The median: a shared test machine adds the odd spike that is not the canvas's doing.
    editor.shutdown()
