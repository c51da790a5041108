"""The command line: every headless operation, over the same core functions the GUI calls.

`fieldkit [--data-dir DIR] [--project NAME] COMMAND ...`; with no command it opens the GUI.
Each area keeps its commands in its own module here (`register(subparsers)`), and no module
holds logic: it parses, calls the core, prints. Exit codes: 0 success, 1 input refused (one line
per problem on stderr, never a traceback), 2 usage error.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fieldkit import __version__
from fieldkit.cli._context import Context, handle_errors

if TYPE_CHECKING:
    import argparse

# Each module registers its sub-commands; the order is the order --help lists them.
COMMAND_MODULES = (
    "fieldkit.cli.project_cmds",
    "fieldkit.cli.forms_cmds",
    "fieldkit.cli.interview_cmds",
    "fieldkit.cli.map_cmds",
    "fieldkit.cli.summary_cmds",
    "fieldkit.cli.fieldwork_cmds",
    "fieldkit.cli.export_cmds",
    "fieldkit.cli.team_cmds",
)


def _global_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--version", action="version", version=f"fieldkit {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where projects live (default: $FIELDKIT_DATA_DIR or the user data dir)",
    )
    parser.add_argument(
        "--project", metavar="NAME", help="the project to act on (default: the only or last opened)"
    )
    return parser


def build_parser() -> argparse.ArgumentParser:
    import argparse
    import importlib

    parser = _global_options(
        argparse.ArgumentParser(
            prog="fieldkit",
            description="Offline community resilience fieldwork. With no command, opens the app.",
        )
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue  # an area whose commands are not written yet
            raise
        module.register(sub)
    return parser


def _open_app(ctx: Context) -> int:
    from fieldkit.gui.app import run_gui  # only the GUI path imports Qt

    return run_gui(ctx)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(argv) if argv is not None else sys.argv[1:]
    # Opening the app needs only the global options: the command modules (and pyxform,
    # openpyxl, reportlab behind them) are not imported on that path, so the window opens fast.
    if not argv:  # a click on the app's icon: nothing to parse
        return _open_app(Context())
    import argparse

    opening, rest = _global_options(
        argparse.ArgumentParser(prog="fieldkit", add_help=False)
    ).parse_known_args(argv)
    if not rest:
        return _open_app(Context(data_dir_override=opening.data_dir, project_name=opening.project))
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx = Context(data_dir_override=args.data_dir, project_name=args.project)
    if not getattr(args, "func", None):
        parser.parse_args([args.command, "--help"] if args.command else ["--help"])
        return 2
    return handle_errors(lambda: args.func(args, ctx), err=sys.stderr)
