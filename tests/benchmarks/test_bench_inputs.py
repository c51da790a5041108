"""The benchmark's own honesty: the generated inputs are the sizes the table claims, and the
table never shows a number for a row that did not run.

Not part of `make test` (tests/benchmarks is in norecursedirs); run with
`pytest tests/benchmarks`.
"""

from __future__ import annotations

import random

from tests.benchmarks import data
from tests.benchmarks.cases import BY_NAME, CASES
from tests.benchmarks.runner import fmt_time, table
from tests.benchmarks.sides import quantiles


def test_big_form_has_the_advertised_questions_and_relevances(tmp_path):
    from fieldkit.forms.load import load_form

    form = load_form(data.write(tmp_path / "big.md", data.big_form(2000, 1000)))
    questions = [n for n in form.walk() if n.type not in ("group", "repeat")]
    assert len(questions) == 2000
    assert sum(1 for n in questions if n.relevant) == 1000


def test_wide_form_and_answers_match(tmp_path):
    from fieldkit.forms.load import load_form

    form = load_form(data.write(tmp_path / "wide.md", data.wide_form(150)))
    names = [n.name for n in form.walk() if n.type not in ("group", "repeat")]
    answers = data.wide_answers(random.Random(1), 150)
    assert names == list(answers)


def test_network_edges_are_distinct_and_seeded():
    edges = data.network_edges(random.Random(data.SEED), 500, 3000)
    assert len(edges) == 3000
    assert len({(a, b, kind) for a, b, _, kind in edges}) == 3000
    assert all(a != b for a, b, _, _ in edges)
    assert edges == data.network_edges(random.Random(data.SEED), 500, 3000)


def test_quantiles():
    q = quantiles([0.004, 0.001, 0.002, 0.003, 0.100])
    assert q["median"] == 0.003
    assert q["min"] == 0.001
    assert q["p95"] == 0.100


def test_unavailable_rows_show_no_numbers():
    rows = [
        {
            "name": "excel",
            "work": "Excel pack",
            "size": "10,000 x 150",
            "floor_label": "openpyxl",
            "goal": "<= 1.3x",
            "unavailable": "fieldkit.packs.excel missing",
        }
    ]
    line = table(rows).splitlines()[-1]
    assert "not available: fieldkit.packs.excel missing" in line
    assert "ms" not in line and " s " not in line and "MB" not in line


def test_rows_with_a_floor_show_both_sides_and_the_ratio():
    side = {"median": 0.5, "p95": 0.6, "min": 0.4, "peak_mb": 40.0}
    floor = {"median": 0.25, "p95": 0.3, "min": 0.2, "peak_mb": 30.0}
    row = {
        "name": "form_load",
        "work": "form load",
        "size": "2,000",
        "floor_label": "pyxform",
        "goal": "<= 1.2x",
        "fieldkit": side,
        "floor": floor,
        "ratio": 2.0,
        "goal_met": False,
    }
    line = table([row]).splitlines()[-1]
    assert "500 ms" in line and "250 ms" in line and "2.00x" in line and "MISSED" in line


def test_every_case_has_a_floor_or_a_goal():
    for case in CASES:
        assert case.floor is not None or case.goal_seconds, case.name
    assert set(BY_NAME) == {c.name for c in CASES}
    assert fmt_time(0.0005) == "500 µs"
