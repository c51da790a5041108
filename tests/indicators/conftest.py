"""Fixtures for the indicator tests: the shipped framework, record factories, edited copies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fieldkit import paths
from fieldkit.indicators import Framework, InterviewRecord, load_framework


@pytest.fixture
def framework() -> Framework:
    return load_framework()


@pytest.fixture
def framework_text() -> str:
    return paths.instrument("framework.md").read_text(encoding="utf-8")


@pytest.fixture
def edited_framework(tmp_path, framework_text) -> Callable[..., Path]:
    """Write the shipped framework with text replacements applied (each must match once)."""

    def write(*replacements: tuple[str, str], name: str = "framework.md") -> Path:
        text = framework_text
        for old, new in replacements:
            assert text.count(old) == 1, f"replacement target not unique: {old!r}"
            text = text.replace(old, new)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def record(
    uuid: str,
    values: dict[str, object],
    *,
    site: str = "Cheetham Hill",
    round_: str = "baseline",
    sector: str | None = "residents",
    finalized_at: str | None = None,
) -> InterviewRecord:
    return InterviewRecord(uuid, site, round_, "fw1", sector, values, finalized_at)


def answers(indicator: str, a: object, b: object, c: object) -> dict[str, object]:
    """The three items of one indicator answered a, b, c."""
    return {f"{indicator}_1": a, f"{indicator}_2": b, f"{indicator}_3": c}


def uniform(indicator: str, value: object) -> dict[str, object]:
    return answers(indicator, value, value, value)
