"""Work that must not freeze the canvas (layouts, metrics of big networks) on a worker thread.

The caller hands over a plain snapshot (a map's dict, an immutable site network), never the
live Map, so the worker never reads something the UI thread is changing. A result that arrives
after `cancel()` is dropped, which is how a newer request supersedes an older one.

While a call runs, Python's cyclic GC is confined to the UI thread by the same guard that
fieldkit.gui.tasks installs for its Tasks: a collection on the worker could destroy a Qt widget
caught in a reference cycle there, and Qt crashes.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from fieldkit.errors import FieldkitError
from fieldkit.gui.tasks import main_thread_gc

log = logging.getLogger("fieldkit")

# Calls kept alive until their outcome reached the UI thread: a superseded call dropped by its
# owner must still deliver, or the GC guard it holds would never be released.
_LIVE: set[BackgroundCall] = set()


class BackgroundCall(QObject):
    """Run `fn()` on Qt's thread pool; `done(result)` or `failed(message)` on the UI thread."""

    done = Signal(object)
    failed = Signal(str)
    # From the worker, queued to the UI thread. It carries no Python object: the result waits
    # in `_outcome` (PySide's queued `object` arguments have refcounting bugs at exit).
    _finished = Signal()

    def __init__(self, fn: Callable[[], Any]):
        super().__init__()  # no parent: it must outlive a closed editor until the thread ends
        self._fn = fn
        self.cancelled = False
        self.running = False  # until the result has been handed over on the UI thread
        self._outcome: tuple[bool, Any] = (False, "")
        self._finished.connect(self._deliver)

    def start(self) -> None:
        if self.running:
            raise RuntimeError("a BackgroundCall runs once at a time; make a new one")
        self.running = True
        _LIVE.add(self)
        main_thread_gc().acquire()  # released in _deliver, on the UI thread
        QThreadPool.globalInstance().start(lambda: _run(self))

    def cancel(self) -> None:
        self.cancelled = True

    def _deliver(self) -> None:
        ok, value = self._outcome
        self._outcome = (False, "")
        self.running = False
        _LIVE.discard(self)
        main_thread_gc().release()
        if self.cancelled:
            return
        if ok:
            self.done.emit(value)
        else:
            self.failed.emit(value)


def _run(call: BackgroundCall) -> None:
    """The worker's side: compute, keep the outcome, signal the UI thread."""
    try:
        result = call._fn()
    except FieldkitError as exc:
        call._outcome = (False, str(exc))
    except Exception:  # a bug: logged in full, reported in words
        log.error("background task failed\n%s", traceback.format_exc())
        call._outcome = (False, "the calculation failed unexpectedly (see fieldkit.log)")
    else:
        call._outcome = (True, result)
    call._finished.emit()
