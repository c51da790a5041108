"""Helpers for the interview-runner tests: drive the GUI the way a fieldworker does."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit.fieldwork import InterviewSession, import_form, start_interview
from fieldkit.gui.interview.runner import InterviewRunner

EN, UR = "English (en)", "Urdu (ur)"


def md_form(path: Path, survey: list[list[str]], choices: list[list[str]] = (), **settings) -> Path:
    """A small pyxform markdown form: survey rows [type, name, label, extra columns...]."""
    header = [
        "type",
        "name",
        "label",
        "required",
        "relevant",
        "constraint",
        "appearance",
        "repeat_count",
        "choice_filter",
        "parameters",
        "calculation",
        "default",
    ]
    lines = ["| survey | " + " | ".join(header) + " |"]
    for row in survey:
        cells = [*row, *[""] * (len(header) - len(row))]
        lines.append("|  | " + " | ".join(cells) + " |")
    if choices:
        lines.append("")
        lines.append("| choices | list_name | name | label | area |")
        for row in choices:
            cells = [*row, *[""] * (4 - len(row))]
            lines.append("|  | " + " | ".join(cells) + " |")
    settings = {"form_id": path.stem, "form_title": path.stem.replace("_", " ").title(), **settings}
    lines.append("")
    lines.append("| settings | " + " | ".join(settings) + " |")
    lines.append("|  | " + " | ".join(settings.values()) + " |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def given_consent(project, site: str | None = None) -> str:
    """Set-up only (not under test): a finalized consent interview with consent = yes."""
    live = start_interview(project, "consent_profile", site=site)
    for key, value in (
        ("consent", "yes"),
        ("sector", "public"),
        ("role", "officer"),
        ("years_in_area", 3),
    ):
        live.set(key, value)
    live.finalize()
    return live.id


def open_runner(qtbot, project, form_path: Path, consent: str | None = None) -> InterviewRunner:
    record, _ = import_form(project, form_path)
    consent = consent or given_consent(project)
    live = start_interview(project, record["id"], consent=consent)
    return show_runner(qtbot, live)


def show_runner(qtbot, live: InterviewSession) -> InterviewRunner:
    runner = InterviewRunner(live)
    qtbot.addWidget(runner)
    runner.resize(1280, 720)
    runner.show()
    qtbot.waitExposed(runner)
    runner.activateWindow()
    qtbot.waitUntil(runner.isActiveWindow)
    runner.refocus()
    return runner


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press delivered where the keyboard focus is, as a real keyboard does."""
    target = focused()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def type_text(qtbot, text: str) -> None:
    """Typed where the focus is; non-Latin text arrives as a keyboard layout would send it."""
    target = focused()
    assert target is not None, "nothing has the keyboard focus"
    if text.isascii():
        qtbot.keyClicks(target, text)
        return
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def digit(qtbot, number: int) -> None:
    press(qtbot, getattr(Qt.Key, f"Key_{number}"))


def enter(qtbot) -> None:
    press(qtbot, Qt.Key.Key_Return)


def tab(qtbot) -> None:
    press(qtbot, Qt.Key.Key_Tab)


def screen_key(runner: InterviewRunner) -> str:
    entry = runner.current_entry()
    return entry.key if entry else ""


def stored(project, interview_id: str) -> dict:
    return project.interviews.answers(interview_id)
