"""First start on a fresh machine: "Open the demo project" builds the demo and opens it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from fieldkit.gui import app
from fieldkit.gui.dialogs.first_run import FirstRunDialog
from fieldkit.store import list_projects


def test_first_start_offers_the_demo_and_opens_it(qtbot, data_dir):
    assert not data_dir.exists() or not list_projects(data_dir)
    seen: list[FirstRunDialog] = []

    def click_demo() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, FirstRunDialog):  # not shown yet: try again shortly
            QTimer.singleShot(20, click_demo)
            return
        seen.append(dialog)
        assert dialog.demo.isVisible() and dialog.demo.text() == "Open the demo project"
        qtbot.mouseClick(dialog.demo, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click_demo)
    window = app.open_window(data_dir)  # runs the real (modal) first-run dialog
    assert window is not None and seen
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()

    assert [p.name for p in list_projects(data_dir)] == ["demo-project"]
    project = window.session.project
    assert project.name == "Demo project"
    assert len(project.interviews.list(status="finalized", form_id="community_dna")) == 60

    # and its summary is there to look at
    summary = window.pages["summary"]
    window.show_page("summary")
    summary.refresh()
    assert summary.view is not None and summary.view.entry is not None
    assert summary.table.rowCount() == 10
    assert summary.facts.text().startswith("15 interviews, 5 maps")
