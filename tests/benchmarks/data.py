"""Seeded generators for the benchmarks' inputs: forms, answers, networks, rows.

Every generator takes a `random.Random` (or a seed), so a row measured on two commits measures
the same data.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

SEED = 20261125
FIVE = ("a", "b", "c", "d", "e")


def md_table(sheet: str, header: list[str], rows: list[list[Any]]) -> str:
    """One pyxform markdown table (the format of the shipped instruments)."""
    lines = [f"| {sheet} | " + " | ".join(header) + " |"]
    lines.append("|" + "---|" * (len(header) + 1))
    for row in rows:
        lines.append("|  | " + " | ".join("" if v is None else str(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def big_form(questions: int = 2000, relevant: int = 1000, group_size: int = 100) -> str:
    """An XLSForm (markdown) of `questions` questions, `relevant` of them with a relevance.

    Even questions are answers (integers, and every fourth a select_one); each odd question is
    shown only if the one before it says so, and every tenth also depends on q0000, which so
    fans out to a hundred dependants, as a consent or screening question does.
    """
    rows: list[list[Any]] = []
    with_relevance = 0
    for i in range(questions):
        if i % group_size == 0:
            if i:
                rows.append(["end group", "", "", ""])
            rows.append(
                ["begin group", f"g{i // group_size:02d}", f"Section {i // group_size}", ""]
            )
        name = f"q{i:04d}"
        if i % 2 == 0:
            kind = "select_one five" if i % 4 == 2 else "integer"
            rows.append([kind, name, f"Question {i}", ""])
            continue
        expr = ""
        if with_relevance < relevant:
            before = f"q{i - 1:04d}"
            expr = f"selected(${{{before}}}, 'c')" if (i - 1) % 4 == 2 else f"${{{before}}} > 2"
            if i % 20 == 1 and i > 1:
                expr = f"{expr} and ${{q0000}} != 5"
            with_relevance += 1
        rows.append(["text", name, f"Question {i}", expr])
    rows.append(["end group", "", "", ""])
    survey = md_table("survey", ["type", "name", "label", "relevant"], rows)
    choices = md_table(
        "choices", ["list_name", "name", "label"], [["five", c, c.upper()] for c in FIVE]
    )
    settings = md_table("settings", ["form_id", "version"], [["bench_big", "1"]])
    return survey + "\n" + choices + "\n" + settings


def wide_form(questions: int = 150) -> str:
    """A flat form of `questions` questions (integers, decimals, select_one, text) for exports."""
    kinds = ("integer", "select_one five", "decimal", "text", "select_one five")
    rows = [[kinds[i % len(kinds)], f"w{i:03d}", f"Question {i}"] for i in range(questions)]
    survey = md_table("survey", ["type", "name", "label"], rows)
    choices = md_table(
        "choices", ["list_name", "name", "label"], [["five", c, c.upper()] for c in FIVE]
    )
    settings = md_table("settings", ["form_id", "version"], [["bench_wide", "1"]])
    return survey + "\n" + choices + "\n" + settings


def wide_answers(rng: random.Random, questions: int = 150) -> dict[str, Any]:
    """One interview's answers to wide_form: values of the types the questions take."""
    out: dict[str, Any] = {}
    for i in range(questions):
        k = i % 5
        if k == 0:
            value: Any = rng.randint(0, 120)
        elif k in (1, 4):
            value = rng.choice(FIVE)
        elif k == 2:
            value = round(rng.uniform(0, 1000), 2)
        else:
            value = f"answer {rng.randint(0, 10**6)}"
        out[f"w{i:03d}"] = value
    return out


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def network_edges(rng: random.Random, actors: int, ties: int) -> list[tuple[int, int, int, str]]:
    """`ties` distinct directed ties (source, target, strength 1-3, type) among `actors`.

    Preferential attachment-ish: a few actors (the council, the big charity) get many ties, as
    real site networks do; no self-ties, no duplicate (source, target, type).
    """
    types = ("information", "money", "support", "services", "influence")
    hubs = list(range(actors)) + [rng.randrange(actors // 10) for _ in range(actors)]
    seen: set[tuple[int, int, str]] = set()
    out = []
    while len(out) < ties:
        a, b = rng.choice(hubs), rng.randrange(actors)
        kind = rng.choice(types)
        if a == b or (a, b, kind) in seen:
            continue
        seen.add((a, b, kind))
        out.append((a, b, rng.randint(1, 3), kind))
    return out
