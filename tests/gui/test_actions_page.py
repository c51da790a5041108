"""The action plan page: add by keys and clicks, edit, delete with confirmation, refusals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from fieldkit.gui import actions_page
from fieldkit.gui.actions_page import ActionsPage, DuePicker
from fieldkit.gui.dashboard import DashboardPage
from fieldkit.gui.session import Session


@pytest.fixture
def session(demo):
    session = Session(demo.data_dir)
    session.set_project(demo)
    session.set_site(demo.sites.find("Cheetham Hill")["id"])
    session.set_round(demo.rounds.find("Baseline")["id"])
    return session


@pytest.fixture
def page(qtbot, session):
    page = ActionsPage(session)
    qtbot.addWidget(page)
    page.resize(1040, 680)
    page.show()
    return page


@pytest.fixture
def refusals(monkeypatch):
    """The guard's message box, captured instead of shown (it would block the test)."""
    shown = []
    monkeypatch.setattr(
        actions_page, "show_problems", lambda parent, exc, title="": shown.append(exc.lines())
    )
    return shown


def titles(demo, site="Cheetham Hill", round_="Baseline"):
    return [a["title"] for a in demo.actions.list(site, round_)]


def check_indicator(page, qtbot, indicator_id: str) -> None:
    """Tick an indicator with the keyboard: move to it and press Space."""
    view = page.indicators
    view.setFocus()
    for row in range(view.count()):
        if view.item(row).data(Qt.ItemDataRole.UserRole) == indicator_id:
            view.setCurrentRow(row)
    qtbot.keyClick(view, Qt.Key.Key_Space)


def test_lists_the_actions_of_the_place(page, demo):
    assert page.table.rowCount() == 1
    assert page.table.item(0, 0).text() == "Joint council-traders forum on Bury Old Road"
    assert page.table.item(0, 4).text() == "Done"
    assert page.place.text() == "Cheetham Hill · Baseline"


def test_add_with_keys_and_clicks(page, demo, session, qtbot):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.title, "Repair the community noticeboard")
    check_indicator(page, qtbot, "soc")
    check_indicator(page, qtbot, "pwr")
    page.lead.setFocus()
    while page.lead.currentData() != "residents":
        qtbot.keyClick(page.lead, Qt.Key.Key_Down)
    qtbot.keyClicks(page.partners, "Tenants' association")
    qtbot.keyClicks(page.due, "2027-02-01")
    qtbot.keyClicks(page.notes, "Ask the school too")
    with qtbot.waitSignal(session.changed) as blocker:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["actions"]
    saved = next(
        a for a in demo.actions.list("Cheetham Hill", "Baseline") if a["title"].startswith("Repair")
    )
    assert saved["indicators"] == ["soc", "pwr"]
    assert saved["lead_sector"] == "residents"
    assert saved["partners"] == "Tenants' association"
    assert saved["due"] == "2027-02-01"
    assert saved["status"] == "planned"
    assert saved["notes"] == "Ask the school too"
    assert page.table.rowCount() == 2
    assert page.editing == saved["id"]  # the new action stays in the form for editing


def test_enter_in_the_title_saves(page, demo, qtbot):
    page.new_action()
    qtbot.keyClicks(page.title, "Quick one")
    qtbot.keyClick(page.title, Qt.Key.Key_Return)
    assert "Quick one" in titles(demo)


def test_edit_status(page, demo, qtbot):
    page.table.selectRow(0)
    assert page.form_title.text() == "Edit action"
    page.status.setCurrentIndex(page.status.findData("in_progress"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    (action,) = demo.actions.list("Cheetham Hill", "Baseline")
    assert action["status"] == "in_progress"
    assert action["title"] == "Joint council-traders forum on Bury Old Road"
    assert page.table.item(0, 4).text() == "In progress"


def test_delete_asks_first(page, demo, qtbot, monkeypatch):
    page.table.selectRow(0)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked = []

    def question(parent, title, text, *args):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert len(titles(demo)) == 1  # said No
    assert "Joint council-traders forum" in asked[0]
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert titles(demo) == []
    assert page.table.rowCount() == 0
    assert page.empty.isVisible()
    assert not page.delete_button.isEnabled()


def test_bad_due_date_is_refused_with_the_message(page, demo, qtbot, refusals):
    page.new_action()
    qtbot.keyClicks(page.title, "Bad date")
    qtbot.keyClicks(page.due, "31/12/2026")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Bad date" not in titles(demo)
    assert "due date must be YYYY-MM-DD, not '31/12/2026'" in page.error.text()
    assert any("YYYY-MM-DD" in line for line in refusals[0])
    assert page.editing is None and page.title.text() == "Bad date"  # kept for correcting
    page.due.clear()
    qtbot.keyClicks(page.due, "2026-12-31")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Bad date" in titles(demo)
    assert page.error.text() == ""


def test_empty_title_is_refused(page, demo, qtbot, refusals):
    page.new_action()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "an action needs a title" in page.error.text()
    assert len(titles(demo)) == 1


def test_due_picker_fills_the_date(page, qtbot, monkeypatch):
    def pick(self):
        self.calendar.setSelectedDate(
            self.calendar.selectedDate().fromString("2027-03-15", "yyyy-MM-dd")
        )
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DuePicker, "exec", pick)
    page.new_action()
    qtbot.mouseClick(page.pick_due, Qt.MouseButton.LeftButton)
    assert page.due.text() == "2027-03-15"


def test_all_sites_lists_everything_but_adds_nothing(page, session, demo):
    session.set_site(None)
    session.set_round(None)
    assert page.table.rowCount() == len(demo.actions.list())
    assert page.table.horizontalHeaderItem(0).text() == "Site"
    assert not page.save_button.isEnabled()
    assert "Pick a site and a round" in page.note.text()
    page.table.selectRow(0)  # existing actions stay editable
    assert page.save_button.isEnabled()


def test_summary_page_follows_the_plan(qtbot, session, demo, page):
    summary = DashboardPage(session)
    qtbot.addWidget(summary)
    summary.show()
    assert summary.action_table.rowCount() == 1
    page.new_action()
    qtbot.keyClicks(page.title, "Seen on the summary")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert summary.action_table.rowCount() == 2
