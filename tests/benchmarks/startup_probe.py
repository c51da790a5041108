"""One cold start, as a user makes it: `python startup_probe.py fieldkit|bare WORK_DIR`.

Run by path (not `-m tests.benchmarks...`), so nothing of the benchmark package is imported
before the timed code: the process does what the installed `fieldkit` script does. It prints
one line, `BENCH-RESULT {"shown_at": ..., "peak_mb": ...}`; the parent times from spawn to
`shown_at` (perf_counter is the system-wide monotonic clock, so the two processes agree).

- fieldkit: `fieldkit.cli.main([])` with FIELDKIT_DATA_DIR set to the prepared data dir, i.e.
  `fieldkit` with no command: the CLI's own parse, then `run_gui` (QApplication and the look,
  the default project opened, the main window built and shown, the event loop started).
- bare: PySide6 alone, an empty QMainWindow of the same size shown, the event loop started.

"Shown" is the same moment on both sides: the first turn of the event loop after `show()`
(a zero-delay timer fires once the pending show, expose and paint events are handled). On the
fieldkit side that turn is reached through run_gui's own `app.exec()`: QApplication.exec is
wrapped to arm the timer first, and the timer quits the loop, so run_gui returns as on close.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

MARK = "BENCH-RESULT "
WINDOW_SIZE = (1100, 720)


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM on Linux; see worker.peak_mb for why)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _quit_on_first_turn(app, shown: dict[str, float]) -> None:
    from PySide6.QtCore import QTimer

    def record() -> None:
        shown.setdefault("at", time.perf_counter())
        app.quit()

    QTimer.singleShot(0, record)


def fieldkit_start(work: Path) -> dict[str, float]:
    """`fieldkit` with no command, through fieldkit.cli.main, up to the window shown.

    Imports in the installed script's order: fieldkit.cli first, PySide6 when run_gui needs it
    (PySide6's import hook reads the source of every module imported after it, so importing
    it first here would charge fieldkit for a start the script does not make).
    """
    from fieldkit.cli import main  # noqa: I001 - first, in the installed script's order
    from PySide6.QtWidgets import QApplication

    shown: dict[str, float] = {}
    original_exec = QApplication.exec

    def exec_until_shown(app=None) -> int:
        app = app or QApplication.instance()
        windows = [w for w in app.topLevelWidgets() if w.isVisible()]
        if not any(type(w).__name__ == "MainWindow" for w in windows):
            raise RuntimeError(f"the event loop started without the main window: {windows}")
        _quit_on_first_turn(app, shown)
        return original_exec()

    QApplication.exec = exec_until_shown  # the app's own run_gui calls app.exec()
    os.environ["FIELDKIT_DATA_DIR"] = str(work / "data")
    code = main([])
    if code != 0 or "at" not in shown:
        raise RuntimeError(f"fieldkit.cli.main returned {code} before the window was shown")
    return {"shown_at": shown["at"]}


def bare_start(work: Path) -> dict[str, float]:
    """The floor: PySide6 alone, an empty QMainWindow shown, the event loop's first turn."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(["bare"])
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    window.show()
    shown: dict[str, float] = {}
    _quit_on_first_turn(app, shown)
    app.exec()
    return {"shown_at": shown["at"]}


def main(argv: list[str]) -> int:
    side, work = argv[0], Path(argv[1])
    try:
        result: dict = (fieldkit_start if side == "fieldkit" else bare_start)(work)
    except Exception as exc:  # reported in the row; the run goes on
        import traceback

        traceback.print_exc()
        result = {"error": f"{type(exc).__name__}: {exc}"}
    result["peak_mb"] = peak_mb()
    sys.stdout.write("\n" + MARK + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
