"""The dialog's jobs, headless: refusals in words, and the very files the CLI writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldkit.cli import main
from fieldkit.errors import FieldkitError
from fieldkit.forms.model import Form
from fieldkit.gui.exports.jobs import (
    CSV,
    GRAPH,
    PDF,
    XLSX,
    ExportRequest,
    check_request,
    project_languages,
    run_export,
    shared_languages,
)
from fieldkit.packs.progress import ExportCancelled
from tests.gui import exports_helpers as helpers

# The shared fixtures (pytest finds them as attributes of this module).
demo = helpers.demo
out = helpers.out


def no_progress(done: int, total: int) -> None:
    pass


def never() -> bool:
    return False


def refusal(project, request) -> list[str]:
    with pytest.raises(FieldkitError) as caught:
        check_request(project, request)
    return caught.value.lines()


def test_every_problem_of_a_request_is_listed(demo, out):
    lines = refusal(
        demo, ExportRequest(PDF, out / "x.xlsx", include_personal_data=True, compare=("a",))
    )
    assert lines == [
        "the PDF pack for partners is for one site: choose a site, not 'All sites'",
        "the PDF pack for partners is for one round: choose a round, not 'All rounds'",
        "the PDF pack for partners never contains personal data",
        f"{out / 'x.xlsx'}: the file name must end in .pdf",
    ]
    assert refusal(demo, ExportRequest(XLSX, out / "missing" / "x.xlsx")) == [
        f"{out / 'missing'}: the folder does not exist"
    ]
    assert refusal(demo, ExportRequest(CSV, out / "a" / "b")) == [
        f"{out / 'a'}: the folder above it does not exist"
    ]
    for nowhere in (None, Path("")):
        assert refusal(demo, ExportRequest(XLSX, nowhere)) == ["choose where to save the export"]
    assert refusal(None, ExportRequest(XLSX, out / "x.xlsx")) == ["open a project first"]
    site = demo.sites.find("Broughton")["id"]
    round_ = demo.rounds.find("Baseline")["id"]
    assert refusal(demo, ExportRequest(GRAPH, out / "x.csv", site, round_)) == [
        f"{out / 'x.csv'}: the file name must end in .graphml or .gexf or .xlsx"
    ]


def test_languages_offered_are_those_every_form_has(demo):
    assert project_languages(demo) == ["English (en)", "Urdu (ur)"]
    a = Form(form_id="a", title="A", languages=["English (en)", "Urdu (ur)"])
    b = Form(form_id="b", title="B", languages=["Urdu (ur)", "Polski (pl)"])
    plain = Form(form_id="c", title="C")
    assert shared_languages([a, b, plain]) == ["Urdu (ur)"]
    assert shared_languages([plain]) == []


def test_csv_through_the_job_is_byte_identical_to_the_cli(demo, out, data_dir):
    site = demo.sites.find("Broughton")["id"]
    round_ = demo.rounds.find("Baseline")["id"]
    request = ExportRequest(CSV, out / "gui", site, round_, labels=False, language="ur")
    outcome = run_export(demo, request, no_progress, never)
    code = main(
        [
            "--data-dir",
            str(data_dir),
            "--project",
            "demo-project",
            "export",
            "csv",
            str(out / "cli"),
            "--site",
            "Broughton",
            "--round",
            "Baseline",
            "--values",
            "--language",
            "ur",
        ]
    )
    assert code == 0
    gui = {p.name: p.read_bytes() for p in (out / "gui").iterdir()}
    cli = {p.name: p.read_bytes() for p in (out / "cli").iterdir()}
    assert gui == cli and gui
    assert sorted(p.name for p in outcome.paths) == sorted(gui)
    assert outcome.folder == (out / "gui").resolve()


def test_a_cancelled_csv_export_removes_the_folder_it_made(demo, out):
    def cancel_on_first_progress():
        return bool(calls)

    calls: list = []

    def progress(done, total):
        calls.append((done, total))

    with pytest.raises(ExportCancelled):
        run_export(demo, ExportRequest(CSV, out / "new"), progress, cancel_on_first_progress)
    assert list(out.iterdir()) == []


def test_a_graph_for_a_place_with_no_maps_is_refused(demo, out):
    site = demo.sites.add("Strangeways")["id"]
    round_ = demo.rounds.find("Baseline")["id"]
    with pytest.raises(FieldkitError, match="no relationship maps for Strangeways, Baseline"):
        run_export(demo, ExportRequest(GRAPH, out / "g.graphml", site, round_), no_progress, never)
    assert list(out.iterdir()) == []


def test_a_kumu_graph_is_written_by_suffix(demo, out):
    site = demo.sites.find("Cheetham Hill")["id"]
    round_ = demo.rounds.find("Baseline")["id"]
    outcome = run_export(
        demo, ExportRequest(GRAPH, out / "kumu.xlsx", site, round_), no_progress, never
    )
    assert outcome.paths == [out / "kumu.xlsx"]
    assert (out / "kumu.xlsx").read_bytes()[:2] == b"PK"
    assert "actors" in outcome.lines[0] and "Cheetham Hill, Baseline" in outcome.lines[0]
