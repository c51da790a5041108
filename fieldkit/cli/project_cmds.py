"""`project`, `site`, `round` and `backup` commands: the skeleton every other command uses."""

from __future__ import annotations

import argparse

from fieldkit.cli._context import Context
from fieldkit.store import backups, create_project, list_projects, resolve_project


def register(sub: argparse._SubParsersAction) -> None:
    project = sub.add_parser("project", help="create or list projects").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = project.add_parser("create", help="create a project file in the data dir")
    p.add_argument("name")
    p.set_defaults(func=project_create)
    p = project.add_parser("list", help="list the projects in the data dir")
    p.set_defaults(func=project_list)

    for noun, plural in (("site", "sites"), ("round", "rounds")):
        group = sub.add_parser(noun, help=f"add or list {plural}").add_subparsers(
            dest="action", metavar="ACTION", required=True
        )
        p = group.add_parser("add", help=f"add a {noun}")
        p.add_argument("name")
        p.set_defaults(func=named_add, repo=plural)
        p = group.add_parser("list", help=f"list {plural}")
        p.set_defaults(func=named_list, repo=plural)

    backup = sub.add_parser(
        "backup", help="list or restore the project's rolling backups"
    ).add_subparsers(dest="action", metavar="ACTION", required=True)
    p = backup.add_parser("list", help="list backups, newest first")
    p.set_defaults(func=backup_list)
    p = backup.add_parser("restore", help="restore a backup (the current state is backed up first)")
    p.add_argument("name", help="a backup name from `fieldkit backup list`")
    p.set_defaults(func=backup_restore)


def project_create(args: argparse.Namespace, ctx: Context) -> int:
    with create_project(ctx.data_dir, args.name) as project:
        ctx.print(f"created project '{project.name}' at {project.path}")
    return 0


def project_list(args: argparse.Namespace, ctx: Context) -> int:
    projects = list_projects(ctx.data_dir)
    if not projects:
        ctx.print(f"no projects in {ctx.data_dir}")
    for info in projects:
        ctx.print(f"{info.name}\t{info.path}")
    return 0


def named_add(args: argparse.Namespace, ctx: Context) -> int:
    project = ctx.open_project()
    row = getattr(project, args.repo).add(args.name)
    ctx.print(f"added {args.repo[:-1]} '{row['name']}'")
    return 0


def named_list(args: argparse.Namespace, ctx: Context) -> int:
    for row in getattr(ctx.open_project(), args.repo).list():
        ctx.print(row["name"])
    return 0


def backup_list(args: argparse.Namespace, ctx: Context) -> int:
    info = resolve_project(ctx.data_dir, ctx.project_name)
    found = backups.list_backups(info.path)
    if not found:
        ctx.print("no backups yet")
    for b in found:
        ctx.print(f"{b.name}\t{b.taken:%Y-%m-%d %H:%M:%S}Z\t{b.reason}\t{b.size} bytes")
    return 0


def backup_restore(args: argparse.Namespace, ctx: Context) -> int:
    info = resolve_project(ctx.data_dir, ctx.project_name)
    chosen = backups.find(info.path, args.name)
    safety = backups.restore(info.path, chosen)
    ctx.print(
        f"restored {chosen.name} into {info.path}; the previous state is kept as {safety.name}"
    )
    return 0
