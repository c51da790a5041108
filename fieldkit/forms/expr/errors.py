"""The two ways an expression can fail, kept apart because they reach the user differently.

A *syntax* error (`ExpressionError`) is found when a form is loaded: the loader turns it into a
located Problem (sheet, row, column). An *evaluation* error (`EvaluationError`) happens while an
interview runs (a function ODK knows but fieldkit cannot run, a bad regex...): the Interview
shows it as a message on the question and carries on, never crashing.
"""

from __future__ import annotations


class ExpressionError(ValueError):
    """Bad syntax in an XLSForm expression; `position` is the 0-based character offset."""

    def __init__(self, message: str, text: str = "", position: int = 0):
        self.message = message
        self.text = text
        self.position = position
        where = f" at character {position + 1}" if text else ""
        shown = f" in {text!r}" if text else ""
        super().__init__(f"{message}{where}{shown}")


class EvaluationError(ValueError):
    """An expression that parsed could not be evaluated (unsupported function, bad regex...)."""
