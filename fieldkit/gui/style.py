"""The app's look: the stylesheet from resources/, filled with the shared palette."""

from __future__ import annotations

from PySide6.QtGui import QColor

from fieldkit.paths import resource_text
from fieldkit.vocab import palette


def stylesheet() -> str:
    css = resource_text("style.qss")
    for key, value in palette()["ui"].items():
        css = css.replace("{" + key + "}", value)
    return css


def qcolor(hex_colour: str) -> QColor:
    return QColor(hex_colour)
