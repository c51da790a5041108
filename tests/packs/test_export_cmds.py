"""`fieldkit export xlsx|pdf|csv` on the demo project, and the shared `export` parser."""

from __future__ import annotations

import argparse
import shutil

import openpyxl
import pypdf
import pytest

from fieldkit.cli import main
from fieldkit.cli.export_cmds import export_subparsers, register


@pytest.fixture
def demo_dir(demo, tmp_path):
    """A copy of the demo's data dir, so a command opening it cannot change the shared one."""
    target = tmp_path / "data"
    shutil.copytree(demo.data_dir, target)
    return target


def run(capsys, data_dir, *argv):
    code = main(["--data-dir", str(data_dir), "--project", "Demo project", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_xlsx(capsys, demo_dir, tmp_path):
    out = tmp_path / "pack.xlsx"
    code, stdout, _ = run(capsys, demo_dir, "export", "xlsx", str(out), "--site", "Broughton")
    assert code == 0 and "wrote" in stdout
    wb = openpyxl.load_workbook(out)
    assert {"About", "Indicators", "community_dna", "consent_profile", "Actors"} <= set(
        wb.sheetnames
    )
    sites = {row[1] for row in wb["community_dna"].iter_rows(min_row=2, values_only=True)}
    assert sites == {"Broughton"}


def test_export_pdf_and_its_refusals(capsys, demo_dir, tmp_path):
    out = tmp_path / "r.pdf"
    code, _, _ = run(
        capsys,
        demo_dir,
        "export",
        "pdf",
        str(out),
        "--site",
        "Broughton",
        "--round",
        "Baseline",
        "--compare",
        "Cheetham Hill",
    )
    assert code == 0
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    assert "Compared with Cheetham Hill" in text
    code, _, err = run(
        capsys,
        demo_dir,
        "export",
        "pdf",
        str(tmp_path / "x.pdf"),
        "--site",
        "Atlantis",
        "--round",
        "Baseline",
    )
    assert code == 1 and "no site 'Atlantis'" in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_export_csv(capsys, demo_dir, tmp_path):
    code, stdout, _ = run(capsys, demo_dir, "export", "csv", str(tmp_path / "csv"), "--values")
    assert code == 0
    assert (tmp_path / "csv" / "community_dna.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_parser_is_shared_whichever_registers_first():
    for graph_first in (True, False):
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers(dest="command")
        if graph_first:
            export_subparsers(sub).add_parser("graph")
            register(sub)
        else:
            register(sub)
            export_subparsers(sub).add_parser("graph")
        assert export_subparsers(sub) is export_subparsers(sub)
        assert {"xlsx", "pdf", "csv", "graph"} <= set(export_subparsers(sub).choices)
        assert parser.parse_args(["export", "graph"]).export_format == "graph"


def test_pdf_compares_one_other_site_at_most(capsys, demo_dir, tmp_path):
    base = ["export", "pdf"]
    place = ["--site", "Broughton", "--round", "Baseline"]
    same_twice = tmp_path / "two.pdf"
    compare = ["--compare", "Cheetham Hill", "--compare", "Broughton"]
    code, _, err = run(capsys, demo_dir, *base, str(same_twice), *place, *compare)
    assert code == 0, err  # the site itself, or a site named twice, is still one comparison
    assert run(capsys, demo_dir, "site", "add", "Salford Central")[0] == 0
    three = tmp_path / "three.pdf"
    compare = ["--compare", "Cheetham Hill", "--compare", "Salford Central"]
    code, _, err = run(capsys, demo_dir, *base, str(three), *place, *compare)
    assert code == 1 and "at most 1 other" in err
    assert not three.exists()
