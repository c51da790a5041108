"""Long work off the UI thread: a core function run on a worker, with progress and Cancel.

The UI never freezes for more than 100 ms, so anything that may take longer (exports, merges,
big layouts) runs as a `Task`: `fn(progress, cancel)` is called on a worker thread with the same
two callbacks every pack builder takes (fieldkit.packs.progress), so the core function the CLI
calls is the very one the GUI runs. Progress is marshalled to the UI thread by a queued signal;
Cancel only sets a flag that the core's `cancel()` reads between units of work.

As in Anki's taskman, progress is shown only after a short delay (`PROGRESS_DELAY_MS`), so a
task that takes a blink never flashes a bar, and tasks run one at a time on a single worker
thread, so two operations never interleave on the project file.

Every outcome comes back as a `TaskResult` on the UI thread: done, refused (a FieldkitError or
an OS error, in words), cancelled (ExportCancelled) or failed (a bug: logged in full to
fieldkit.log, reported in words). A traceback never reaches the user.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.packs.progress import CancelFn, ExportCancelled, ProgressFn

log = logging.getLogger("fieldkit")

PROGRESS_DELAY_MS = 300  # nothing is shown for work that ends sooner than this
PROGRESS_INTERVAL_S = 0.05  # at most ~20 progress updates a second reach the UI thread

DONE = "done"
REFUSED = "refused"
CANCELLED = "cancelled"
FAILED = "failed"

TaskFn = Callable[[ProgressFn, CancelFn], Any]


@dataclass
class TaskResult:
    """How a task ended. `value` is fn's return value when done; `lines` say why otherwise."""

    status: str
    value: Any = None
    lines: list[str] = field(default_factory=list)
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.status == DONE

    @property
    def message(self) -> str:
        return "\n".join(self.lines)


def _pool() -> QThreadPool:
    """One worker thread for all tasks: project work is serialised, never interleaved."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(1)
        _POOL.setObjectName("fieldkit-tasks")
    return _POOL


_POOL: QThreadPool | None = None
_LIVE: set[_Bridge] = set()  # bridges kept alive until their result reached the UI thread


def wait_for_tasks(timeout_ms: int = 30_000) -> bool:
    """Block until every queued task has ended (at shutdown, and in tests)."""
    return _POOL.waitForDone(timeout_ms) if _POOL is not None else True


class _MainThreadGC(QObject):
    """While any task runs, Python's cyclic GC runs only on the UI thread (as in Anki).

    The collector runs in whichever thread happens to allocate; on a worker it may destroy a
    widget caught in a reference cycle, and Qt crashes. So while tasks run, automatic collection
    is off and a timer on the UI thread collects by the same thresholds; afterwards the
    interpreter's own setting is restored.
    """

    INTERVAL_MS = 200

    def __init__(self) -> None:
        super().__init__()
        self.active = 0
        self.was_enabled = True
        self.timer = QTimer(self)
        self.timer.setInterval(self.INTERVAL_MS)
        self.timer.timeout.connect(self.collect)

    def acquire(self) -> None:
        if self.active == 0:
            self.was_enabled = gc.isenabled()
            gc.disable()
            self.timer.start()
        self.active += 1

    def release(self) -> None:
        self.active = max(self.active - 1, 0)
        if self.active == 0:
            self.timer.stop()
            if self.was_enabled:
                gc.enable()

    def collect(self) -> None:
        counts, limits = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > limits[generation]:
                gc.collect(generation)
                return


_GC: _MainThreadGC | None = None


def main_thread_gc() -> _MainThreadGC:
    global _GC
    if _GC is None:
        _GC = _MainThreadGC()
    return _GC


class _Bridge(QObject):
    """Lives on the UI thread; the worker emits through it, so slots run on the UI thread.

    It outlives its Task (kept in _LIVE until its result has been handed over), so a dialog
    closed mid-task never leaves the worker emitting into a deleted object, and the GC guard is
    released even then.
    """

    progressed = Signal(int, int)
    finished = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._ended)  # connected first: runs before the Task's slot

    def _ended(self, _result: object) -> None:
        main_thread_gc().release()
        QTimer.singleShot(0, self._forget)

    def _forget(self) -> None:
        _LIVE.discard(self)


def _outcome(fn: TaskFn, progress: ProgressFn, cancel: CancelFn) -> TaskResult:
    try:
        return TaskResult(DONE, value=fn(progress, cancel))
    except ExportCancelled as exc:
        return TaskResult(CANCELLED, lines=exc.lines(), error=exc)
    except FieldkitError as exc:
        return TaskResult(REFUSED, lines=exc.lines(), error=exc)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        return TaskResult(REFUSED, lines=[f"{exc.strerror or exc}{where}"], error=exc)
    except Exception as exc:  # a bug: logged in full, reported in words
        log.error("background task failed\n%s", traceback.format_exc())
        return TaskResult(
            FAILED,
            lines=["the work stopped because of an unexpected problem (see fieldkit.log)"],
            error=exc,
        )


class _Runnable(QRunnable):
    def __init__(self, fn: TaskFn, bridge: _Bridge, cancelled: threading.Event):
        super().__init__()
        self.fn = fn
        self.bridge = bridge
        self.cancelled = cancelled
        self._last_emit = 0.0
        self._last_value: tuple[int, int] | None = None

    def _progress(self, done: int, total: int) -> None:
        """Called by the core on the worker; throttled so the UI thread is never flooded."""
        value = (int(done), int(total))
        now = time.monotonic()
        final = value[1] > 0 and value[0] >= value[1]
        if value != self._last_value and (final or now - self._last_emit >= PROGRESS_INTERVAL_S):
            self._last_emit = now
            self._last_value = value
            self.bridge.progressed.emit(*value)

    def run(self) -> None:
        result = _outcome(self.fn, self._progress, self.cancelled.is_set)
        self.bridge.finished.emit(result)


class Task(QObject):
    """One long operation. Create it on the UI thread, connect to its signals, then `start()`.

    Signals arrive on the UI thread: `progressed(done, total)` (total 0 means "busy, no
    count yet"), `showProgress()` once the delay has passed and the task is still running, and
    `finished(TaskResult)` exactly once.
    """

    progressed = Signal(int, int)
    showProgress = Signal()
    finished = Signal(object)

    def __init__(
        self,
        fn: TaskFn,
        title: str = "Working…",
        parent: QObject | None = None,
        delay_ms: int = PROGRESS_DELAY_MS,
    ):
        super().__init__(parent)
        self.fn = fn
        self.title = title
        self.delay_ms = delay_ms
        self.result: TaskResult | None = None
        self.last_progress: tuple[int, int] = (0, 0)
        self._cancelled = threading.Event()
        self._started = False
        self.dialog: QDialog | None = None  # the TaskDialog run_task made for it, if any
        self._bridge = _Bridge()
        self._bridge.progressed.connect(self._on_progress)
        self._bridge.finished.connect(self._on_finished)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_delay)

    @property
    def running(self) -> bool:
        return self._started and self.result is None

    @property
    def cancel_requested(self) -> bool:
        return self._cancelled.is_set()

    def start(self) -> None:
        if self._started:
            raise RuntimeError("a Task runs once; make a new one")
        self._started = True
        _LIVE.add(self._bridge)
        main_thread_gc().acquire()
        self._timer.start(self.delay_ms)
        _pool().start(_Runnable(self.fn, self._bridge, self._cancelled))

    def cancel(self) -> None:
        """Ask the core to stop at its next check. Safe to call from any thread."""
        self._cancelled.set()

    def wait(self, timeout_ms: int = 30_000) -> TaskResult | None:
        """Block until the worker is done and deliver the result (shutdown, scripts, tests)."""
        wait_for_tasks(timeout_ms)
        if self.result is None:
            QCoreApplication.processEvents()
        return self.result

    def _on_progress(self, done: int, total: int) -> None:
        if self.result is None:
            self.last_progress = (done, total)
            self.progressed.emit(done, total)

    def _on_delay(self) -> None:
        if self.running:
            self.showProgress.emit()

    def _on_finished(self, result: TaskResult) -> None:
        self._timer.stop()
        self.result = result
        self.finished.emit(result)


class ProgressPanel(QWidget):
    """A progress bar, a line saying what is happening, and Cancel: embeddable in any dialog.

    Hidden until the task's delay has passed; hidden again when the task ends.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progress")
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addLayout(row)
        self.task: Task | None = None
        self.cancel_button.clicked.connect(self.cancel)
        self.hide()

    def follow(self, task: Task) -> None:
        """Show this task's progress (after its delay) until it ends."""
        self.task = task
        self.label.setText(task.title)
        self.bar.setRange(0, 0)  # busy until the core reports a count
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        task.progressed.connect(self._progress)
        task.showProgress.connect(self.show)
        task.finished.connect(self._ended)

    def cancel(self) -> None:
        if self.task is not None and self.task.running:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText("Cancelling…")
            self.label.setText("Stopping at the next safe point…")

    def _ended(self, _result: TaskResult) -> None:
        self.hide()

    def _progress(self, done: int, total: int) -> None:
        if total <= 0:
            self.bar.setRange(0, 0)
            return
        self.bar.setRange(0, total)
        self.bar.setValue(min(done, total))


class TaskDialog(QDialog):
    """A small modal window with a ProgressPanel, for callers with no dialog of their own.

    It appears only after the task's delay and closes itself when the task ends; closing it
    (Escape, the window's X) asks the task to cancel rather than abandoning it.
    """

    def __init__(self, task: Task, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(task.title.rstrip("…."))
        self.setModal(True)
        self.setMinimumWidth(380)
        self.panel = ProgressPanel(self)
        self.panel.follow(task)
        self.panel.show()
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.task = task
        task.showProgress.connect(self.show)
        task.finished.connect(self._ended)

    def _ended(self, _result: TaskResult) -> None:
        self.accept()

    def reject(self) -> None:
        if self.task.running:
            self.panel.cancel()
            return
        super().reject()


def run_task(
    fn: TaskFn,
    title: str,
    parent: QWidget | None,
    on_finished: Callable[[TaskResult], None],
    delay_ms: int = PROGRESS_DELAY_MS,
) -> Task:
    """Run fn with a progress window (after the delay); `on_finished(result)` on the UI thread."""
    task = Task(fn, title, parent, delay_ms)
    dialog = TaskDialog(task, parent)
    task.dialog = dialog
    task.finished.connect(on_finished)
    task.start()
    return task
