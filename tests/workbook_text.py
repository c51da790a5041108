"""What a workbook says, as one text: tests look in it for what must (not) have been written."""

from __future__ import annotations

from typing import Any


def all_text(book: Any) -> str:
    """Every non-empty cell of every sheet of an openpyxl workbook, one per line."""
    return "\n".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
