"""`fieldkit forms ...`: check an XLSForm, write a shipped form out as an .xlsx template.

`forms import` and `forms list` belong here too but need the project store; they are added
when it exists.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path

from fieldkit import paths
from fieldkit.errors import FieldkitError, Problem
from fieldkit.forms.check import check_form
from fieldkit.forms.load import load_form
from fieldkit.forms.model import Form
from fieldkit.forms.write import write_xlsform
from fieldkit.forms.xlsform_read import has_survey_sheet

FORM_SUFFIXES = (".md", ".xlsx", ".xls")


def register(subparsers: argparse._SubParsersAction) -> None:
    forms = subparsers.add_parser("forms", help="check XLSForms and write form templates")
    sub = forms.add_subparsers(dest="forms_command", metavar="ACTION")

    check = sub.add_parser(
        "check", help="check an XLSForm (.xlsx, .xls or pyxform .md) or an indicator framework"
    )
    check.add_argument("file", metavar="FILE")
    check.add_argument(
        "--form",
        metavar="FORM",
        help="for a framework file: the form file it scores (default: the shipped form it names)",
    )
    check.set_defaults(func=cmd_check)

    template = sub.add_parser("template", help="write a shipped form as an .xlsx XLSForm")
    template.add_argument("form_id", metavar="ID", help="a shipped form, e.g. consent_profile")
    template.add_argument("out", metavar="OUT.xlsx")
    template.set_defaults(func=cmd_template)


def cmd_check(args: argparse.Namespace, ctx) -> int:
    path = Path(args.file)
    if path.is_file() and not has_survey_sheet(path) and _is_framework(path):
        return _check_framework(path, args.form, ctx)
    result = check_form(path)
    ctx.print(result.summary())
    for warning in result.warnings:
        print(f"warning: {' '.join(warning.split())}", file=sys.stderr)
    return 0


def _is_framework(path: Path) -> bool:
    """A framework file is the tables fieldkit.indicators reads, not an XLSForm."""
    from fieldkit.indicators.framework import SHEETS
    from fieldkit.indicators.tables import read_sheets

    try:
        return set(SHEETS) <= {name.lower() for name in read_sheets(path)}
    except Exception:  # not readable as tables: let the XLSForm check say what is wrong
        return False


def _check_framework(path: Path, form_file: str | None, ctx) -> int:
    """Validate a framework file against the form it scores; one summary line, as for forms."""
    from fieldkit.indicators.framework import load_framework, validate_framework

    framework = load_framework(path)
    form = load_form(Path(form_file)) if form_file else load_shipped_form(framework.form_id)
    validate_framework(framework, form)
    version = f" v{framework.version}" if framework.version else ""
    ctx.print(
        f"framework {framework.id}{version} for {form.form_id}: "
        f"{len(framework.indicators)} indicators, {len(framework.items())} items, "
        f"{len(framework.bands)} bands, 0 warnings"
    )
    return 0


def shipped_form_names() -> list[str]:
    """The shipped instruments that are XLSForms (the framework file is data, not a form)."""
    names = []
    for name in paths.instrument_names():
        if name.endswith(FORM_SUFFIXES):
            with resources.as_file(paths.instrument(name)) as path:
                if has_survey_sheet(path):
                    names.append(name)
    return names


def load_shipped_form(form_id: str) -> Form:
    """A shipped form by file stem or by form_id; refused with the list of shipped forms."""
    names = shipped_form_names()
    stems = {Path(n).stem: n for n in names}
    for name in [stems[form_id]] if form_id in stems else names:
        with resources.as_file(paths.instrument(name)) as path:
            form = load_form(path)
        if form.form_id == form_id or Path(name).stem == form_id:
            return form
    shipped = ", ".join(sorted(stems)) or "none"
    raise FieldkitError(Problem(f"no shipped form '{form_id}' (shipped: {shipped})"))


def cmd_template(args: argparse.Namespace, ctx) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise FieldkitError(Problem("the template must be an .xlsx file", file=str(out)))
    form = load_shipped_form(args.form_id)
    write_xlsform(form, out)
    ctx.print(f"wrote {form.form_id} to {out}")
    return 0
