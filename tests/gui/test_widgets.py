"""Every question type's widget, driven by keys and clicks; the store holds what was given."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QPlainTextEdit, QWidget

from fieldkit.gui.interview.widgets import (
    AcknowledgeWidget,
    AttachmentWidget,
    DateTimeWidget,
    DropDownWidget,
    GeoWidget,
    NoteWidget,
    NumberWidget,
    RangeWidget,
    RankWidget,
    SelectMultipleWidget,
    SelectOneWidget,
    TextWidget,
    human_size,
)
from tests.gui.runner_helpers import (
    digit,
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
    ["text", "story", "Tell us what happened", "", "", "", "multiline"],
    ["integer", "age", "Age", "", "", ". < 120"],
    ["decimal", "weight", "Weight in kg"],
    ["range", "score", "Score", "", "", "", "", "", "", "start=0 end=10 step=2"],
    ["select_one yn", "yn1", "Yes or no?"],
    ["select_one yn", "yn2", "Yes or no (drop-down)?", "", "", "", "minimal"],
    ["select_one agree", "lik", "How much do you agree?", "", "", "", "likert"],
    ["select_multiple fruit", "fruits", "Which fruit?"],
    ["select_one region", "region", "Region"],
    ["select_one town", "town", "Town", "", "", "", "", "", "area=${region}"],
    ["rank fruit", "fruit_rank", "Order the fruit"],
    ["note", "info", "Age given: ${age}"],
    ["acknowledge", "ack", "I have read this"],
    ["date", "when", "Date"],
    ["time", "at", "Time"],
    ["dateTime", "stamp", "Date and time"],
    ["geopoint", "where", "Location"],
    ["geotrace", "path", "Path"],
    ["geoshape", "shape", "Shape"],
    ["image", "photo", "Photo"],
    ["audio", "voice", "Voice note"],
    ["video", "clip", "Video clip"],
    ["file", "doc", "Document"],
    ["barcode", "code", "Code"],
]
CHOICES = [
    ["yn", "yes", "Yes"],
    ["yn", "no", "No"],
    *[
        ["agree", str(i), label]
        for i, label in enumerate(
            ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"), start=1
        )
    ],
    ["fruit", "apple", "Apple"],
    ["fruit", "pear", "Pear"],
    ["fruit", "plum", "Plum"],
    ["region", "north", "North"],
    ["region", "south", "South"],
    ["town", "hull", "Hull", "north"],
    ["town", "york", "York", "north"],
    ["town", "bath", "Bath", "south"],
]


@pytest.fixture
def runner(qtbot, project, tmp_path):
    return open_runner(qtbot, project, md_form(tmp_path / "everything.md", SURVEY, CHOICES))


def widget(runner, key):
    runner.jump_to(key)
    assert screen_key(runner) == key
    return runner.cards[key].widget


def answers(runner):
    return stored(runner.session.project, runner.session.id)


def test_each_type_has_its_widget(runner):
    expected = {
        "story": TextWidget,
        "age": NumberWidget,
        "weight": NumberWidget,
        "score": RangeWidget,
        "yn1": SelectOneWidget,
        "yn2": DropDownWidget,
        "lik": SelectOneWidget,
        "fruits": SelectMultipleWidget,
        "fruit_rank": RankWidget,
        "info": NoteWidget,
        "ack": AcknowledgeWidget,
        "when": DateTimeWidget,
        "where": GeoWidget,
        "path": GeoWidget,
        "at": DateTimeWidget,
        "stamp": DateTimeWidget,
        "shape": GeoWidget,
        "photo": AttachmentWidget,
        "voice": AttachmentWidget,
        "clip": AttachmentWidget,
        "doc": AttachmentWidget,
        "region": SelectOneWidget,
        "town": SelectOneWidget,
        "code": TextWidget,
    }
    for key, kind in expected.items():
        found = widget(runner, key)
        assert type(found) is kind, key
        assert found.accessibleName(), key


def test_multiline_text(qtbot, runner):
    box = widget(runner, "story")
    assert isinstance(box.edit, QPlainTextEdit)
    type_text(qtbot, "First line")
    press(qtbot, Qt.Key.Key_Return)  # a new line, not Next
    type_text(qtbot, "second line")
    assert screen_key(runner) == "story"
    press(qtbot, Qt.Key.Key_Tab)  # focus leaves: saved at once
    assert answers(runner)["story"] == "First line\nsecond line"


def test_integer_and_decimal_are_validated(qtbot, runner):
    age = widget(runner, "age")
    type_text(qtbot, "4x2")  # the letter cannot be typed
    assert age.edit.text() == "42"
    enter(qtbot)
    assert answers(runner)["age"] == 42
    runner.jump_to("age")
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "130")
    enter(qtbot)
    assert runner.cards["age"].message.text() == "Sorry, this response is invalid!"
    widget(runner, "weight")
    type_text(qtbot, "61,5")
    enter(qtbot)
    assert answers(runner)["weight"] == 61.5


def test_range_slider(qtbot, runner):
    slider = widget(runner, "score")
    assert slider.value_label.text() == "—"
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Right)
    assert answers(runner)["score"] == 4
    assert slider.value_label.text() == "4"
    press(qtbot, Qt.Key.Key_End)
    assert answers(runner)["score"] == 10


def test_select_one_radio_digits_and_delete(qtbot, runner):
    radios = widget(runner, "yn1")
    assert [b.text() for b in radios.buttons] == ["1.  Yes", "2.  No"]
    digit(qtbot, 2)
    assert answers(runner)["yn1"] == "no"
    assert radios.buttons[1].isChecked()
    digit(qtbot, 7)  # no such choice: nothing happens
    assert answers(runner)["yn1"] == "no"
    press(qtbot, Qt.Key.Key_Delete)
    assert "yn1" not in answers(runner)
    qtbot.mouseClick(radios.buttons[0], Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert answers(runner)["yn1"] == "yes"


def test_minimal_is_a_drop_down(qtbot, runner):
    drop = widget(runner, "yn2")
    assert drop.combo.count() == 3
    digit(qtbot, 2)
    assert answers(runner)["yn2"] == "no"
    press(qtbot, Qt.Key.Key_Up)
    assert answers(runner)["yn2"] == "yes"


def test_likert_is_one_row(qtbot, runner):
    scale = widget(runner, "lik")
    assert scale.likert
    ys = {b.mapTo(scale, QPoint(0, 0)).y() for b in scale.buttons}
    assert len(ys) == 1 and len(scale.buttons) == 5
    digit(qtbot, 4)
    assert answers(runner)["lik"] == "4"


def test_select_multiple_check_boxes(qtbot, runner):
    boxes = widget(runner, "fruits")
    digit(qtbot, 1)
    digit(qtbot, 3)
    assert answers(runner)["fruits"] == ["apple", "plum"]
    press(qtbot, Qt.Key.Key_Space)  # the focused box (plum) toggles off
    assert answers(runner)["fruits"] == ["apple"]
    assert boxes.selected() == ["apple"]


def test_choice_filter_is_live(qtbot, runner):
    towns = widget(runner, "town")
    assert towns.buttons == []  # nothing matches until a region is chosen
    assert towns._empty_note.isVisible() and "earlier answer" in towns._empty_note.text()
    widget(runner, "region")
    digit(qtbot, 2)  # South
    towns = widget(runner, "town")
    assert [b.accessibleName() for b in towns.buttons] == ["Bath"]
    assert getattr(towns, "_empty_note", None) is None
    runner.jump_to("region")
    digit(qtbot, 1)
    towns = widget(runner, "town")
    assert [b.accessibleName() for b in towns.buttons] == ["Hull", "York"]


def test_rank_reorders_by_keyboard(qtbot, runner):
    rank = widget(runner, "fruit_rank")
    assert rank.order() == ["apple", "pear", "plum"]
    assert rank.state.text() == "not ranked yet"
    rank.list.setCurrentRow(2)
    press(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert answers(runner)["fruit_rank"] == ["apple", "plum", "pear"]
    assert rank.state.text() == "ranked"


def test_note_shows_values_and_acknowledge(qtbot, runner):
    widget(runner, "age")
    type_text(qtbot, "33")
    enter(qtbot)
    widget(runner, "info")
    assert runner.cards["info"].label.text() == "Age given: 33"
    widget(runner, "ack")
    press(qtbot, Qt.Key.Key_Space)
    assert answers(runner)["ack"] == "OK"


def test_short_inputs_fit_their_format(qtbot, runner):
    for key, sample in (("stamp", "YYYY-MM-DD HH:MM"), ("when", "YYYY-MM-DD"), ("age", "a whole")):
        edit = widget(runner, key).edit
        assert edit.width() >= edit.fontMetrics().horizontalAdvance(sample), key


def test_date_time_pickers(qtbot, runner):
    date = widget(runner, "when")
    type_text(qtbot, "2026-02-30")
    enter(qtbot)  # not a date: refused, said on the question, nothing stored
    assert "when" not in answers(runner)
    assert "not a date" in runner.cards["when"].message.text()
    assert screen_key(runner) == "when"
    date = runner.cards["when"].widget
    date.calendar.setSelectedDate(QDate(2026, 3, 14))
    date.calendar.activated.emit(QDate(2026, 3, 14))
    assert answers(runner)["when"] == "2026-03-14"
    assert not runner.cards["when"].message.isVisible()
    widget(runner, "at")
    type_text(qtbot, "09:30")
    enter(qtbot)
    assert answers(runner)["at"] == "09:30:00"
    stamp = widget(runner, "stamp")
    now_button = [b for b in stamp.findChildren(type(runner.next_button)) if b.text() == "Now"][0]
    now_button.click()
    assert answers(runner)["stamp"].startswith(dt.date.today().isoformat())


def test_geo_typed_coordinates(qtbot, runner):
    widget(runner, "where")
    type_text(qtbot, "95 10")
    enter(qtbot)
    assert "latitude must be within" in runner.cards["where"].message.text()
    runner.jump_to("where")
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "53.48 -2.24")
    enter(qtbot)
    assert answers(runner)["where"] == "53.48 -2.24 0 0"
    trace = widget(runner, "path")
    assert isinstance(trace.edit, QPlainTextEdit)
    type_text(qtbot, "53.1 -2.1")
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "53.2 -2.2")
    press(qtbot, Qt.Key.Key_Tab)
    assert answers(runner)["path"] == "53.1 -2.1 0 0;53.2 -2.2 0 0"


def test_attach_a_file(qtbot, runner, tmp_path):
    photo = tmp_path / "door.png"
    photo.write_bytes(b"\x89PNG" + b"0" * 2044)
    attach = widget(runner, "photo")
    assert attach.info.text() == "No file attached"
    attach.choose_file = lambda: photo
    assert focused() is attach.button
    press(qtbot, Qt.Key.Key_Space)
    assert answers(runner)["photo"] == "door.png"
    assert attach.info.text() == "door.png (2.0 KB)"
    kept = runner.session.project.interviews.attachments(runner.session.id)
    assert [(a["key"], a["size"]) for a in kept] == [("photo", 2048)]


def test_barcode_is_text(qtbot, runner):
    widget(runner, "code")
    type_text(qtbot, "5012345678900")
    enter(qtbot)
    assert answers(runner)["code"] == "5012345678900"


def test_read_only_widgets_are_disabled(qtbot, runner):
    box = widget(runner, "yn1")
    box.set_read_only(True)
    assert not any(b.isEnabled() for b in box.buttons)
    assert not box.pick(1)


def test_human_size():
    assert human_size(512) == "512 bytes"
    assert human_size(2048) == "2.0 KB"
    assert human_size(5 * 1024 * 1024) == "5.0 MB"
    assert QApplication.instance() is not None


def test_audio_and_video_attach_by_keyboard(qtbot, runner, tmp_path):
    for key, name in (("voice", "note.ogg"), ("clip", "walk.mp4")):
        media = tmp_path / name
        media.write_bytes(b"x" * 3000)
        attach = widget(runner, key)
        assert "Audio" in attach.FILTERS[attach.node.type] or "Video" in attach.FILTERS["video"]
        attach.choose_file = lambda media=media: media
        press(qtbot, Qt.Key.Key_Space)
        assert answers(runner)[key] == name
        assert attach.info.text() == f"{name} (2.9 KB)"


def test_every_control_a_keyboard_reaches_has_an_accessible_name(runner):
    unnamed = []

    def scan(where):
        for control in runner.findChildren(QWidget):
            if not control.isVisible() or control.focusPolicy() == Qt.FocusPolicy.NoFocus:
                continue
            name = control.accessibleName()
            if not name and isinstance(control, QAbstractButton):
                name = control.text()
            if not name.strip():
                unnamed.append((where, type(control).__name__))

    for index, entry in enumerate(list(runner.entries)):
        runner.show_entry(index)
        scan(entry.key)
    runner.show_review()
    scan("review")
    assert unnamed == []
