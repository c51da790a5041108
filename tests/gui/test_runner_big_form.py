"""The runner on a generated 2,000-question form: screen changes complete, selectively."""

from __future__ import annotations

from tests.gui.runner_helpers import enter, md_form, open_runner, screen_key, stored, type_text

QUESTIONS = 2000


def big_form(tmp_path):
    """2,000 questions: integers, texts and selects, every tenth depending on the one before."""
    survey = []
    for i in range(QUESTIONS):
        name = f"q{i}"
        if i % 3 == 0:
            row = ["integer", name, f"Question {i}: a number", "", "", ". >= 0"]
        elif i % 3 == 1:
            row = ["text", name, f"Question {i}: some words"]
        else:
            row = ["select_one yn", name, f"Question {i}: yes or no?"]
        if i % 10 == 1:
            row = [*row, "", "", ""][:6]
            row[4] = f"${{q{i - 1}}} != 5"  # the relevant column
        survey.append(row)
    return md_form(tmp_path / "big.md", survey, [["yn", "yes", "Yes"], ["yn", "no", "No"]])


def test_screen_changes_on_a_2000_question_form(qtbot, project, tmp_path):
    runner = open_runner(qtbot, project, big_form(tmp_path))
    assert len(runner.entries) == QUESTIONS
    assert runner.progress.format() == f"0 of {QUESTIONS} screens done"
    assert screen_key(runner) == "q0"
    type_text(qtbot, "5")  # q1 becomes irrelevant
    enter(qtbot)
    assert screen_key(runner) == "q2"
    assert len(runner.entries) == QUESTIONS - 1
    assert stored(project, runner.session.id)["q0"] == 5
    runner.jump_to("q1500")
    assert screen_key(runner) == "q1500"
    type_text(qtbot, "7")
    enter(qtbot)
    assert screen_key(runner) == "q1501"
    assert runner.progress.value() == 2
    assert runner.jump_list.item(runner.plan.row["q1"]).isHidden()  # irrelevant: hidden, not gone
    runner.jump_list.setCurrentRow(runner.jump_list.count() - 1)
    runner._jump_item(runner.jump_list.currentItem())
    assert screen_key(runner) == f"q{QUESTIONS - 1}"
    enter(qtbot)
    assert runner.in_review
