"""Shared helpers for the forms tests: write small pyxform markdown forms, find the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "corpus" / "xlsforms"


def md_table(sheet: str, header: list[str], rows: list[list[str]]) -> str:
    """One pyxform markdown sheet: the sheet name sits in the first column of the header."""
    lines = [f"| {sheet} | " + " | ".join(header) + " |"]
    for row in rows:
        cells = [*row, *[""] * (len(header) - len(row))]
        lines.append("|  | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


@pytest.fixture
def write_form(tmp_path):
    """write_form(survey_header, survey_rows, choices=None, settings=None, name=...) -> Path."""

    def write(
        header: list[str],
        rows: list[list[str]],
        choices: list[list[str]] | None = None,
        choices_header: list[str] | None = None,
        settings: dict[str, str] | None = None,
        name: str = "form.md",
    ) -> Path:
        text = md_table("survey", header, rows)
        if choices:
            text += md_table("choices", choices_header or ["list_name", "name", "label"], choices)
        if settings:
            text += md_table("settings", list(settings), [list(settings.values())])
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"the shared corpus is not beside the project ({CORPUS_DIR})")
    return CORPUS_DIR


@pytest.fixture
def markdown_sheet():
    """md_table as a fixture, for tests that build forms their own way."""
    return md_table
