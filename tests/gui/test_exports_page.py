"""The Exports page: the four outputs, each explained, each opening its own dialog."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

import fieldkit.packs.excel as excel_module
from fieldkit.gui.exports import ExportsPage
from fieldkit.gui.exports.jobs import KINDS
from fieldkit.gui.session import Session
from fieldkit.gui.tasks import CANCELLED
from fieldkit.packs.progress import Steps
from tests.gui import exports_helpers as helpers

# The shared fixtures (pytest finds them as attributes of this module).
demo = helpers.demo
session = helpers.session


def texts(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def test_the_page_lists_the_four_outputs_in_plain_words(qtbot, session):
    page = ExportsPage(session)
    qtbot.addWidget(page)
    page.show()
    shown = texts(page)
    for kind in KINDS.values():
        assert kind.title in shown
        assert kind.blurb in shown
    assert list(page.buttons) == ["xlsx", "pdf", "csv", "graph"]
    assert all(b.text() == "Export…" and b.isEnabled() for b in page.buttons.values())
    assert not page.no_project.isVisible()


def test_each_button_opens_its_own_dialog(qtbot, session):
    page = ExportsPage(session)
    qtbot.addWidget(page)
    page.show()
    for key, kind in KINDS.items():
        qtbot.mouseClick(page.buttons[key], Qt.MouseButton.LeftButton)
        assert page.dialog.isVisible()
        assert page.dialog.windowTitle() == f"Export: {kind.title}"
        page.dialog.reject()
        assert not page.dialog.isVisible()


def test_without_a_project_nothing_can_be_exported(qtbot, data_dir):
    session = Session(data_dir)
    page = ExportsPage(session)
    qtbot.addWidget(page)
    page.show()
    assert not any(b.isEnabled() for b in page.buttons.values())
    assert page.no_project.isVisible()


def test_closing_the_app_mid_export_cancels_it_and_writes_nothing(
    qtbot, session, tmp_path, monkeypatch
):
    def slow(path, data, progress=None, cancel=None):
        steps = Steps(500, progress, cancel)
        for _ in range(500):
            time.sleep(0.01)
            steps.advance()
        Path(path).write_text("should never be written")
        return Path(path)

    monkeypatch.setattr(excel_module, "write_excel_pack", slow)
    page = ExportsPage(session)
    qtbot.addWidget(page)
    page.show()
    dialog = page.open_dialog("xlsx")
    dialog.target_edit.setText(str(tmp_path / "x.xlsx"))
    task = dialog.start_export()
    qtbot.waitUntil(lambda: task.last_progress[0] > 0, timeout=5000)
    page.shutdown()
    assert task.result is not None and task.result.status == CANCELLED
    assert not (tmp_path / "x.xlsx").exists()
