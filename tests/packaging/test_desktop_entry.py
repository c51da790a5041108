"""The Linux desktop entry and icon: valid, naming the program the build makes, and installed
by packaging/install-desktop-entry.sh with the built app's absolute path.

Run by `make package` with the smoke test (`pytest -m package tests/packaging`).
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.packaging.test_frozen_app import DIST, ROOT, built

pytestmark = pytest.mark.package

RESOURCES = ROOT / "resources"


def entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_desktop_entry_names_the_gui_program_and_the_icon():
    section = entry(RESOURCES / "fieldkit.desktop")
    assert section["Type"] == "Application"
    assert section["Name"] == "fieldkit"
    assert section["Terminal"] == "false"
    assert section["Categories"].endswith(";")
    gui_scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["gui-scripts"]
    assert section["Exec"] in gui_scripts  # the command pip installs
    built(section["Exec"])  # fails unless the build makes that program too
    assert section["Icon"] == "fieldkit"
    validate = shutil.which("desktop-file-validate")
    if validate:
        result = subprocess.run([validate, str(RESOURCES / "fieldkit.desktop")], text=True)
        assert result.returncode == 0


def test_icon_is_a_256px_png_rendered_from_the_svg():
    png = (RESOURCES / "fieldkit.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (256, 256)
    svg = (RESOURCES / "fieldkit.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "viewBox" in svg


def test_install_script_points_the_entry_at_the_built_app(tmp_path):
    built("fieldkit")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "share")}
    result = subprocess.run(
        ["sh", str(ROOT / "packaging" / "install-desktop-entry.sh"), str(DIST)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    installed = entry(tmp_path / "share" / "applications" / "fieldkit.desktop")
    assert installed["Exec"] == str(DIST.resolve() / "fieldkit")
    assert installed["TryExec"] == installed["Exec"]
    assert (
        tmp_path / "share" / "icons" / "hicolor" / "256x256" / "apps" / "fieldkit.png"
    ).is_file()
    launcher = tmp_path / ".local" / "bin" / "fieldkit"
    assert launcher.resolve() == (DIST / "fieldkit").resolve()
