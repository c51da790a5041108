"""Tidy and arrange off the UI thread (one undo step), and the live metrics panel."""

import importlib.util
import random

from PySide6.QtCore import QThreadPool

from fieldkit.gui.maps.metrics_panel import THREAD_ABOVE
from fieldkit.mapping.metrics import compute_metrics
from fieldkit.mapping.model import Actor, Map, Tie
from tests.gui.map_helpers import make_editor


def grid_map(actors=8, ties=10, seed=3):
    rng = random.Random(seed)
    the_map = Map(site="S", round="R")
    sectors = ["public", "social", "commercial", "residents", "other"]
    made = [
        the_map.add_actor(Actor(f"Actor {k}", sectors[k % 5], x=float(k * 10), y=0.0))
        for k in range(actors)
    ]
    types = the_map.vocabulary.link_type_names()
    while len(the_map.ties) < ties:
        a, b = rng.sample(made, 2)
        try:
            the_map.add_tie(Tie(a.id, b.id, rng.choice(types)))
        except Exception:
            continue
    return the_map


def test_arrange_by_sector_runs_in_the_background_and_undoes_in_one_step(qtbot):
    the_map = grid_map()
    editor = make_editor(qtbot, the_map)
    before = {k: (a.x, a.y) for k, a in the_map.actors.items()}
    task = editor.tidy("sector")
    with qtbot.waitSignal(task.applied, timeout=10000) as moved:
        pass
    assert moved.args[0] == len(the_map.actors)
    after = {k: (a.x, a.y) for k, a in the_map.actors.items()}
    assert after != before
    for key, (x, y) in after.items():
        assert (
            editor.scene.actor_items[key].pos().x(),
            editor.scene.actor_items[key].pos().y(),
        ) == (x, y)
    assert editor.stack.undoText() == "Arrange by sector"
    editor.stack.undo()
    assert {k: (a.x, a.y) for k, a in the_map.actors.items()} == before


def test_tidy_reports_clearly_when_the_layout_cannot_run(qtbot):
    the_map = grid_map()
    editor = make_editor(qtbot, the_map)
    errors = []
    editor.show_error = errors.append
    task = editor.tidy("spring")
    if importlib.util.find_spec("numpy") is None:
        with qtbot.waitSignal(task.failed, timeout=10000):
            pass
        assert errors and "numpy" in errors[0]
        assert editor.stack.count() == 0
    else:
        with qtbot.waitSignal(task.applied, timeout=10000):
            pass
        assert editor.stack.undoText().startswith("Tidy")


def test_metrics_follow_edits_debounced(qtbot):
    the_map = grid_map()
    editor = make_editor(qtbot, the_map)
    live = editor.metrics
    runs = live.runs
    first = the_map.add_actor(Actor("New one", "public", x=0, y=0))
    the_map.add_actor(Actor("Another", "social", x=50, y=0))
    the_map.add_tie(Tie(first.id, next(iter(the_map.actors)), "money"))
    assert live.runs == runs  # nothing yet: debounced
    qtbot.waitUntil(lambda: live.runs == runs + 1, timeout=3000)
    expected = compute_metrics(the_map)
    assert editor.metrics_panel.text("size") == f"{expected.actors} / {expected.ties}"
    assert editor.metrics_panel.text("density") == f"{expected.density:.2f}"
    assert "Another" in editor.metrics_panel.text("isolates")


def test_metrics_of_a_big_map_are_computed_off_the_ui_thread(qtbot):
    the_map = grid_map(actors=THREAD_ABOVE + 40, ties=300)
    editor = make_editor(qtbot, the_map)
    QThreadPool.globalInstance().waitForDone(20000)
    qtbot.waitUntil(lambda: not editor.metrics.busy(), timeout=20000)
    assert editor.metrics.threaded_runs >= 1
    expected = compute_metrics(the_map)
    assert editor.metrics_panel.text("size") == f"{expected.actors} / {expected.ties}"


def test_kamada_kawai_on_a_big_map_runs_spring_and_says_so(qtbot):
    from fieldkit.mapping.layout import KAMADA_KAWAI_MAX_ACTORS

    the_map = grid_map(actors=KAMADA_KAWAI_MAX_ACTORS + 1, ties=150)
    editor = make_editor(qtbot, the_map)
    task = editor.tidy("kamada_kawai")
    assert task.method == "spring"
    assert "spring layout was used" in editor.layout_note.text()
    assert not editor.layout_note.isHidden()
    task.cancel()
    QThreadPool.globalInstance().waitForDone(20000)
    small = make_editor(qtbot, grid_map())
    assert small.tidy("kamada_kawai").method == "kamada_kawai"
    assert small.layout_note.isHidden()
    small.layout_task.cancel()
    QThreadPool.globalInstance().waitForDone(20000)


def test_background_call_keeps_python_gc_on_the_ui_thread(qtbot):
    import gc
    import threading

    from fieldkit.gui.maps.tasks import BackgroundCall

    release = threading.Event()
    seen = []

    def work():
        seen.append(gc.isenabled())  # on the worker, while the call runs
        release.wait(10)
        return 42

    assert gc.isenabled()
    call = BackgroundCall(work)
    results = []
    call.done.connect(results.append)
    call.start()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [False]
    del call  # the owner may drop a superseded call: it must still deliver and release
    release.set()
    qtbot.waitUntil(lambda: gc.isenabled(), timeout=5000)
    assert results == [42]
