"""`fieldkit forms ...`: check, import and list XLSForms; write any form out as an .xlsx template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldkit.errors import FieldkitError, Problem
from fieldkit.forms.check import check_form
from fieldkit.forms.load import load_form
from fieldkit.forms.shipped import load_shipped_form
from fieldkit.forms.write import write_xlsform
from fieldkit.forms.xlsform_read import has_survey_sheet


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

    imp = sub.add_parser(
        "import", help="keep an XLSForm in the project (a changed file: a new version)"
    )
    imp.add_argument("file", metavar="FILE", type=Path)
    imp.set_defaults(func=cmd_import)

    listing = sub.add_parser("list", help="the project's forms, every version")
    listing.set_defaults(func=cmd_list)

    template = sub.add_parser(
        "template", help="write a shipped or imported form as an .xlsx XLSForm"
    )
    template.add_argument("form_id", metavar="ID", help="a form_id, e.g. consent_profile")
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


def cmd_template(args: argparse.Namespace, ctx) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise FieldkitError(Problem("the template must be an .xlsx file", file=str(out)))
    form = _project_form(ctx, args.form_id) or load_shipped_form(args.form_id)
    write_xlsform(form, out)
    ctx.print(f"wrote {form.form_id} to {out}")
    return 0


def _project_form(ctx, form_id: str):
    """The latest imported version of form_id in the default project, if there is one."""
    from fieldkit.store import list_projects

    if not list_projects(ctx.data_dir):
        return None
    project = ctx.open_project()
    if not any(r["form_id"] == form_id for r in project.forms.list()):
        return None
    return project.forms.load(project.forms.latest(form_id)["id"])


def cmd_import(args: argparse.Namespace, ctx) -> int:
    from fieldkit.fieldwork import import_form

    record, created = import_form(ctx.open_project(), args.file)
    version = f" version {record['version']}" if record["version"] else ""
    if created:
        ctx.print(
            f"imported {record['form_id']}{version} ({record['title']}) from {args.file.name}"
        )
    else:
        ctx.print(
            f"{args.file.name} is already imported as {record['form_id']}{version}: nothing changed"
        )
    return 0


def cmd_list(args: argparse.Namespace, ctx) -> int:
    from fieldkit.fieldwork import ensure_shipped_forms

    project = ctx.open_project()
    ensure_shipped_forms(project)
    for r in project.forms.list():
        ctx.print(
            f"{r['form_id']:<24} {r['version'] or '-':<12} {r['imported'][:16].replace('T', ' ')}  "
            f"{r['source_name']:<28} {r['title']}"
        )
    return 0
