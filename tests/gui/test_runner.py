"""The runner driven like a fieldworker: keys and clicks through the shipped instruments."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from fieldkit.fieldwork import CONSENT_FORM, InterviewSession, start_interview
from fieldkit.gui.interview import InterviewPage
from fieldkit.gui.interview.new_interview import NewInterviewDialog
from fieldkit.gui.interview.screens import ANSWERED, INVALID, UNANSWERED
from fieldkit.gui.interview.widgets import is_right_to_left
from fieldkit.gui.session import Session
from fieldkit.store import open_project
from tests.gui.runner_helpers import (
    EN,
    UR,
    digit,
    enter,
    focused,
    given_consent,
    press,
    screen_key,
    show_runner,
    stored,
    tab,
    type_text,
)

DNA_GROUPS = (
    "pub",
    "com",
    "soc",
    "pwr",
    "pub_soc",
    "pub_com",
    "com_soc",
    "com_res",
    "net",
    "adapt",
)


@pytest.fixture
def page(qtbot, project):
    project.sites.add("Cheetham Hill")
    session = Session(project.data_dir)
    session.set_project(project)
    page = InterviewPage(session)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def choose_in_dialog(qtbot, page, form_title: str):
    """Fill the New interview dialog by keyboard and return its choice."""
    dialog = NewInterviewDialog(page.session.project, page.session.site, page.session.round)
    qtbot.addWidget(dialog)
    dialog.show()
    titles = [dialog.form_box.itemText(i) for i in range(dialog.form_box.count())]
    wanted = next(i for i, t in enumerate(titles) if t.startswith(form_title))
    dialog.form_box.setFocus()
    for _ in range(wanted - dialog.form_box.currentIndex()):
        qtbot.keyClick(dialog.form_box, Qt.Key.Key_Down)
    assert dialog.form_box.currentIndex() == wanted
    assert dialog.site_box.currentText() == "Cheetham Hill"
    assert dialog.respondent_box.currentData() is None  # a new respondent: consent first
    choice = dialog.choice()
    dialog.accept()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return choice


def run_consent_by_keyboard(qtbot, runner, project):
    """consent_profile with the keyboard alone: a language switch, a constraint and its fix."""
    assert screen_key(runner) == "purpose"
    enter(qtbot)
    assert screen_key(runner) == "consent"
    digit(qtbot, 1)  # Yes
    assert stored(project, runner.session.id)["consent"] == "yes"  # choices: durable at once
    enter(qtbot)
    assert screen_key(runner) == "sector"
    digit(qtbot, 1)  # Public sector
    enter(qtbot)
    assert screen_key(runner) == "role"
    type_text(qtbot, "Council officer")
    enter(qtbot)
    assert stored(project, runner.session.id)["role"] == "Council officer"
    assert screen_key(runner) == "organisation"
    type_text(qtbot, "Town hall")
    enter(qtbot)
    assert screen_key(runner) == "years_in_area"
    type_text(qtbot, "150")
    enter(qtbot)  # leaving the screen shows the constraint message, and stays once
    card = runner.cards["years_in_area"]
    assert screen_key(runner) == "years_in_area"
    assert card.message.isVisible()
    assert card.message.text() == "Enter a number of years from 0 to 100."
    assert runner.plan.status["years_in_area"] == INVALID
    # switch language by keyboard: the message follows, the layout turns right to left
    runner.language_box.setFocus()
    press(qtbot, Qt.Key.Key_Down)
    assert runner.engine.language == UR
    assert runner.layoutDirection() == Qt.LayoutDirection.RightToLeft
    card = runner.cards["years_in_area"]
    assert card.message.text() == "براہِ کرم 0 سے 100 تک سالوں کی تعداد درج کریں۔"
    assert card.label.text().startswith("آپ کتنے سالوں")
    assert stored(project, runner.session.id)["role"] == "Council officer"  # nothing lost
    # correct it
    card.widget.setFocus()
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "12")
    enter(qtbot)
    assert stored(project, runner.session.id)["years_in_area"] == 12
    assert runner.plan.status["years_in_area"] == ANSWERED
    assert screen_key(runner) == "contact"
    runner.language_box.setFocus()
    press(qtbot, Qt.Key.Key_Up)
    assert runner.engine.language == EN
    assert runner.layoutDirection() == Qt.LayoutDirection.LeftToRight
    runner.cards["contact"].widget.setFocus()
    enter(qtbot)  # optional: skipped
    assert screen_key(runner) == "code_note"
    code = stored(project, runner.session.id)["respondent_code"]
    assert code in runner.cards["code_note"].label.text()  # ${respondent_code} shown
    enter(qtbot)
    assert runner.in_review
    assert not runner.problems.isVisible()
    assert runner.cards["years_in_area"].widget.edit.text() == "12"  # review: editable answers
    assert focused() is runner.finalize_button
    press(qtbot, Qt.Key.Key_Space)
    return code


def test_consent_then_community_dna_by_keyboard(qtbot, page, project):
    choice = choose_in_dialog(qtbot, page, "Community DNA")
    page.choose = lambda: choice
    runner = page.new_interview()
    assert runner.session.form.form_id == CONSENT_FORM
    consent_id = runner.session.id
    code = run_consent_by_keyboard(qtbot, runner, project)
    assert project.interviews.get(consent_id).status == "finalized"

    dna = page.runner  # consent given: the chosen form opened on its own
    assert dna is not runner and dna.session.form.form_id == "community_dna"
    assert dna.session.row.consent == consent_id
    assert dna.session.row.respondent_code == code
    assert code in dna.meta.text()
    assert screen_key(dna) == "intro"
    enter(qtbot)
    for number, group in enumerate(DNA_GROUPS):
        assert screen_key(dna) == group
        assert dna.screen_title.text()
        answers = (number % 5 + 1, 4, 6 if number == 3 else 2)  # 6 = "Don't know"
        for position, value in enumerate(answers, start=1):
            widget = dna.cards[f"{group}_{position}"].widget
            assert widget.isAncestorOf(focused())  # Tab walked here
            digit(qtbot, value)
            tab(qtbot)
        assert isinstance(focused(), QPlainTextEdit)
        if group == "net":
            type_text(qtbot, "The mosque and the library")
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        if group == "pub":  # the language can change mid-interview
            dna.set_language(UR)
            assert dna.layoutDirection() == Qt.LayoutDirection.RightToLeft
            dna.set_language(EN)
    assert dna.in_review
    assert dna.progress.value() == dna.progress.maximum() == 11
    values = stored(project, dna.session.id)
    assert values["pub_1"] == "1" and values["pwr_3"] == "dk" and values["adapt_2"] == "4"
    assert values["net_comment"] == "The mosque and the library"
    dna.finalize_button.click()
    row = project.interviews.get(dna.session.id)
    assert row.status == "finalized"
    assert dna.session.read_only and dna.banner.isVisible()
    assert project.interviews.answers(dna.session.id)["com_soc_2"] == "4"


def test_no_consent_opens_nothing_else(qtbot, page, project, monkeypatch):
    choice = choose_in_dialog(qtbot, page, "Community DNA")
    page.choose = lambda: choice
    shown = []
    monkeypatch.setattr(
        "fieldkit.gui.interview.page.QMessageBox.information", lambda *a: shown.append(a[2])
    )
    runner = page.new_interview()
    enter(qtbot)
    digit(qtbot, 2)  # No
    enter(qtbot)
    assert screen_key(runner) == "no_consent"
    assert [e.key for e in runner.entries] == ["purpose", "consent", "no_consent"]
    enter(qtbot)
    assert runner.in_review
    runner.finalize_button.click()
    assert shown and "not given" in shown[0]
    assert page.runner is None  # back to the list; no community interview was created
    assert [r.form_id for r in project.interviews.list()] == [CONSENT_FORM]


def test_relationship_map_framing(qtbot, project):
    live = start_interview(project, "relationship_map", consent=given_consent(project))
    runner = show_runner(qtbot, live)
    enter(qtbot)
    enter(qtbot)
    assert screen_key(runner) == "focus_custom"
    enter(qtbot)  # a multi-line box: Enter is a new line, Ctrl+Enter is Next
    assert screen_key(runner) == "focus_custom"
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert screen_key(runner) == "link_types"
    assert runner.cards["link_types"].widget.selected() == [
        "information",
        "money",
        "support",
        "services",
        "influence",
    ]  # the default
    digit(qtbot, 2)  # untick money
    assert stored(project, live.id)["link_types"] == [
        "information",
        "support",
        "services",
        "influence",
    ]
    enter(qtbot)
    assert screen_key(runner) == "goals"
    assert "goal_other" not in [e.key for e in runner.entries]
    digit(qtbot, 1)
    digit(qtbot, 6)  # Something else: the follow-up question appears
    assert "goal_other" in [e.key for e in runner.entries]
    enter(qtbot)
    assert screen_key(runner) == "goal_other"
    type_text(qtbot, "Clean air")
    enter(qtbot)
    enter(qtbot)
    assert runner.in_review
    assert runner.finalize()
    assert project.interviews.get(live.id).status == "finalized"


def test_finalize_lists_every_problem_and_jumps(qtbot, project):
    live = start_interview(project, CONSENT_FORM)
    runner = show_runner(qtbot, live)
    enter(qtbot)
    digit(qtbot, 1)
    runner.review_button.click()
    assert runner.in_review
    assert runner.problems.count() == 3  # sector, role, years_in_area are required
    assert not runner.finalize()
    assert project.interviews.get(live.id).status == "draft"
    assert runner.problems.hasFocus()
    texts = [runner.problems.item(i).text() for i in range(runner.problems.count())]
    assert "Which sector" in texts[0] and "Sorry, this response is required!" in texts[0]
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)  # go to the chosen problem
    assert not runner.in_review and screen_key(runner) == "role"
    assert runner.cards["role"].message.isVisible()
    assert runner.cards["role"].widget.isAncestorOf(focused())
    assert runner.plan.status["role"] == INVALID
    assert runner.plan.status["contact"] == UNANSWERED


def test_next_is_allowed_on_a_draft(qtbot, project):
    runner = show_runner(qtbot, start_interview(project, CONSENT_FORM))
    enter(qtbot)
    enter(qtbot)  # consent is required: first Next shows the message and stays
    assert screen_key(runner) == "consent"
    assert runner.cards["consent"].message.text() == "Please choose yes or no before going on."
    assert "Next again" in runner.status.text()
    enter(qtbot)  # the second goes on: the end of the relevant screens, so the review
    assert runner.in_review


def test_jump_list_goes_to_a_screen(qtbot, project):
    live = start_interview(project, CONSENT_FORM)
    live.set("consent", "yes")
    runner = show_runner(qtbot, live)
    row = runner.plan.row["years_in_area"]
    item = runner.jump_list.item(row)
    assert item.text().startswith("○")
    runner.jump_list.setFocus()
    runner.jump_list.setCurrentRow(row)
    press(qtbot, Qt.Key.Key_Return)
    assert screen_key(runner) == "years_in_area"
    assert live.row.position == "years_in_area"
    runner.jump_toggle.click()
    assert not runner.jump_list.isVisible()


def test_ctrl_s_says_already_saved(qtbot, project):
    runner = show_runner(qtbot, start_interview(project, CONSENT_FORM))
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Already saved" in runner.status.text()


def test_typed_text_is_durable_within_300_ms(qtbot, project):
    live = start_interview(project, CONSENT_FORM)
    live.set("consent", "yes")
    runner = show_runner(qtbot, live)
    runner.jump_to("role")
    type_text(qtbot, "Baker")
    assert runner.saved_mark.text() == "Saving…"
    qtbot.wait(300)
    assert stored(project, live.id)["role"] == "Baker"
    assert runner.saved_mark.text().startswith("✓ Saved")
    assert runner.is_saved()


def test_resume_after_closing_mid_interview(qtbot, page, project):
    choice = choose_in_dialog(qtbot, page, "Community DNA")
    page.choose = lambda: choice
    runner = page.new_interview()
    interview_id = runner.session.id
    enter(qtbot)
    digit(qtbot, 1)
    enter(qtbot)
    digit(qtbot, 3)
    enter(qtbot)
    runner.set_language(UR)
    type_text(qtbot, "دکاندار")  # typed, and the window closes before the debounce
    page.close()
    page.shutdown()
    page.session.project.close()

    again = open_project(project.data_dir, project.slug)
    session = Session(again.data_dir)
    session.set_project(again)
    page2 = InterviewPage(session)
    qtbot.addWidget(page2)
    page2.resize(1280, 720)
    page2.show()
    qtbot.waitExposed(page2)
    assert page2.drafts.resume_banner.isVisible()
    assert page2.drafts.offered_draft() == interview_id
    qtbot.keyClick(page2.drafts.resume_button, Qt.Key.Key_Space)
    resumed = page2.runner
    assert resumed is not None and resumed.session.id == interview_id
    assert screen_key(resumed) == "role"
    assert resumed.engine.language == UR
    assert resumed.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert resumed.cards["role"].widget.edit.text() == "دکاندار"
    assert resumed.language_box.currentData() == UR
    again.close()


def test_finalized_opens_read_only_and_edit_is_audited(qtbot, page, project):
    consent = given_consent(project, site="Cheetham Hill")
    page.drafts.status_box.setCurrentIndex(page.drafts.status_box.findData("finalized"))
    page.drafts.select(consent)
    assert page.drafts.open_button.text() == "View"
    page.drafts.open_button.click()
    runner = page.runner
    assert runner.session.read_only and runner.banner.isVisible()
    runner.jump_to("role")
    assert not runner.cards["role"].widget.edit.isEnabled()
    runner.close_button.click()
    page.drafts.select(consent)
    page.drafts.ask_reason = lambda: "respondent corrected their role"
    page.drafts.edit_button.click()
    runner = page.runner
    assert not runner.session.read_only and not runner.banner.isVisible()
    entries = project.audit.list(consent)
    assert any(e["action"] == "edit-finalized" and "corrected" in str(e) for e in entries)
    runner.jump_to("role")
    assert runner.cards["role"].widget.edit.isEnabled()


def test_discard_needs_confirmation(qtbot, page, project):
    live = start_interview(project, CONSENT_FORM, site="Cheetham Hill")
    page.drafts.refresh()
    page.drafts.select(live.id)
    page.drafts.confirm = lambda question: False
    page.drafts.discard_button.click()
    assert project.interviews.get(live.id).status == "draft"
    page.drafts.confirm = lambda question: "Discard" in question
    page.drafts.discard_button.click()
    assert [r.id for r in project.interviews.list()] == []


def test_finalize_from_the_list_opens_problems(qtbot, page, project):
    live = start_interview(project, CONSENT_FORM, site="Cheetham Hill")
    page.drafts.refresh()
    page.drafts.select(live.id)
    page.drafts.finalize_button.click()
    runner = page.runner
    assert runner is not None and runner.in_review and runner.problems.count() == 1
    assert project.interviews.get(live.id).status == "draft"


def test_right_to_left_languages():
    assert is_right_to_left("Urdu (ur)") and is_right_to_left("Arabic (ar)")
    assert is_right_to_left("Hebrew (he)") and is_right_to_left("Persian (fa)")
    assert is_right_to_left("Urdu")
    assert not is_right_to_left("English (en)") and not is_right_to_left("default")


def test_session_reopens_position_in_store(project):
    live = start_interview(project, CONSENT_FORM)
    live.remember_position(live.engine.screens()[1])
    assert InterviewSession(project, live.id).row.position == "consent"


def test_shift_tab_goes_back_a_question(qtbot, project):
    live = start_interview(project, "community_dna", consent=given_consent(project))
    runner = show_runner(qtbot, live)
    runner.jump_to("pub")
    first = runner.cards["pub_1"].widget
    assert first.isAncestorOf(focused())
    tab(qtbot)
    assert runner.cards["pub_2"].widget.isAncestorOf(focused())
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert first.isAncestorOf(focused())


def test_text_follows_the_system_font_size(qtbot, project):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    original = app.font()
    sizes = []
    try:
        for points in (10, 16):
            font = app.font()
            font.setPointSize(points)
            app.setFont(font)
            runner = show_runner(qtbot, start_interview(project, CONSENT_FORM))
            sizes.append(
                (
                    runner.cards["purpose"].label.font().pointSizeF(),
                    runner.title.font().pointSizeF(),
                )
            )
    finally:
        app.setFont(original)
    assert sizes[1][0] > sizes[0][0] * 1.5  # the question
    assert sizes[1][1] > sizes[0][1] * 1.5  # the form's title too
