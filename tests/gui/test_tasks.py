"""The background-task runner: worker thread, delayed progress, Cancel, clean results."""

from __future__ import annotations

import gc
import logging
import os
import threading
import time

import pytest
from PySide6.QtCore import QObject, Qt, QTimer

from fieldkit.errors import FieldkitError, Problem
from fieldkit.gui.tasks import (
    CANCELLED,
    DONE,
    FAILED,
    PROGRESS_DELAY_MS,
    REFUSED,
    ProgressPanel,
    Task,
    run_task,
    wait_for_tasks,
)
from fieldkit.packs.progress import ExportCancelled, Steps


@pytest.fixture(autouse=True)
def _no_task_left_running():
    yield
    assert wait_for_tasks(10_000), "a task was still running after its test"


def slow_writer(path, steps=40, pause=0.02, seen=None):
    """A fake core function with the packs' contract: atomic file, progress, cancel."""

    def fn(progress, cancel):
        if seen is not None:
            seen["thread"] = threading.current_thread()
        counter = Steps(steps, progress, cancel, what="slow export")
        part = path.with_name(f".{path.name}.part")
        try:
            with part.open("w") as out:
                for i in range(steps):
                    time.sleep(pause)
                    out.write(f"line {i}\n")
                    if seen is not None:
                        seen["steps"] = i + 1
                    counter.advance()
            os.replace(part, path)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return path

    return fn


def finished(qtbot, task, timeout=10_000):
    qtbot.waitUntil(lambda: task.result is not None, timeout=timeout)
    return task.result


def test_work_runs_off_the_ui_thread_and_progress_arrives_on_it(qtbot, tmp_path):
    seen: dict = {}
    received: list[tuple[int, int, threading.Thread]] = []
    task = Task(slow_writer(tmp_path / "out.txt", steps=5, pause=0.06, seen=seen), "Writing…")
    task.progressed.connect(lambda d, t: received.append((d, t, threading.current_thread())))
    task.start()
    result = finished(qtbot, task)

    assert result.status == DONE and result.ok
    assert result.value == tmp_path / "out.txt"
    assert (tmp_path / "out.txt").read_text().count("line") == 5
    assert seen["thread"] is not threading.main_thread()
    assert received, "no progress reached the UI thread"
    assert {thread for *_, thread in received} == {threading.main_thread()}
    assert [d for d, *_ in received] == sorted(d for d, *_ in received)
    assert received[-1][:2] == (5, 5)


def test_a_quick_task_never_shows_progress(qtbot):
    shown = []
    task = Task(lambda progress, cancel: 42, "Quick…")
    task.showProgress.connect(lambda: shown.append(True))
    task.start()
    assert finished(qtbot, task).value == 42
    qtbot.wait(PROGRESS_DELAY_MS + 100)
    assert shown == []


def test_progress_is_shown_only_after_the_delay(qtbot, tmp_path):
    shown_at: list[float] = []
    task = Task(slow_writer(tmp_path / "out.txt", steps=30, pause=0.03), "Slow…")
    task.showProgress.connect(lambda: shown_at.append(time.monotonic()))
    started = time.monotonic()
    task.start()
    finished(qtbot, task)
    assert len(shown_at) == 1
    assert shown_at[0] - started >= PROGRESS_DELAY_MS / 1000 - 0.02


def test_cancel_stops_the_core_and_leaves_no_file(qtbot, tmp_path):
    seen: dict = {}
    target = tmp_path / "out.txt"
    task = Task(slow_writer(target, steps=200, pause=0.01, seen=seen), "Writing…")
    task.start()
    qtbot.waitUntil(lambda: task.last_progress[0] >= 3, timeout=5000)
    task.cancel()
    result = finished(qtbot, task)

    assert result.status == CANCELLED
    assert "cancelled" in result.message and "nothing was written" in result.message
    assert seen["steps"] < 200
    assert list(tmp_path.iterdir()) == []


def test_cancel_button_of_the_panel_cancels(qtbot, tmp_path):
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    task = Task(slow_writer(tmp_path / "out.txt", steps=300, pause=0.01), "Writing the pack…")
    panel.follow(task)
    task.start()
    assert not panel.isVisible()
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    assert panel.label.text() == "Writing the pack…"
    qtbot.waitUntil(lambda: panel.bar.maximum() == 300, timeout=3000)
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not panel.cancel_button.isEnabled()
    assert finished(qtbot, task).status == CANCELLED
    assert not panel.isVisible()
    assert not (tmp_path / "out.txt").exists()


def test_refusals_come_back_as_clean_results(qtbot, tmp_path):
    def refuse(progress, cancel):
        raise FieldkitError(Problem("no such sheet", file="pack.xlsx", sheet="About"))

    task = Task(refuse)
    task.start()
    result = finished(qtbot, task)
    assert result.status == REFUSED
    assert result.lines == ["pack.xlsx, sheet 'About': no such sheet"]

    def disk_full(progress, cancel):
        raise OSError(28, "No space left on device", str(tmp_path / "x.pdf"))

    task = Task(disk_full)
    task.start()
    result = finished(qtbot, task)
    assert result.status == REFUSED
    assert result.lines == [f"No space left on device: {tmp_path / 'x.pdf'}"]


def test_a_bug_is_logged_in_full_and_reported_in_words(qtbot, caplog):
    def buggy(progress, cancel):
        return {}["missing"]

    task = Task(buggy)
    with caplog.at_level(logging.ERROR, logger="fieldkit"):
        task.start()
        result = finished(qtbot, task)
    assert result.status == FAILED
    assert "Traceback" not in result.message and "KeyError" not in result.message
    assert "fieldkit.log" in result.message
    assert "KeyError" in caplog.text and "Traceback" in caplog.text


def test_a_cancelled_export_error_from_the_core_is_cancelled_not_refused(qtbot):
    def stops(progress, cancel):
        raise ExportCancelled("Excel export")

    task = Task(stops)
    task.start()
    assert finished(qtbot, task).status == CANCELLED


def test_the_ui_stays_responsive_while_the_core_computes(qtbot):
    """A CPU-bound core on the worker: the UI thread's timer never waits more than 100 ms."""

    def busy(progress, cancel):
        end = time.monotonic() + 0.8
        total = 0
        while time.monotonic() < end:
            total += sum(range(2000))
            progress(int((0.8 - (end - time.monotonic())) * 100), 80)
        return total

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    task = Task(busy)
    timer.start()
    task.start()
    finished(qtbot, task)
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) > 20
    assert max(gaps) < 0.1


def test_progress_is_throttled_but_the_last_value_arrives(qtbot):
    received: list[tuple[int, int]] = []

    def chatty(progress, cancel):
        for i in range(1, 50_001):
            progress(i, 50_000)

    task = Task(chatty)
    task.progressed.connect(lambda d, t: received.append((d, t)))
    task.start()
    finished(qtbot, task)
    assert received[-1] == (50_000, 50_000)
    assert len(received) < 200


def test_a_task_runs_once(qtbot):
    task = Task(lambda progress, cancel: None)
    task.start()
    with pytest.raises(RuntimeError):
        task.start()
    finished(qtbot, task)


def test_run_task_shows_a_window_after_the_delay_and_escape_cancels(qtbot, tmp_path):
    results = []
    task = run_task(
        slow_writer(tmp_path / "out.txt", steps=300, pause=0.01),
        "Merging bundles…",
        None,
        results.append,
    )
    qtbot.addWidget(task.dialog)
    qtbot.waitUntil(task.dialog.isVisible, timeout=3000)
    assert task.dialog.windowTitle() == "Merging bundles"
    qtbot.keyClick(task.dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results[0].status == CANCELLED
    qtbot.waitUntil(lambda: not task.dialog.isVisible(), timeout=2000)
    assert not (tmp_path / "out.txt").exists()


def test_cyclic_gc_runs_only_on_the_ui_thread_while_a_task_runs(qtbot, tmp_path):
    """A collection on the worker could destroy a widget there; Qt would crash."""
    assert gc.isenabled()
    task = Task(slow_writer(tmp_path / "out.txt", steps=10, pause=0.02))
    task.start()
    assert not gc.isenabled()
    finished(qtbot, task)
    assert gc.isenabled()


def test_a_task_whose_owner_is_deleted_mid_run_ends_cleanly(qtbot, tmp_path):
    owner = QObject()
    task = Task(slow_writer(tmp_path / "out.txt", steps=10, pause=0.02), parent=owner)
    task.start()
    owner.deleteLater()
    qtbot.waitUntil(lambda: gc.isenabled(), timeout=5000)
    assert (tmp_path / "out.txt").exists()
