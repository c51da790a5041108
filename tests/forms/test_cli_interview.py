"""`fieldkit interview fill` end to end on the shipped instruments and a form with a repeat."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldkit.cli import main

FORMS = Path(__file__).resolve().parents[2] / "forms"


def fill(tmp_path: Path, capsys, form: Path, answers: dict, *extra: str) -> tuple[int, dict]:
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(answers), encoding="utf-8")
    code = main(
        ["interview", "fill", str(form), "--answers", str(answers_file), "--dry-run", "--json"]
        + list(extra)
    )
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_consent_profile_finalizes(tmp_path, capsys) -> None:
    answers = {"consent": "yes", "sector": "residents", "role": "parent", "years_in_area": "12",
               "organisation": "Tenants' association"}  # fmt: skip
    code, result = fill(tmp_path, capsys, FORMS / "consent_profile.md", answers, "--finalize")
    assert code == 0
    assert result["status"] == "finalized"
    assert result["errors"] == []
    values = result["values"]
    assert values["years_in_area"] == 12
    assert "organisation" not in values  # irrelevant for residents: removed on finalize
    assert values["respondent_code"].startswith("R-") and len(values["respondent_code"]) == 10
    assert "organisation" not in result["relevant"] and "role" in result["relevant"]


def test_consent_refused_asks_nothing_else(tmp_path, capsys) -> None:
    code, result = fill(tmp_path, capsys, FORMS / "consent_profile.md", {"consent": "no"},
                        "--finalize")  # fmt: skip
    assert code == 0
    assert set(result["values"]) <= {"consent", "respondent_code"}
    assert "sector" not in result["relevant"]


def test_cannot_finalize_lists_problems_and_exits_1(tmp_path, capsys) -> None:
    answers = {"consent": "yes", "years_in_area": "lots", "nonsense": 1}
    code, result = fill(tmp_path, capsys, FORMS / "consent_profile.md", answers, "--finalize")
    assert code == 1
    assert result["status"] == "draft"
    errors = {e["name"]: e["message"] for e in result["errors"]}
    assert errors["years_in_area"] == "'lots' is not a whole number"
    assert errors["nonsense"] == "no such question"


def test_draft_without_finalize_reports_validation(tmp_path, capsys) -> None:
    code, result = fill(tmp_path, capsys, FORMS / "consent_profile.md",
                        {"consent": "yes", "years_in_area": 500})  # fmt: skip
    assert code == 0
    errors = {e["name"]: e["message"] for e in result["errors"]}
    assert errors["years_in_area"] == "Enter a number of years from 0 to 100."
    assert errors["sector"] == "Sorry, this response is required!"


def test_relationship_map_defaults_and_select_multiple(tmp_path, capsys) -> None:
    answers = {"goals": "economy other", "goal_other": "Transport"}
    code, result = fill(tmp_path, capsys, FORMS / "relationship_map.md", answers, "--finalize")
    assert code == 0, result
    assert result["values"]["link_types"] == [
        "information", "money", "support", "services", "influence"
    ]  # fmt: skip
    assert result["values"]["goals"] == ["economy", "other"]
    assert result["values"]["goal_other"] == "Transport"


REPEAT_FORM = """\
| survey | type | name | label | required | calculation | relevant |
|---|---|---|---|---|---|---|
|  | integer | n | How many? |  |  |  |
|  | begin repeat | person | Person |  |  |  |
|  | text | pname | Name | yes |  |  |
|  | integer | page | Age |  |  |  |
|  | text | school | School |  |  | ${page} < 18 |
|  | end repeat |  |  |  |  |  |
|  | calculate | total |  |  | sum(${page}) |  |

| settings | form_id |
|---|---|
|  | people |
"""


def test_repeats_as_lists_of_objects(tmp_path, capsys) -> None:
    form = tmp_path / "people.md"
    form.write_text(REPEAT_FORM, encoding="utf-8")
    answers = {"n": 2, "person": [{"pname": "A", "page": 40, "school": "x"},
                                  {"pname": "B", "page": 9, "school": "St Mary's"}]}  # fmt: skip
    code, result = fill(tmp_path, capsys, form, answers, "--finalize")
    assert code == 0, result
    assert result["values"]["total"] == "49"
    assert result["values"]["person"] == [
        {"pname": "A", "page": 40},
        {"pname": "B", "page": 9, "school": "St Mary's"},
    ]
    assert "person[1]/school" in result["relevant"]


def test_bad_answers_file_is_refused_cleanly(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code = main(["interview", "fill", str(FORMS / "consent_profile.md"), "--answers", str(bad),
                 "--dry-run"])  # fmt: skip
    assert code == 1
    assert "not valid JSON" in capsys.readouterr().err


@pytest.mark.parametrize("answers", [{"consent": "yes"}])
def test_human_output(tmp_path, capsys, answers) -> None:
    answers_file = tmp_path / "a.json"
    answers_file.write_text(json.dumps(answers), encoding="utf-8")
    code = main(["interview", "fill", str(FORMS / "consent_profile.md"), "--answers",
                 str(answers_file), "--dry-run"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("consent_profile: draft,")
    assert "sector: Sorry, this response is required!" in out


def test_saved_to_the_project_with_consent_first(tmp_path, capsys) -> None:
    from fieldkit.cli._context import Context

    assert main(["project", "create", "Test project"]) == 0
    capsys.readouterr()
    consent = {"consent": "yes", "sector": "social", "role": "volunteer", "years_in_area": 3}
    code, result, _ = fill_saved(tmp_path, capsys, FORMS / "consent_profile.md", consent)
    assert code == 0, result
    project = Context().open_project()
    row = project.interviews.get(result["id"])
    assert row.status == "finalized" and row.respondent_sector == "social"
    stored = project.interviews.answers(result["id"])
    assert stored["years_in_area"] == 3 and stored["respondent_code"] == row.respondent_code
    dna = {"pub_1": "4", "pub_2": "dk"}
    code, _, err = fill_saved(tmp_path, capsys, FORMS / "community_dna.md", dna)
    assert code == 1
    assert "consent first" in err and "Traceback" not in err
    code, result, _ = fill_saved(tmp_path, capsys, FORMS / "community_dna.md", dna,
                              "--consent", result["id"])  # fmt: skip
    assert code == 0
    draft = project.interviews.get(result["id"])
    assert draft.status == "draft"
    assert project.interviews.answers(result["id"])["pub_2"] == "dk"


def fill_saved(tmp_path: Path, capsys, form: Path, answers: dict, *extra: str):
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps(answers), encoding="utf-8")
    argv = ["interview", "fill", str(form), "--answers", str(answers_file), "--json"]
    code = main(argv + list(extra) + (["--finalize"] if form.name == "consent_profile.md" else []))
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else {}, captured.err
