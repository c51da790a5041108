"""Fixtures and helpers for the Exports page and dialog tests: the demo project, a dialog."""

from __future__ import annotations

import shutil

import pytest

from fieldkit.gui.session import Session
from fieldkit.gui.tasks import wait_for_tasks
from fieldkit.indicators.demo import create_demo
from fieldkit.store import open_project


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    """The demo is built once per module; each test gets its own copy of the data dir."""
    template = tmp_path_factory.mktemp("demo-template") / "data"
    create_demo(template).close()
    return template


@pytest.fixture
def demo(data_dir, demo_template):
    shutil.copytree(demo_template, data_dir)
    project = open_project(data_dir, "demo-project")
    yield project
    assert wait_for_tasks(10_000), "an export was still running after its test"
    project.close()


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
