"""The version comes from one place, fieldkit.__version__: the CLI, the About dialog and the
package metadata all say the same."""

from __future__ import annotations

import re
from importlib.metadata import version as installed_version

import pytest

import fieldkit
from fieldkit.cli import main


def test_version_is_a_release_number():
    assert re.fullmatch(r"\d+\.\d+\.\d+([ab]|rc)?\d*", fieldkit.__version__)


def test_cli_version_is_the_package_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"fieldkit {fieldkit.__version__}"


def test_about_dialog_names_the_same_version():
    pytest.importorskip("PySide6")
    from fieldkit.gui.dialogs.about import about_text

    text = about_text()
    assert f"fieldkit {fieldkit.__version__}" in text
    assert re.findall(r"\d+\.\d+\.\d+", text) == [fieldkit.__version__]


def test_installed_metadata_reads_the_same_attribute():
    # pyproject: version = { attr = "fieldkit.__version__" }
    assert installed_version("fieldkit") == fieldkit.__version__
