"""Smoke test of the PyInstaller build (dist/fieldkit/): it starts, it finds its data, it works.

Run by `make package` after the build (`pytest -m package tests/packaging`). The built app is
started as a user would start it: a fresh process, offscreen Qt, its own data dir, no source
tree on its path.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fieldkit import __version__

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("FIELDKIT_DIST", ROOT / "dist" / "fieldkit"))
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
TIMEOUT = 120


def built(name: str) -> Path:
    exe = DIST / f"{name}{EXE_SUFFIX}"
    if not exe.is_file():
        pytest.fail(f"no built app at {exe}: run `make package` (or set FIELDKIT_DIST)")
    return exe


def run(args: list[str], data_dir: Path, exe: str = "fieldkit-cli") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env |= {
        "QT_QPA_PLATFORM": "offscreen",
        "FIELDKIT_DATA_DIR": str(data_dir),
        "FIELDKIT_FIELDWORKER": "Smoke Test",
    }
    return subprocess.run(
        [str(built(exe)), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env,
        cwd=data_dir.parent,
    )


@pytest.mark.parametrize("exe", ["fieldkit", "fieldkit-cli"])
def test_version_matches_the_package(exe, tmp_path):
    result = run(["--version"], tmp_path / "data", exe=exe)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"fieldkit {__version__}"


def test_shipped_instruments_are_inside_the_app(tmp_path):
    out = tmp_path / "consent_profile.xlsx"
    result = run(["forms", "template", "consent_profile", str(out)], tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 0
    assert out.read_bytes()[:2] == b"PK"  # an .xlsx is a zip


def test_a_refusal_is_one_line_not_a_traceback(tmp_path):
    result = run(["forms", "check", str(tmp_path / "missing.xlsx")], tmp_path / "data")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error:")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """A data dir with the demo project, made by the built app."""
    data_dir = tmp_path_factory.mktemp("frozen") / "data"
    made = run(["demo"], data_dir)
    assert made.returncode == 0, made.stderr
    return data_dir


def test_headless_summary_of_the_demo_project(demo_dir):
    result = run(["summary", "--json"], demo_dir)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    figures = [
        figure
        for rounds in summary["sites"].values()
        for site_round in rounds.values()
        for figure in site_round["indicators"].values()
    ]
    assert len(summary["sites"]) >= 2
    assert any(isinstance(f.get("score"), int | float) for f in figures)


def test_packs_from_the_built_app(demo_dir):
    """reportlab's and the app's own fonts, openpyxl and the charts all made it into the app."""
    summary = json.loads(run(["summary", "--json"], demo_dir).stdout)
    site = sorted(summary["sites"])[0]
    round_ = summary["rounds"][0]
    pdf, xlsx = demo_dir.parent / "pack.pdf", demo_dir.parent / "pack.xlsx"
    made_pdf = run(["export", "pdf", str(pdf), "--site", site, "--round", round_], demo_dir)
    assert made_pdf.returncode == 0, made_pdf.stderr
    made_xlsx = run(["export", "xlsx", str(xlsx)], demo_dir)
    assert made_xlsx.returncode == 0, made_xlsx.stderr
    assert xlsx.read_bytes()[:2] == b"PK"
    pypdf = pytest.importorskip("pypdf")
    text = " ".join(page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages)
    assert site in text
    # the PDF embeds the shipped DejaVu Sans (found in the frozen app), not a built-in font
    assert b"DejaVuSans" in pdf.read_bytes()


def test_shipped_fonts_are_inside_the_app():
    """The runner's fallback fonts (Arabic script too) and the PDF's font, with licences."""
    fonts = DIST / "_internal" / "fieldkit" / "resources" / "fonts"
    source = sorted(p.name for p in (ROOT / "resources" / "fonts").iterdir())
    assert sorted(p.name for p in fonts.iterdir()) == source
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "NotoNaskhArabic-Regular.ttf"):
        shipped = fonts / name
        assert shipped.read_bytes() == (ROOT / "resources" / "fonts" / name).read_bytes()


def _archived_modules() -> set[str]:
    """The Python modules frozen into the app (the PYZ archive inside its executable)."""
    readers = pytest.importorskip("PyInstaller.archive.readers")
    return set(readers.pkg_archive_contents(str(built("fieldkit-cli")), recursive=True))


def test_layouts_have_numpy_and_scipy_inside_the_app():
    """networkx's spring layout needs numpy, and scipy.sparse from 500 actors on (Kamada-Kawai
    needs scipy.optimize); without them the app would fall back to sector wedges."""
    modules = _archived_modules()
    for name in (
        "networkx.drawing.layout",
        "numpy",
        "numpy.linalg",
        "scipy.sparse",
        "scipy.sparse.linalg",
        "scipy.optimize",
        "fieldkit.mapping.layout",
    ):
        assert name in modules, f"{name} is not frozen into the app"
    internal = DIST / "_internal"
    assert list(internal.glob("numpy/_core/_multiarray_umath*")), "numpy's C core is missing"
    assert list(internal.glob("scipy/sparse/_sparsetools*")), "scipy.sparse's C core is missing"


def test_the_window_opens_on_the_demo_project(demo_dir):
    """The GUI program starts, reads its style sheet and palette, opens the project and keeps
    running (it is stopped after a few seconds): no traceback, nothing in its error log."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env |= {"QT_QPA_PLATFORM": "offscreen", "FIELDKIT_DATA_DIR": str(demo_dir)}
    proc = subprocess.Popen(
        [str(built("fieldkit"))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=demo_dir.parent,
    )
    try:
        exited = proc.wait(timeout=6)
    except subprocess.TimeoutExpired:
        exited = None  # still running: the window is up
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=TIMEOUT)
    assert exited is None, f"the app exited with {exited}: {stderr}"
    assert "Traceback" not in stderr, stderr
    log = demo_dir / "fieldkit.log"
    assert not log.exists() or "unexpected error" not in log.read_text(encoding="utf-8")
