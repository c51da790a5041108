"""Kill test: SIGKILL a process writing answers at a random moment; nothing acknowledged is lost.

FIELDKIT_KILL_RUNS sets the number of runs (default 30 for `make test`; the figure reported on
the issue is for 200). After each kill the file must pass `PRAGMA integrity_check` and hold
every answer the writer had acknowledged - in this run and all earlier ones.
"""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fieldkit.store import create_project
from tests.store.team_helpers import add_form

RUNS = int(os.environ.get("FIELDKIT_KILL_RUNS", "30"))
WRITER = Path(__file__).with_name("killtest_writer.py")


def _integrity(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def _answers(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return {(r[0], r[1]) for r in conn.execute("SELECT interview, key FROM answers")}
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_loses_nothing_acknowledged(data_dir):
    project = create_project(data_dir, "Kill")
    add_form(project)
    project.sites.add("Broughton")
    path = project.path
    project.close()
    rng = random.Random(int(os.environ.get("FIELDKIT_KILL_SEED", "2024")))
    acknowledged: set[tuple[str, str]] = set()
    lost_runs, killed_writing = [], 0
    env = os.environ | {"PYTHONUNBUFFERED": "1"}
    for run in range(RUNS):
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(path), str(data_dir), str(run)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        first = proc.stdout.readline()  # it is writing now
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        lines = (first + out).decode().splitlines()
        for line in lines:
            parts = line.split()
            if len(parts) == 3 and parts[0] == "ack":
                acknowledged.add((parts[1], parts[2]))
            elif len(parts) == 3 and parts[0] == "batch":
                n = int(parts[2])
                acknowledged.update((parts[1], f"batch{n}_{i}") for i in range(10))
        killed_writing += len(lines) > 1
        assert _integrity(path) == ["ok"], f"run {run}: integrity check failed"
        missing = acknowledged - _answers(path)
        if missing:
            lost_runs.append((run, sorted(missing)[:3]))
    assert lost_runs == []
    assert killed_writing >= RUNS * 0.8  # most kills really landed mid-writing
    print(
        f"\nkill test: {RUNS} runs ({killed_writing} killed mid-writing), "
        f"{len(acknowledged)} acknowledged answers, none lost, integrity_check ok after each"
    )
