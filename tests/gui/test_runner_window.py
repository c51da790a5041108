"""The runner through the real main window: Ctrl+N, the list's double-click, the resume offer,
and the follow-up form that must still open when the consent interview was resumed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from fieldkit.fieldwork import CONSENT_FORM, start_interview
from fieldkit.gui.app import open_window
from fieldkit.gui.interview import InterviewPage
from fieldkit.gui.interview.new_interview import (
    NewInterview,
    latest_forms,
    pending_follow_up,
)
from fieldkit.gui.session import Session
from fieldkit.indicators.demo import create_demo
from fieldkit.store import create_project, open_project
from tests.gui.runner_helpers import UR, digit, enter, press, screen_key, type_text


def show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def dna_choice(project, site=None) -> NewInterview:
    record = next(r for r in latest_forms(project) if r["form_id"] == "community_dna")
    return NewInterview(record["id"], "community_dna", site, None, None)


def page_on(qtbot, project) -> InterviewPage:
    session = Session(project.data_dir)
    session.set_project(project)
    return show(qtbot, InterviewPage(session))


def consent_until_contact(qtbot, runner):
    """consent_profile by keyboard up to the optional contact screen, ending in Urdu."""
    enter(qtbot)
    digit(qtbot, 1)  # consent: yes
    enter(qtbot)
    digit(qtbot, 3)  # sector
    enter(qtbot)
    type_text(qtbot, "Baker")
    enter(qtbot)
    enter(qtbot)  # organisation: optional
    type_text(qtbot, "7")
    runner.set_language(UR)
    enter(qtbot)
    assert screen_key(runner) == "contact"


def test_follow_up_opens_after_the_consent_interview_was_resumed(qtbot, project):
    page = page_on(qtbot, project)
    choice = dna_choice(project)
    page.choose = lambda: choice
    runner = page.new_interview()
    consent_id = runner.session.id
    consent_until_contact(qtbot, runner)
    # the app dies here: nothing but the project file survives
    page.close()
    project.close()

    again = open_project(project.data_dir, project.slug)
    assert pending_follow_up(again, consent_id) == choice
    page2 = page_on(qtbot, again)
    assert page2.drafts.offered_draft() == consent_id
    qtbot.keyClick(page2.drafts.resume_button, Qt.Key.Key_Space)
    resumed = page2.runner
    assert screen_key(resumed) == "contact" and resumed.engine.language == UR
    enter(qtbot)  # contact: optional
    enter(qtbot)  # the respondent code
    assert resumed.in_review
    qtbot.keyClick(resumed.finalize_button, Qt.Key.Key_Space)
    assert again.interviews.get(consent_id).status == "finalized"
    dna = page2.runner
    assert dna is not resumed and dna.session.form.form_id == "community_dna"
    assert dna.session.row.consent == consent_id
    assert dna.engine.language == UR  # the respondent's language carries over
    assert pending_follow_up(again, consent_id) is None  # used once
    again.close()


def test_finalizing_a_consent_draft_from_the_list_keeps_its_follow_up_open(qtbot, project):
    page = page_on(qtbot, project)
    choice = dna_choice(project)
    page.choose = lambda: choice
    runner = page.new_interview()
    consent_id = runner.session.id
    consent_until_contact(qtbot, runner)
    runner.close_button.click()
    page.drafts.select(consent_id)
    page.drafts.finalize_button.click()
    assert project.interviews.get(consent_id).status == "finalized"
    assert page.runner is not None and page.runner.session.form.form_id == "community_dna"
    assert page.stack.currentWidget() is page.runner


def test_discarding_a_consent_draft_forgets_its_follow_up(qtbot, project):
    page = page_on(qtbot, project)
    choice = dna_choice(project)
    page.choose = lambda: choice
    consent_id = page.new_interview().session.id
    assert pending_follow_up(project, consent_id) == choice
    page.show_list()
    page.drafts.select(consent_id)
    page.drafts.confirm = lambda question: True
    page.drafts.discard_button.click()
    assert pending_follow_up(project, consent_id) is None


@pytest.fixture
def demo_window(qtbot, data_dir):
    create_demo(data_dir).close()
    window = open_window(data_dir)
    show(qtbot, window)
    yield window
    window.close()
    window.session.close()


def test_relaunch_offers_the_draft_on_the_first_page(qtbot, demo_window):
    window = demo_window
    project = window.session.project
    first = window.pages["interviews"]
    assert window.stack.currentWidget() is first
    draft = max(
        (r for r in project.interviews.drafts() if r.device == project.device),
        key=lambda r: r.updated,
    )
    assert first.resume_banner.isVisible() and first.offered_draft() == draft.id
    assert draft.form_title in first.resume_text.text()
    qtbot.keyClick(first.resume_button, Qt.Key.Key_Space)
    runner = window.pages["interview"].runner
    assert window.stack.currentWidget() is window.pages["interview"]
    assert runner.session.id == draft.id and not runner.session.read_only
    assert screen_key(runner) == draft.position  # exactly where it stopped


def test_list_double_click_opens_drafts_and_finalized_read_only(qtbot, demo_window):
    window = demo_window
    window.site_box.setCurrentIndex(0)  # all sites
    window.round_box.setCurrentIndex(0)  # all rounds
    first = window.pages["interviews"]
    seen = set()
    for row in range(first.proxy.rowCount()):
        status = first.proxy.index(row, 4).data()
        if status in seen:
            continue
        seen.add(status)
        window.nav.setCurrentRow(0)
        interview_id = first.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole)
        cell = first.proxy.index(row, 2)
        first.table.scrollTo(cell)
        spot = first.table.visualRect(cell).center()
        qtbot.mouseClick(first.table.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        qtbot.mouseDClick(first.table.viewport(), Qt.MouseButton.LeftButton, pos=spot)
        runner = window.pages["interview"].runner
        assert window.stack.currentWidget() is window.pages["interview"]
        assert runner.session.id == interview_id
        assert runner.session.read_only == (status == "Finalized")
        assert runner.banner.isVisible() == (status == "Finalized")
    assert seen == {"Draft", "Finalized"}


def test_ctrl_n_in_the_window_starts_with_consent(qtbot, data_dir):
    create_project(data_dir, "Fresh").close()
    window = show(qtbot, open_window(data_dir))
    project = window.session.project
    page = window.pages["interview"]
    choice = dna_choice(project)
    page.choose = lambda: choice
    window.nav.setCurrentRow(0)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is page
    assert page.runner.session.form.form_id == CONSENT_FORM
    assert screen_key(page.runner) == "purpose"
    enter(qtbot)
    assert screen_key(page.runner) == "consent"
    digit(qtbot, 1)  # a digit picks the choice, in the window too
    assert project.interviews.answers(page.runner.session.id)["consent"] == "yes"
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Already saved" in page.runner.status.text()
    window.close()
    window.session.close()


def test_review_rebuilds_when_an_answer_changes_what_is_asked(qtbot, project):
    live = start_interview(project, CONSENT_FORM)
    for key, value in (("consent", "yes"), ("sector", "public"), ("role", "clerk")):
        live.set(key, value)
    page = page_on(qtbot, project)
    runner = page.open_interview(live.id)
    runner.show_review()
    assert "role" in runner.cards
    runner.cards["consent"].widget.setFocus()
    digit(qtbot, 2)  # no: the profile questions no longer apply
    qtbot.waitUntil(lambda: "role" not in runner.cards)
    assert runner.in_review and "consent" in runner.cards
    assert runner.cards["consent"].widget.isAncestorOf(runner.focusWidget())
    assert project.interviews.answers(live.id)["consent"] == "no"  # saved from the review


def test_follow_up_needs_given_consent_even_when_remembered(qtbot, project, monkeypatch):
    page = page_on(qtbot, project)
    choice = dna_choice(project)
    page.choose = lambda: choice
    runner = page.new_interview()
    shown = []
    monkeypatch.setattr(
        "fieldkit.gui.interview.page.QMessageBox.information", lambda *a: shown.append(a[2])
    )
    page._follow_ups.clear()  # as after a restart: only the stored choice is left
    enter(qtbot)
    digit(qtbot, 2)  # no consent
    enter(qtbot)
    enter(qtbot)
    runner.finalize()
    assert shown and page.runner is None
    assert [r.form_id for r in project.interviews.list()] == [CONSENT_FORM]
    assert pending_follow_up(project, runner.session.id) is None


def test_untranslated_labels_line_up_right_to_left(qtbot, project):
    from fieldkit.gui.interview.runner import InterviewRunner

    consent = start_interview(project, CONSENT_FORM)
    for key, value in (
        ("consent", "yes"),
        ("sector", "public"),
        ("role", "x"),
        ("years_in_area", 1),
    ):
        consent.set(key, value)
    consent.finalize()
    runner = show(
        qtbot, InterviewRunner(start_interview(project, "community_dna", consent=consent.id))
    )
    runner.jump_to("pub")
    right = Qt.AlignmentFlag.AlignRight
    assert not runner.cards["pub_1"].label.alignment() & right
    runner.set_language(UR)
    card = runner.cards["pub_1"]
    assert card.label.alignment() & right and runner.title.alignment() & right
