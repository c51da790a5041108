"""Problems and warnings come in form order, node by node, whatever order the loader built in."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.forms.check import check_form
from fieldkit.forms.load import load_form


def _problems(path) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(FieldkitError) as err:
        check_form(path)
    return [(p.message.split(":")[0], p.row, p.column) for p in err.value.problems]


def test_each_loop_copy_says_all_of_its_problems_before_the_next(write_form):
    path = write_form(
        ["type", "name", "label", "relevant", "default"],
        [
            ["integer", "a", "A", "", ""],
            ["begin loop over yn", "lp", "Loop", "", ""],
            ["integer", "q", "Q", "1 = = 1", "${a} +"],
            ["end loop", "", "", "", ""],
        ],
        choices=[["yn", "yes", "Yes"], ["yn", "no", "No"]],
    )
    columns = [column for _, _, column in _problems(path)]
    assert columns == ["relevant", "default", "relevant", "default"]


def test_an_audit_row_pyxform_moves_is_checked_at_its_own_row(write_form):
    path = write_form(
        ["type", "name", "label", "relevant"],
        [["audit", "audit", "", ". != ''"], ["integer", "a", "A", ". > 1"]],
    )
    assert [row for _, row, _ in _problems(path)] == [2, 3]


def test_warnings_about_reused_names_come_in_form_order(write_form):
    path = write_form(
        ["type", "name", "label"],
        [
            ["audit", "audit", ""],
            ["begin group", "g", "G"],
            ["text", "y", "Y"],
            ["text", "audit", "A"],
            ["end group", "", ""],
            ["begin group", "h", "H"],
            ["text", "y", "Y2"],
            ["end group", "", ""],
        ],
    )
    warnings = check_form(path).warnings
    assert [w.split("'")[1] for w in warnings if "is used on rows" in w] == ["audit", "y"]


def test_an_audit_with_parameters_loads_them(write_form):
    path = write_form(
        ["type", "name", "label", "parameters"],
        [["audit", "audit", "", "track-changes=true"], ["integer", "a", "A", ""]],
    )
    audit = load_form(path).node("audit")
    assert audit.parameters == {"track-changes": "true"}
    assert audit.row == 2


_TWO_CYCLES = """
import sys
from fieldkit.errors import FieldkitError
from fieldkit.forms.check import check_form
try:
    check_form(sys.argv[1])
except FieldkitError as exc:
    print([p.message for p in exc.problems])
"""


def test_several_cycles_are_reported_in_form_order_on_every_run(write_form):
    path = write_form(
        ["type", "name", "label", "calculation"],
        [
            ["calculate", "c1", "", "${c2} + 1"],
            ["calculate", "c2", "", "${c1} + 1"],
            ["calculate", "d1", "", "${d2} + 1"],
            ["calculate", "d2", "", "${d1} + 1"],
            ["calculate", "e1", "", "${e2} + 1"],
            ["calculate", "e2", "", "${e1} + 1"],
        ],
    )
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _TWO_CYCLES, str(path)],
            capture_output=True, text=True, env=env, timeout=120, check=True,
        )  # fmt: skip
        outputs.add(run.stdout)
    assert len(outputs) == 1
    first = outputs.pop()
    assert first.index("${c1}") < first.index("${d1}") < first.index("${e1}")
