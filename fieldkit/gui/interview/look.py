"""The runner's look: fonts for every script, its own style touches, language directions."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QFontDatabase

from fieldkit.paths import resource
from fieldkit.vocab import palette


@cache
def register_fonts() -> None:
    """Every font shipped in resources/fonts, as a fallback for labels in any script (a
    laptop without an Urdu font still shows Urdu if one is shipped there)."""
    folder = resource("fonts")
    if not folder.is_dir():
        return
    for font in folder.iterdir():
        if font.name.lower().endswith((".ttf", ".otf")):
            QFontDatabase.addApplicationFontFromData(font.read_bytes())


def runner_style() -> str:
    """The runner's own touches (question cards, screen list) in the shared palette."""
    ui = palette()["ui"]
    return (
        f"#QuestionCard {{ background: {ui['panel']}; border: 1px solid #d8dde0;"
        " border-radius: 6px; }"
        f"#ReadOnlyBanner, #RepeatBar {{ background: #eef1f3; border-radius: 4px; padding: 6px; }}"
        "#ScreenList::item { padding: 5px 4px; }"
    )


def language_title(language: str) -> str:
    return "Default" if language == "default" else language
