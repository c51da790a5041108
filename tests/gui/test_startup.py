"""The app's cold start: what runs before the first frame, and that the project still opens.

The start is timed against a bare QMainWindow (tests/benchmarks, goal <= 1.5x), so the path to
the first frame must stay light: these tests catch a module-level import or a Qt call that puts
the cost back, in a fresh process, as a user's start is.
"""

import json
import os
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from fieldkit import paths
from fieldkit.cli import main
from fieldkit.gui.main_window import MainWindow
from fieldkit.gui.session import Session

# Loaded only once the window is up (the project, the store's SQL, the packs) or when needed.
NOT_BEFORE_FIRST_FRAME = (
    "sqlite3",
    "sqlite_utils",
    "fieldkit.store.project",
    "fieldkit.cli.project_cmds",
    "fieldkit.gui.dialogs.first_run",
    "fieldkit.gui.dialogs.about",
    "importlib.resources",
    "platformdirs",
)

# Runs `fieldkit` with no arguments; at the event loop's start (the window shown) it records
# what is loaded, then lets the loop run until the project has opened.
START = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

HEAVY = json.loads(sys.argv[1])
seen = {}
original_exec = QApplication.exec


def exec_and_watch(app=None):
    import PySide6.QtCore as QtCore

    app = QApplication.instance()
    window = next(w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow")
    seen["shown"] = window.isVisible()
    seen["project_at_first_frame"] = window.session.project is not None
    seen["qt_namespace_created"] = "Qt" in vars(QtCore)
    seen["loaded"] = sorted(name for name in HEAVY if name in sys.modules)

    def until_open():
        if window.session.project is not None:
            seen["project"] = window.session.project.name
            seen["status"] = window.statusBar().currentMessage()
            app.quit()
        else:
            QTimer.singleShot(5, until_open)

    QTimer.singleShot(0, until_open)
    QTimer.singleShot(10000, app.quit)
    return original_exec()


QApplication.exec = exec_and_watch
from fieldkit.cli import main

code = main([])
print("RESULT " + json.dumps({"code": code, **seen}))
"""


def start_fresh(data_dir) -> dict:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "FIELDKIT_DATA_DIR": str(data_dir),
        "FIELDKIT_FIELDWORKER": "Test Fieldworker",
    }
    proc = subprocess.run(
        [sys.executable, "-c", START, json.dumps(NOT_BEFORE_FIRST_FRAME)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stderr
    return json.loads(lines[-1].removeprefix("RESULT "))


def test_cold_start_shows_the_window_first_then_opens_the_project(populated):
    data_dir = populated.data_dir
    populated.close()
    seen = start_fresh(data_dir)
    assert seen["code"] == 0
    assert seen["shown"] and not seen["project_at_first_frame"]
    assert seen["project"] == "Test Project"
    assert seen["status"] == ""  # "Opening project…" is gone once it is open


def test_the_first_frame_loads_nothing_it_does_not_show(populated):
    data_dir = populated.data_dir
    populated.close()
    seen = start_fresh(data_dir)
    assert seen["loaded"] == []
    # PySide6 builds its `Qt` namespace (a hundred-odd enums, ~20 ms) on first use.
    assert seen["qt_namespace_created"] is False


def test_no_arguments_open_the_app_with_the_default_data_dir(monkeypatch):
    from fieldkit.gui import app

    opened = []
    monkeypatch.setattr(app, "run_gui", lambda ctx: opened.append(ctx) or 0)
    assert main([]) == 0
    assert main(["--project", "field-season", "--data-dir", "/somewhere"]) == 0
    assert [(c.data_dir_override, c.project_name) for c in opened] == [
        (None, None),
        ("/somewhere", "field-season"),
    ]


def test_the_window_keeps_its_toolbar_shortcuts_and_layout(qtbot, tmp_path):
    window = MainWindow(Session(tmp_path))
    qtbot.addWidget(window)
    assert window.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextOnly
    assert window.actions["new_interview"].shortcut() == QKeySequence("Ctrl+N")
    assert window.actions["new_project"].shortcut() == QKeySequence("Ctrl+Shift+N")
    empty = window.pages["interviews"].empty
    assert empty.alignment() & Qt.AlignmentFlag.AlignTop
    assert window.centralWidget().widget(0).objectName() == "Sidebar"
    assert window.centralWidget().widget(1) is window.stack


def test_shipped_text_is_read_as_importlib_resources_reads_it(monkeypatch):
    import fieldkit.resources

    for name in ("style.qss", "palette.json", "fonts/LICENSE-DejaVu.txt"):
        expected = paths.resource(name).read_text(encoding="utf-8")
        assert paths.resource_text(name) == expected
        # A package without files (no __file__): the same text, through importlib.resources.
        monkeypatch.delattr(fieldkit.resources, "__file__")
        assert paths.resource_text(name) == expected
        monkeypatch.undo()
