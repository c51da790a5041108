"""The layering in DESIGN.md, checked: Qt only in fieldkit.gui; shipped data found as a package."""

import subprocess
import sys
from pathlib import Path

from fieldkit import paths

ROOT = Path(__file__).resolve().parent.parent


def test_import_contract_holds():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Qt stays inside fieldkit.gui KEPT" in result.stdout


def test_core_modules_never_import_qt_textually():
    offenders = []
    for path in (ROOT / "fieldkit").rglob("*.py"):
        if "gui" in path.relative_to(ROOT / "fieldkit").parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "PySide6" in text or "shiboken6" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_shipped_data_found_through_importlib():
    assert paths.resource("palette.json").is_file()
    assert paths.resource("style.qss").is_file()
    assert all(name for name in paths.instrument_names())


def test_every_package_is_installed():
    """An installed (or frozen) fieldkit must carry every subpackage, not just the editable tree."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "fieldkit").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
