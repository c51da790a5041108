"""Every form of ../shared/corpus/xlsforms gets the verdict its README table gives.

The reference is the field's own toolchain (pyxform + ODK Validate). A valid form must load, or
be refused only as "unsupported: <feature>"; an invalid one is refused with a located message,
never a traceback. Where Java is installed, ODK Validate itself (the jar pyxform ships) is run
as an oracle and must agree with fieldkit's verdict.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.forms.check import check_form

# file -> (valid for pyxform + ODK Validate?, what a refusal must say, where: sheet, row, column)
EXPECTED: dict[str, tuple[bool, str | None, tuple[str | None, int | None, str | None]]] = {
    "text_and_integer.xlsx": (True, None, (None, None, None)),
    "group.xlsx": (True, None, (None, None, None)),
    "loop.xlsx": (True, None, (None, None, None)),
    "specify_other.xlsx": (True, None, (None, None, None)),
    "choice_filter_test.xlsx": (True, None, (None, None, None)),
    "yes_or_no_question.xlsx": (True, None, (None, None, None)),
    # valid, but uses select_one_external, osm and an entities sheet: refused as unsupported
    "case_insensitivity.xlsx": (True, "unsupported: ", (None, None, None)),
    "xlsform_spec_test.xlsx": (True, None, (None, None, None)),
    "field-list.xlsx": (True, None, (None, None, None)),
    "or_other.xlsx": (True, None, (None, None, None)),
    "calculate.xls": (True, None, (None, None, None)),
    "bad_calc.xlsx": (False, "expression error", ("survey", 2, "calculation")),
    "duplicate_columns.xlsx": (False, "Duplicate column header: label", ("survey", 1, "label")),
    "group_name_test.xls": (False, "Question or group with no name", ("survey", 3, None)),
}


def test_every_corpus_form_has_an_expected_verdict(corpus_dir):
    forms = {p.name for p in corpus_dir.iterdir() if p.suffix in (".xls", ".xlsx")}
    assert forms == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_verdict(corpus_dir, name):
    valid, refusal, (sheet, row, column) = EXPECTED[name]
    path = corpus_dir / name
    if refusal is None:
        result = check_form(path)
        assert result.form.questions(), name
        assert result.form.source_hash
        return
    with pytest.raises(FieldkitError) as err:
        check_form(path)
    problems = err.value.problems
    assert problems and all(p.file == str(path) for p in problems)
    if valid:  # a valid form may only be refused for a feature fieldkit cannot support
        assert all(p.message.startswith("unsupported: ") for p in problems)
        assert {p.message.split(" (")[0] for p in problems} == {
            "unsupported: entities sheet",
            "unsupported: select_one_external",
            "unsupported: osm question",
        }
        return
    [problem] = problems
    assert refusal in problem.message
    assert (problem.sheet, problem.row, problem.column) == (sheet, row, column)


def _odk_verdict(path: Path) -> bool:
    """pyxform's conversion plus ODK Validate, as the field runs them (needs Java)."""
    from pyxform.errors import PyXFormError
    from pyxform.validators.odk_validate import ODKValidateError
    from pyxform.xls2xform import convert

    try:
        convert(xlsform=str(path), validate=True)
    except (PyXFormError, ODKValidateError):
        return False
    return True


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Unknown extension is not supported")
@pytest.mark.skipif(shutil.which("java") is None, reason="java is not installed: no ODK Validate")
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_odk_validate_agrees(corpus_dir, name):
    """The README table is the toolchain's verdict: check it against ODK Validate itself."""
    assert _odk_verdict(corpus_dir / name) is EXPECTED[name][0]
