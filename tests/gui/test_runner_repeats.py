"""Repeats in the runner: add and remove instances, the count shown, repeat_count honoured."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.runner_helpers import (
    enter,
    focused,
    md_form,
    open_runner,
    press,
    screen_key,
    stored,
    type_text,
)

SURVEY = [
    ["begin repeat", "member", "Household member"],
    ["text", "m_name", "Name of member ${m_pos}", "yes"],
    ["integer", "m_age", "Age"],
    ["calculate", "m_pos", "", "", "", "", "", "", "", "", "position(..)"],
    ["end repeat"],
    ["integer", "n_children", "How many children?"],
    ["begin repeat", "child", "Child", "", "", "", "", "${n_children}"],
    ["text", "c_name", "Child's name"],
    ["end repeat"],
]


def household(tmp_path):
    return md_form(tmp_path / "household.md", SURVEY)


def test_add_and_remove_instances(qtbot, project, tmp_path):
    runner = open_runner(qtbot, project, household(tmp_path))
    live = runner.session
    assert screen_key(runner) == "member[0]/m_name"
    assert runner.repeat_text.text() == "Household member — 1 of 1"
    assert runner.cards["member[0]/m_name"].label.text().startswith("Name of member 1")
    type_text(qtbot, "Amina")
    enter(qtbot)
    type_text(qtbot, "41")
    enter(qtbot)
    assert screen_key(runner) == "member"  # the repeat's own prompt
    assert runner.screen_title.text() == "Household member: 1 entered"
    assert focused() is runner.add_repeat_button
    press(qtbot, Qt.Key.Key_Space)  # add another
    assert screen_key(runner) == "member[1]/m_name"
    assert runner.repeat_text.text() == "Household member — 2 of 2"
    type_text(qtbot, "Bilal")
    enter(qtbot)
    enter(qtbot)
    assert screen_key(runner) == "member"
    assert runner.screen_title.text() == "Household member: 2 entered"
    values = stored(project, live.id)
    assert values["member"] == 2
    assert values["member[0]/m_name"] == "Amina" and values["member[1]/m_name"] == "Bilal"
    items = [runner.jump_list.item(i).text() for i in range(runner.jump_list.count())]
    assert any("[2]" in text for text in items)

    # remove the first member: confirmation asked, later ones renumbered
    runner.jump_to("member[0]/m_name")
    asked = []
    runner.confirm = lambda question: asked.append(question) is None
    runner.remove_button.click()
    assert asked == ["Remove Household member 1 and its answers?"]
    values = stored(project, live.id)
    assert values["member"] == 1 and values["member[0]/m_name"] == "Bilal"
    assert "member[1]/m_name" not in values
    assert screen_key(runner) == "member"
    assert runner.screen_title.text() == "Household member: 1 entered"


def test_repeat_count_is_honoured(qtbot, project, tmp_path):
    runner = open_runner(qtbot, project, household(tmp_path))
    runner.jump_to("n_children")
    assert [e.key for e in runner.entries if e.key.startswith("child")] == []
    type_text(qtbot, "2")
    enter(qtbot)
    keys = [e.key for e in runner.entries]
    assert "child[0]/c_name" in keys and "child[1]/c_name" in keys
    assert "child" not in keys  # no add/remove prompt: the form sets the number
    assert screen_key(runner) == "child[0]/c_name"
    assert runner.repeat_text.text() == "Child — 1 of 2"
    assert not runner.remove_button.isVisible()
    type_text(qtbot, "Zara")
    enter(qtbot)
    assert screen_key(runner) == "child[1]/c_name"
    assert stored(project, runner.session.id)["child[0]/c_name"] == "Zara"
    runner.jump_to("n_children")
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "1")
    enter(qtbot)
    assert [e.key for e in runner.entries if e.key.startswith("child")] == ["child[0]/c_name"]
    assert stored(project, runner.session.id)["child"] == 1
