"""`fieldkit forms check` and `fieldkit forms template`, end to end through the CLI."""

from __future__ import annotations

from importlib import resources

import openpyxl
import pytest

from fieldkit.cli import main
from fieldkit.forms.load import load_form


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_valid_form_prints_one_line_summary(capsys, write_form):
    path = write_form(
        ["type", "name", "label"],
        [["begin group", "g", "G"], ["text", "a", "A"], ["end group"]],
        settings={"form_id": "tiny", "version": "1"},
    )
    code, out, err = run(capsys, "forms", "check", str(path))
    assert code == 0
    assert out.splitlines() == [
        "tiny v1: 1 question, 1 group, 0 repeats, 1 language (default), 0 warnings"
    ]
    assert err == ""


def test_check_prints_warnings_on_stderr(capsys, corpus_dir):
    code, out, err = run(capsys, "forms", "check", str(corpus_dir / "xlsform_spec_test.xlsx"))
    assert code == 0 and len(out.splitlines()) == 1
    assert "4 warnings" in out
    assert err.count("warning: ") == 4


def test_check_invalid_form_one_line_per_problem(capsys, write_form):
    path = write_form(
        ["type", "name", "label", "relevant", "calculation"],
        [["text", "a", "A", "1 ="], ["calculate", "c", "", "", "1 +"]],
    )
    code, out, err = run(capsys, "forms", "check", str(path))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"error: {path}, sheet 'survey', row 2, column 'relevant'")
    assert lines[1].startswith(f"error: {path}, sheet 'survey', row 3, column 'calculation'")
    assert "Traceback" not in err


def test_check_corpus_refusal_is_located(capsys, corpus_dir):
    code, _, err = run(capsys, "forms", "check", str(corpus_dir / "group_name_test.xls"))
    assert code == 1
    assert err.strip() == (
        f"error: {corpus_dir / 'group_name_test.xls'}, sheet 'survey', row 3: "
        "Question or group with no name."
    )


def test_check_missing_file(capsys, tmp_path):
    code, _, err = run(capsys, "forms", "check", str(tmp_path / "none.xlsx"))
    assert code == 1 and err.startswith("error: ") and "none.xlsx" in err


@pytest.mark.parametrize("form_id", ["consent_profile", "relationship_map"])
def test_template_writes_a_standard_xlsx(capsys, tmp_path, form_id):
    out_path = tmp_path / "out" / f"{form_id}.xlsx"
    code, out, _ = run(capsys, "forms", "template", form_id, str(out_path))
    assert code == 0 and str(out_path) in out
    book = openpyxl.load_workbook(out_path)
    assert book.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in book["survey"][1]]
    assert header[:2] == ["type", "name"] and "label::English (en)" in header
    settings = {
        c.value: v.value for c, v in zip(book["settings"][1], book["settings"][2], strict=True)
    }
    assert settings["form_id"] == form_id


def test_template_unknown_id_lists_shipped_forms(capsys, tmp_path):
    code, _, err = run(capsys, "forms", "template", "nope", str(tmp_path / "x.xlsx"))
    assert code == 1
    assert "no shipped form 'nope'" in err and "consent_profile" in err
    assert "framework" not in err
    assert not (tmp_path / "x.xlsx").exists()


def test_template_refuses_other_suffix(capsys, tmp_path):
    code, _, err = run(capsys, "forms", "template", "consent_profile", str(tmp_path / "x.csv"))
    assert code == 1 and ".xlsx" in err


def test_template_output_passes_check(capsys, tmp_path):
    out_path = tmp_path / "cp.xlsx"
    assert run(capsys, "forms", "template", "consent_profile", str(out_path))[0] == 0
    code, out, _ = run(capsys, "forms", "check", str(out_path))
    assert code == 0 and out.startswith("consent_profile v")
    assert load_form(out_path).node("organisation").sensitive


def test_check_framework_file_against_its_form(capsys):
    from fieldkit import paths

    with resources.as_file(paths.instrument("framework.md")) as path:
        code, out, err = run(capsys, "forms", "check", str(path))
    assert code == 0, err
    [line] = out.splitlines()
    assert line.startswith("framework ") and " for community_dna: " in line
    assert "10 indicators, 30 items" in line


def test_check_framework_against_the_wrong_form_is_refused(capsys):
    from fieldkit import paths

    with (
        resources.as_file(paths.instrument("framework.md")) as framework,
        resources.as_file(paths.instrument("consent_profile.md")) as form,
    ):
        code, out, err = run(capsys, "forms", "check", str(framework), "--form", str(form))
    assert code == 1 and out == ""
    assert "no question 'pub_1' in form 'consent_profile'" in err
    assert all(line.startswith("error: ") for line in err.splitlines())


def test_import_list_and_template_of_imported_form(tmp_path, capsys):
    from fieldkit.cli import main

    data = tmp_path / "data"
    form = tmp_path / "household.md"
    form.write_text(
        "| survey |      |      |       |\n|  | type | name | label |\n|  | text | hh | Household? |\n"
        "| settings | | |\n|  | form_id | version |\n|  | household | 1 |\n"
    )
    base = ["--data-dir", str(data)]
    assert main(base + ["project", "create", "P"]) == 0
    assert main(base + ["forms", "import", str(form)]) == 0
    assert "imported household version 1" in capsys.readouterr().out
    assert main(base + ["forms", "import", str(form)]) == 0
    assert "nothing changed" in capsys.readouterr().out
    form.write_text(form.read_text().replace("| household | 1 |", "| household | 2 |"))
    assert main(base + ["forms", "import", str(form)]) == 0
    capsys.readouterr()
    assert main(base + ["forms", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("household ") for line in listing) == 2
    assert any(line.startswith("consent_profile ") for line in listing)
    out = tmp_path / "household.xlsx"
    assert main(base + ["forms", "template", "household", str(out)]) == 0
    from fieldkit.forms.load import load_form

    assert load_form(out).version == "2"
    bad = tmp_path / "bad.md"
    bad.write_text("| survey | | | |\n| | type | name | label |\n| | select_one nope | q | Q? |\n")
    assert main(base + ["forms", "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.md" in err and "Traceback" not in err
