"""Errors the user must read: every refusal says what is wrong and where.

A traceback never reaches a user. Core code raises `FieldkitError` with one `Problem` per thing
wrong (file, sheet, row, column when known); the CLI prints one line per problem and exits 1,
the GUI shows them in a dialog.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we know."""

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    name: str | None = None  # the question / field / record concerned

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        if self.name:
            parts.append(f"'{self.name}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


class FieldkitError(Exception):
    """An input was refused; nothing was changed. Carries one or more located problems."""

    def __init__(self, problems: str | Problem | list[Problem]):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]
