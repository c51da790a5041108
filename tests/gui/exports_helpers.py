"""Fixtures and helpers for the Exports page and dialog tests: the demo project, a dialog."""

from __future__ import annotations

import pytest

from fieldkit.gui.session import Session
from fieldkit.gui.tasks import wait_for_tasks


@pytest.fixture
def demo(demo):
    """The shared demo copy (tests/gui/conftest.py), checked for exports left running."""
    yield demo
    assert wait_for_tasks(10_000), "an export was still running after its test"


@pytest.fixture
def session(demo):
    session = Session(demo.data_dir)
    session.set_project(demo)
    return session


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def set_target(qtbot, dialog, path) -> None:
    """Type the output path as a user would (select all, then type)."""
    dialog.target_edit.selectAll()
    qtbot.keyClicks(dialog.target_edit, str(path))


def choose(box, text: str) -> None:
    index = box.findText(text)
    assert index >= 0, f"{text!r} not offered: {[box.itemText(i) for i in range(box.count())]}"
    box.setCurrentIndex(index)


def finish(qtbot, dialog, timeout: int = 20_000):
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=timeout)
    return dialog.result
