"""fieldkit's verdict on generated forms == pyxform + ODK Validate's (the jar pyxform ships).

fieldkit runs without Java; this test is where Java is present, so the claim "its own checks
reach the same verdicts" is measured against the field's toolchain rather than asserted.
"""

from __future__ import annotations

import random
import shutil
import warnings

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.forms.check import check_form

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("java") is None, reason="java is not installed: no ODK Validate"
    ),
]

HEADER = ["type", "name", "label", "relevant", "constraint", "calculation", "read_only", "required"]
BASE = [
    ["integer", "a", "A"],
    ["decimal", "b", "B"],
    ["text", "t", "T"],
    ["select_multiple l", "s", "S"],
]
CHOICES = [["l", "x", "X"], ["l", "y", "Y"]]

# (column, expression): hand-picked edge cases of syntax, tolerance and circular logic
CASES = [
    ("relevant", "${a} > 1"),
    ("relevant", "${a} >"),
    ("relevant", "selected (${s}, 'x')"),  # JavaRosa allows a space before "("
    ("relevant", "${a} = 'x"),
    ("relevant", "1 + + 2 = 3"),
    ("relevant", "--1 = ${a}"),
    ("relevant", "${a}<>1"),
    ("relevant", "${a} => 1"),
    ("relevant", "unknown-func(1)"),
    ("relevant", "a = 1"),
    ("relevant", "/data/a = 1"),
    ("relevant", "'it''s' = ${t}"),
    ("relevant", "${a} = true"),
    ("relevant", "${a}[1] = 1"),
    ("relevant", "${a} = 1 and (${a} = 2"),
    ("relevant", "jr:choice-name(${s}, '${s}') = 'x'"),
    ("relevant", "${a} = 1 = 2"),
    ("relevant", "$a > 1"),
    ("relevant", "${a} > 1)"),
    ("relevant", "string-length(.) < 10"),  # reads itself: a cycle for JavaRosa
    ("relevant", ". > ${a}"),
    ("constraint", ". > ${a}"),
    ("constraint", "regex(., '^[0-9]+$')"),
    ("calculation", "${q} + 1"),
    ("calculation", "once(concat('R-', substr(uuid(), 0, 8)))"),
    ("calculation", "format-date(today(), '%Y')"),
    ("calculation", "if(${a} > 1, 'a', 'b')"),
    ("calculation", "because pyxform doesn't know"),
    ("read_only", "${a} > 1"),
    ("required", ". = ''"),
    # pyxform writes ${a} as /data/a, so a ${ref} after a path step continues the path
    ("relevant", "not ${a}"),
    ("relevant", "not ${a} and ${b} > 1"),
    ("relevant", "${a} ${b} > 1"),
    ("relevant", ".. ${a}"),
    ("relevant", "x[1] ${a}"),
    ("constraint", "not ${a}"),
    # ... and after a value, a call or (...) it is a filter expression JavaRosa cannot run
    ("relevant", "1 ${a}"),
    ("relevant", "(${a}) ${b}"),
    ("relevant", "(${a})/x"),
    ("relevant", "false() and (${a})/x = 1"),
    ("constraint", "today() ${a}"),
    ("constraint", "(${a})/x"),
    # the union: parsed, refused where ODK Validate evaluates it on the blank form
    ("relevant", "${a} | ${a}"),
    ("required", "count(${a} | ${b}) > 0"),
    ("relevant", "false() and count(${a} | ${b}) > 0"),
    ("relevant", "if(false(), count(${a} | ${b}), 0) > 0"),
    ("constraint", "${a} | ${a}"),
]

ATOMS = ["${a}", "${b}", "${t}", "1", "2.5", "'x'", "today()", "count-selected(${s})", "."]
OPS = [" + ", " - ", " * ", " div ", " mod ", " = ", " != ", " < ", " >= ", " and ", " or "]
WRAPS = ["not({})", "if({}, 1, 0)", "string({})", "concat({}, 'z')", "round({})", "({})", "-{}"]
BREAKS = [
    lambda e: e + " and",
    lambda e: "(" + e,
    lambda e: e + ")",
    lambda e: e + " 'q",
    lambda e: "${nope} + " + e,
    lambda e: e.replace("${", "$", 1),
]


def generated(seed: int, count: int) -> list[tuple[str, str]]:
    """Random expressions over the base form's fields, a third of them broken on purpose."""
    rng = random.Random(seed)

    def expression(depth: int = 0) -> str:
        if depth > 2 or rng.random() < 0.3:
            return rng.choice(ATOMS)
        if rng.random() < 0.5:
            return expression(depth + 1) + rng.choice(OPS) + expression(depth + 1)
        return rng.choice(WRAPS).format(expression(depth + 1))

    out = []
    for _ in range(count):
        text = expression()
        if rng.random() < 0.35:
            text = rng.choice(BREAKS)(text)
        out.append((rng.choice(["relevant", "constraint", "calculation"]), text))
    return out


def write_case(tmp_path, md_table, column: str, expression: str):
    row = {"type": "calculate" if column == "calculation" else "integer", "name": "q", "label": "Q"}
    row[column] = expression.replace("|", "\\|")
    rows = [*BASE, [row.get(h, "") for h in HEADER]]
    path = tmp_path / "case.md"
    path.write_text(
        md_table("survey", HEADER, rows)
        + md_table("choices", ["list_name", "name", "label"], CHOICES)
    )
    return path


def odk_verdict(path) -> bool:
    from pyxform.errors import PyXFormError
    from pyxform.validators.odk_validate import ODKValidateError
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=str(path), validate=True)
    except (PyXFormError, ODKValidateError):
        return False
    return True


def fieldkit_verdict(path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check_form(path)
    except FieldkitError:
        return False
    return True


@pytest.mark.parametrize(("column", "expression"), CASES + generated(seed=20261125, count=20))
def test_same_verdict_as_odk_validate(tmp_path, markdown_sheet, column, expression):
    path = write_case(tmp_path, markdown_sheet, column, expression)
    assert fieldkit_verdict(path) is odk_verdict(path)
