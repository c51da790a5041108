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


def test_excel_floor_dumps_the_same_cells_as_the_packs_data_sheet(tmp_path, monkeypatch):
    """The Excel row's floor must write what fieldkit's data sheet holds, cell for cell: a
    floor with fewer (or cheaper) cells would make the ratio look worse, more would flatter."""
    from openpyxl import load_workbook

    from fieldkit.packs.collect import excel_input
    from fieldkit.packs.excel import write_excel_pack
    from tests.benchmarks.cases import _fill, _wide_project
    from tests.benchmarks.sides import bare_excel_dump

    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(tmp_path / "default"))
    monkeypatch.setenv("FIELDKIT_FIELDWORKER", "Bench Fieldworker")
    project, form_pk = _wide_project(tmp_path, "Excel floor")
    _fill(project, form_pk, 12, random.Random(data.SEED))
    path = project.path
    write_excel_pack(tmp_path / "pack.xlsx", excel_input(project))
    project.close()
    bare_excel_dump(path, tmp_path / "bare.xlsx", 150, "bench_wide")

    def cells(file, sheet):
        return list(load_workbook(file, read_only=True)[sheet].iter_rows(values_only=True))

    pack, bare = (
        cells(tmp_path / "pack.xlsx", "bench_wide"),
        cells(tmp_path / "bare.xlsx", "bench_wide"),
    )
    assert len(pack) == 13 and len(pack[0]) == 160
    assert bare == pack


def test_cold_start_probe_opens_the_app_through_the_cli(tmp_path, monkeypatch):
    """The start-up row's fieldkit side is `fieldkit` with no command, run to the window."""
    import json
    import os
    import subprocess
    import sys

    from tests.benchmarks.cases import prepare_startup
    from tests.benchmarks.runner import ROOT, STARTUP_PROBE
    from tests.benchmarks.worker import MARK

    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(tmp_path / "default"))
    monkeypatch.setenv("FIELDKIT_FIELDWORKER", "Bench Fieldworker")
    prepare_startup(tmp_path, quick=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for side in ("fieldkit", "bare"):
        proc = subprocess.run(
            [sys.executable, str(STARTUP_PROBE), side, str(tmp_path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        line = [x for x in proc.stdout.splitlines() if x.startswith(MARK)][-1]
        result = json.loads(line[len(MARK) :])
        assert "error" not in result, proc.stderr
        # the probe reports an error unless run_gui reached its event loop with MainWindow up
        assert result["shown_at"] > 0 and result["peak_mb"] > 0
