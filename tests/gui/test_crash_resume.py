"""A crash loses nothing the fieldworker saw saved: SIGKILL a live runner, then reopen.

A child process opens the runner on a temporary project, answers through the widgets with
key presses, and prints each answer once the saved mark shows it; the test kills it with
SIGKILL (no chance to flush or close) and finds every printed answer in the project file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from fieldkit.fieldwork import CONSENT_FORM, InterviewSession, start_interview
from fieldkit.store import create_project, open_project

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from fieldkit.fieldwork import InterviewSession
    from fieldkit.gui.interview.runner import InterviewRunner
    from fieldkit.store import open_project

    data_dir, slug, interview_id = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    project = open_project(data_dir, slug)
    runner = InterviewRunner(InterviewSession(project, interview_id))
    runner.resize(1280, 720)
    runner.show()
    runner.activateWindow()
    last = []
    runner.saved.connect(last.append)
    while not runner.isActiveWindow():
        QTest.qWait(10)
    runner.refocus()

    def focus():
        # the runner's focus child: the keyboard goes there, active window or not
        return runner.focusWidget()

    def wait_saved(key):
        # the saved mark shows it: nothing pending, the mark says saved, for this key
        while not (runner.is_saved() and runner.saved_mark.text().startswith("✓ Saved")
                   and last and last[-1] == key):
            QTest.qWait(10)  # not a busy loop: PySide6 on Python 3.11 leaks None refs

    def shown(key):
        widget = runner.cards[key].widget
        if hasattr(widget, "group"):
            return widget._names[widget.group.checkedId()]
        text = widget.edit.text()
        return int(text) if widget.node.type == "integer" else text

    def report(key):
        wait_saved(key)
        print("SAVED", json.dumps([key, shown(key)]), flush=True)

    QTest.keyClick(focus(), Qt.Key.Key_Return)          # purpose note
    QTest.keyClick(focus(), Qt.Key.Key_1)               # consent: yes
    report("consent")
    QTest.keyClick(focus(), Qt.Key.Key_Return)
    QTest.keyClick(focus(), Qt.Key.Key_3)               # sector: commercial
    report("sector")
    QTest.keyClick(focus(), Qt.Key.Key_Return)
    QTest.keyClicks(focus(), "Shop owner")              # role: debounced text
    report("role")
    QTest.keyClick(focus(), Qt.Key.Key_Return)
    QTest.keyClicks(focus(), "Corner shop")
    report("organisation")
    QTest.keyClick(focus(), Qt.Key.Key_Return)
    QTest.keyClicks(focus(), "17")
    report("years_in_area")
    QTest.keyClick(focus(), Qt.Key.Key_Return)
    print("TYPING", flush=True)
    while True:                                         # typing on when the power goes
        QTest.keyClicks(focus(), "x")
        QTest.qWait(5)
    """
)


def test_sigkill_loses_nothing_shown_as_saved(tmp_path):
    data_dir = tmp_path / "data"
    project = create_project(data_dir, "Crash")
    live = start_interview(project, CONSENT_FORM)
    interview_id, slug = live.id, project.slug
    project.close()
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, str(script), str(data_dir), slug, interview_id],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    printed: dict[str, object] = {}
    deadline = time.monotonic() + 120
    try:
        for line in child.stdout:  # type: ignore[union-attr]
            if line.startswith("SAVED "):
                key, value = json.loads(line[6:])
                printed[key] = value
            if line.startswith("TYPING"):
                time.sleep(0.2)  # some keys pressed, not yet saved: those may be lost
                break
            if time.monotonic() > deadline:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    if len(printed) < 5:
        pytest.fail(f"the child stopped early: {child.stderr.read()[-2000:]}")  # type: ignore[union-attr]
    assert child.returncode == -signal.SIGKILL

    reopened = open_project(data_dir, slug)
    try:
        answers = reopened.interviews.answers(interview_id)
        for key, value in printed.items():
            assert answers.get(key) == value, key
        assert printed == {
            "consent": "yes",
            "sector": "commercial",
            "role": "Shop owner",
            "organisation": "Corner shop",
            "years_in_area": 17,
        }
        resumed = InterviewSession(reopened, interview_id)
        assert resumed.row.position == "contact"  # where it stopped
    finally:
        reopened.close()
