"""`export xlsx`, `export pdf`, `export csv`: the packs, headless.

The `export` command is shared: other areas add their own formats to it (the mapping area adds
`export graph`). `export_subparsers(sub)` creates the `export` parser the first time it is
called and returns the same sub-parsers object every later time, so the modules can register
in either order.
"""

from __future__ import annotations

import argparse

from fieldkit.cli._context import Context


def export_subparsers(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """The `export` command's sub-parsers, created on first use and shared afterwards."""
    parser = sub.choices.get("export")
    if parser is None:
        parser = sub.add_parser("export", help="packs and files for others: xlsx, pdf, csv, graph")
        return parser.add_subparsers(dest="export_format", metavar="FORMAT")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest="export_format", metavar="FORMAT")


def _data_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", help="one site (default: all)")
    p.add_argument("--round", help="one round (default: all)")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument(
        "--labels",
        dest="labels",
        action="store_true",
        default=True,
        help="answers as choice labels (default)",
    )
    shown.add_argument(
        "--values", dest="labels", action="store_false", help="answers as choice values (codes)"
    )
    p.add_argument("--language", help="the form language for labels, e.g. 'en' or 'Urdu'")
    p.add_argument(
        "--include-personal-data",
        action="store_true",
        help="include questions marked sensitive (names, contacts, comments)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    formats = export_subparsers(sub)
    p = formats.add_parser("xlsx", help="the Excel pack for analysts")
    p.add_argument("out", metavar="OUT.xlsx")
    _data_options(p)
    p.set_defaults(func=export_xlsx)

    p = formats.add_parser("pdf", help="the PDF pack for partners (one site and round)")
    p.add_argument("out", metavar="OUT.pdf")
    p.add_argument("--site", required=True)
    p.add_argument("--round", required=True)
    p.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="SITE",
        help="another site to show beside it (one at most: the pack stays within 12 pages)",
    )
    p.set_defaults(func=export_pdf)

    p = formats.add_parser("csv", help="one CSV per form and repeat group (UTF-8 with BOM)")
    p.add_argument("dir", metavar="DIR")
    _data_options(p)
    p.set_defaults(func=export_csv)


def _options(args: argparse.Namespace):
    from fieldkit.packs.formdata import ExportOptions

    return ExportOptions(
        labels=args.labels,
        language=args.language,
        include_personal_data=args.include_personal_data,
    )


def export_xlsx(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.packs.collect import excel_input
    from fieldkit.packs.excel import write_excel_pack

    project = ctx.open_project()
    data = excel_input(project, args.site, args.round, _options(args))
    path = write_excel_pack(args.out, data)
    interviews = sum(f.count for f in data.forms)
    ctx.print(f"wrote {path} ({interviews} interviews, {len(data.forms)} forms)")
    if args.include_personal_data:
        ctx.print("note: this workbook contains personal data")
    return 0


def export_pdf(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.packs.collect import pdf_input
    from fieldkit.packs.pdf import write_pdf_pack

    project = ctx.open_project()
    data = pdf_input(project, args.site, args.round, args.compare)
    path = write_pdf_pack(args.out, data)
    ctx.print(f"wrote {path} ({', '.join(data.sites)}, {data.round})")
    return 0


def export_csv(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.packs.collect import form_exports
    from fieldkit.packs.csv_export import write_csv_tables

    project = ctx.open_project()
    forms, _ = form_exports(project, args.site, args.round, _options(args))
    files = write_csv_tables(args.dir, forms)
    for file in files:
        ctx.print(f"wrote {file}")
    return 0
