"""The app's look: the stylesheet from resources/, filled with the shared palette."""

from __future__ import annotations

from PySide6.QtGui import QColor

from fieldkit.paths import resource_text
from fieldkit.vocab import palette


def stylesheet(base_pt: float = 10.0) -> str:
    """The stylesheet, with titles sized from the system font so they scale with it."""
    css = resource_text("style.qss")
    for key, value in palette()["ui"].items():
        css = css.replace("{" + key + "}", value)
    css = css.replace("{title_pt}", f"{base_pt * 1.6:.1f}")
    css = css.replace("{title_small_pt}", f"{base_pt * 1.3:.1f}")
    return css


def qcolor(hex_colour: str) -> QColor:
    return QColor(hex_colour)
