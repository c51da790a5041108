"""The instruments shipped in forms/: which files are forms, and loading one by id.

The framework file lives beside the forms but is data, not an XLSForm, so it is told apart by
its sheets. Files are reached with importlib.resources.as_file, so a zipped or frozen install
works as a checkout does.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from fieldkit import paths
from fieldkit.errors import FieldkitError, Problem
from fieldkit.forms.load import load_form
from fieldkit.forms.model import Form
from fieldkit.forms.xlsform_read import has_survey_sheet

FORM_SUFFIXES = (".md", ".xlsx", ".xls")


@cache
def shipped_form_names() -> tuple[str, ...]:
    """The shipped instruments that are XLSForms (the framework file is data, not a form)."""
    names = []
    for name in paths.instrument_names():
        if name.endswith(FORM_SUFFIXES):
            with resources.as_file(paths.instrument(name)) as path:
                if has_survey_sheet(path):
                    names.append(name)
    return tuple(names)


def shipped_source(name: str) -> tuple[Form, bytes]:
    """A shipped form file loaded, with its bytes (what the store keeps)."""
    with resources.as_file(paths.instrument(name)) as path:
        return load_form(path), Path(path).read_bytes()


def load_shipped_form(form_id: str) -> Form:
    """A shipped form by file stem or by form_id; refused with the list of shipped forms."""
    names = shipped_form_names()
    stems = {Path(n).stem: n for n in names}
    for name in [stems[form_id]] if form_id in stems else names:
        form, _ = shipped_source(name)
        if form.form_id == form_id or Path(name).stem == form_id:
            return form
    shipped = ", ".join(sorted(stems)) or "none"
    raise FieldkitError(Problem(f"no shipped form '{form_id}' (shipped: {shipped})"))
