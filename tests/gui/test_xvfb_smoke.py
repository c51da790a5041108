"""A real X window (Xvfb), not the offscreen platform: the runner shows and is captured.

Skipped, saying why, where Xvfb is not installed (Debian/Ubuntu: `apt-get install xvfb`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    from PySide6.QtTest import QTest

    from fieldkit.gui.app import make_app
    app = make_app()
    from fieldkit.fieldwork import start_interview
    from fieldkit.gui.interview.runner import InterviewRunner
    from fieldkit.store import create_project

    out = Path(sys.argv[1])
    project = create_project(out / "data", "Smoke")
    project.sites.add("Cheetham Hill")
    consent = start_interview(project, "consent_profile", site="Cheetham Hill")
    for key, value in (("consent", "yes"), ("sector", "residents"), ("role", "parent"),
                       ("years_in_area", 9)):
        consent.set(key, value)
    consent.finalize()
    live = start_interview(project, "community_dna", consent=consent.id)
    runner = InterviewRunner(live)
    runner.resize(1280, 720)
    runner.show()
    runner.jump_to("pub")
    runner.cards["pub_1"].widget.pick(4)
    QTest.qWait(300)
    print("PLATFORM", app.platformName(), flush=True)
    shot = runner.screen().grabWindow(runner.winId())
    shot.save(str(out / "interview.png"))
    print("SIZE", shot.width(), shot.height(), flush=True)
    project.close()
    """
)


def test_interview_screen_in_a_real_x_window(tmp_path):
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb): no real-window smoke test")
    display = f":{90 + os.getpid() % 500}"
    server = subprocess.Popen(
        [xvfb, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1.0)
        if server.poll() is not None:
            pytest.skip(f"Xvfb could not start on display {display}")
        script = tmp_path / "smoke.py"
        script.write_text(CHILD, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env.update(
            DISPLAY=display,
            QT_QPA_PLATFORM="xcb",
            PYTHONPATH=str(ROOT),
            FIELDKIT_DATA_DIR=str(tmp_path / "data"),
        )
        done = subprocess.run(
            [sys.executable, str(script), str(tmp_path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        if "could not load the qt platform plugin" in done.stderr.lower():
            pytest.skip(f"Qt's xcb platform cannot load here: {done.stderr[-400:]}")
        assert done.returncode == 0, done.stderr[-2000:]
        assert "PLATFORM xcb" in done.stdout
        shot = tmp_path / "interview.png"
        assert shot.is_file() and shot.stat().st_size > 10_000
        from PySide6.QtGui import QImage

        image = QImage(str(shot))
        assert (image.width(), image.height()) == (1280, 720)
        colours = {image.pixel(x, y) for x in range(0, 1280, 40) for y in range(0, 720, 40)}
        assert len(colours) > 3  # drawn, not a blank window
    finally:
        server.terminate()
        server.wait(timeout=10)
