"""Team data and protection: `bundle`, `conflicts`, `keys`, `respondent` and `retention` commands.

Parsing and printing only; the work is in fieldkit.store (bundles, merge, crypto, erase,
retention). Passphrases never go on the command line (they would sit in the shell history):
they come from a prompt, or from an environment variable named with --passphrase-env.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from fieldkit.cli._context import Context
from fieldkit.errors import FieldkitError, Problem

PASSPHRASE_ENV = "FIELDKIT_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:
    bundle = sub.add_parser(
        "bundle", help="exchange data between laptops and the coordinator"
    ).add_subparsers(dest="action", metavar="ACTION", required=True)
    p = bundle.add_parser("export", help="write a bundle of this laptop's records")
    p.add_argument("out", type=Path, help="the bundle file to write (.fkb)")
    p.add_argument("--since", metavar="LAST", help="'last', a date/time or a previous bundle")
    p.add_argument("--site", metavar="S", help="only this site's records")
    p.set_defaults(func=bundle_export)
    p = bundle.add_parser("import", help="verify and merge bundles (or a project kit)")
    p.add_argument("files", nargs="+", type=Path)
    _key_options(p)
    p.set_defaults(func=bundle_import)
    p = bundle.add_parser("kit", help="write a project kit that sets up a fieldworker's laptop")
    p.add_argument("out", type=Path)
    p.set_defaults(func=bundle_kit)
    p = bundle.add_parser("join", help="create this laptop's project from a coordinator's kit")
    p.add_argument("kit", type=Path)
    p.add_argument("--name", help="a local name for the project (default: the kit's)")
    p.set_defaults(func=bundle_join)
    p = bundle.add_parser("info", help="what a bundle says about itself (checked, not imported)")
    p.add_argument("file", type=Path)
    p.set_defaults(func=bundle_info)

    conflicts = sub.add_parser(
        "conflicts", help="records edited on two laptops: list and resolve"
    ).add_subparsers(dest="action", metavar="ACTION", required=True)
    p = conflicts.add_parser("list", help="open conflicts")
    p.add_argument("--all", action="store_true", help="resolved ones too")
    p.set_defaults(func=conflicts_list)
    p = conflicts.add_parser("show", help="what differs, answer by answer")
    p.add_argument("id")
    p.set_defaults(func=conflicts_show)
    p = conflicts.add_parser("resolve", help="keep one version")
    p.add_argument("id")
    p.add_argument("--keep", choices=("local", "incoming"), required=True)
    p.set_defaults(func=conflicts_resolve)
    p = conflicts.add_parser("merge", help="take each answer from local or incoming")
    p.add_argument("id")
    p.add_argument("choices", nargs="+", metavar="KEY=local|incoming")
    p.set_defaults(func=conflicts_merge)

    keys = sub.add_parser(
        "keys", help="encryption keys (coordinator: create; laptops: install the public key)"
    ).add_subparsers(dest="action", metavar="ACTION", required=True)
    p = keys.add_parser("create", help="make the coordinator's key pair for this project")
    p.add_argument(
        "--private-key", type=Path, help="where to keep the private key (default: DATA/keys/)"
    )
    p.add_argument("--passphrase-env", metavar="VAR", help="read the passphrase from $VAR")
    p.set_defaults(func=keys_create)
    p = keys.add_parser("show", help="this project's public key fingerprint")
    p.set_defaults(func=keys_show)
    p = keys.add_parser("export-public", help="write the public key to a file")
    p.add_argument("out", type=Path)
    p.set_defaults(func=keys_export_public)
    p = keys.add_parser(
        "install", help="laptop: encrypt finalized interviews and bundles to this public key"
    )
    p.add_argument("public_key", type=Path)
    p.set_defaults(func=keys_install)

    respondent = sub.add_parser(
        "respondent", help="personal data of one respondent"
    ).add_subparsers(dest="action", metavar="ACTION", required=True)
    p = respondent.add_parser("erase", help="delete everything recorded about a respondent code")
    p.add_argument("code")
    p.add_argument(
        "--purge-backups",
        action="store_true",
        help="also overwrite and delete the backups that still hold erased data",
    )
    p.set_defaults(func=respondent_erase)
    p = respondent.add_parser(
        "purge-backups", help="overwrite and delete backups that still hold erased respondents"
    )
    p.set_defaults(func=respondent_purge_backups)

    retention = sub.add_parser("retention", help="how long personal data is kept").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = retention.add_parser("set", help="set the retention period (days, or 'off')")
    p.add_argument("days")
    p.set_defaults(func=retention_set)
    p = retention.add_parser("check", help="list records past the retention period")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=retention_check)


def _key_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--key", type=Path, help="the coordinator's private key (encrypted bundles)")
    p.add_argument("--passphrase-env", metavar="VAR", help="read the passphrase from $VAR")


def _passphrase(args: argparse.Namespace, prompt: str, confirm: bool = False) -> str:
    name = getattr(args, "passphrase_env", None) or PASSPHRASE_ENV
    if os.environ.get(name):
        return os.environ[name]
    if getattr(args, "passphrase_env", None):
        raise FieldkitError(f"the environment variable {name} is empty or not set")
    if not sys.stdin or not sys.stdin.isatty():
        raise FieldkitError(f"a passphrase is needed: set {PASSPHRASE_ENV} or use --passphrase-env")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Again: ") != first:
        raise FieldkitError("the two passphrases differ")
    return first


def default_key_path(ctx: Context, project) -> Path:
    return ctx.data_dir / "keys" / f"{project.slug}-private.pem"


# -- bundle -----------------------------------------------------------------------------------
def bundle_export(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store.bundles import export_bundle

    report = export_bundle(ctx.open_project(), args.out, since=args.since, site=args.site)
    parts = ", ".join(f"{n} {k}" for k, n in report.counts.items() if n)
    lock = " (encrypted for the coordinator)" if report.encrypted else ""
    ctx.print(f"wrote {report.path}{lock}: {parts or 'nothing new'}")
    return 0


def bundle_import(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store import crypto
    from fieldkit.store.bundles import import_bundles

    project = ctx.open_project()
    key = None
    key_path = args.key or default_key_path(ctx, project)
    encrypted = any(_starts_encrypted(f) for f in args.files)
    if args.key or (encrypted and key_path.is_file()):
        key = crypto.PrivateKey.from_file(key_path, _passphrase(args, "Private key passphrase: "))
    failed = 0
    for result in import_bundles(project, list(args.files), key):
        if isinstance(result, FieldkitError):
            failed += 1
            for line in result.lines():
                print(f"error: {line}", file=sys.stderr)
            continue
        who = result.fieldworker or "?"
        note = " (imported before)" if result.already_imported else ""
        ctx.print(f"{result.path.name} [{result.kind}, {who}]: {result.summary()}{note}")
    from fieldkit.store.merge import Conflicts

    open_conflicts = Conflicts(project).count()
    if open_conflicts:
        ctx.print(f"{open_conflicts} open conflict(s): see `fieldkit conflicts list`")
    return 1 if failed else 0


def _starts_encrypted(path: Path) -> bool:
    from fieldkit.store import crypto

    try:
        with path.open("rb") as fh:
            return crypto.is_envelope(fh.read(len(crypto.MAGIC)))
    except OSError:
        return False  # reported by the import itself


def bundle_kit(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store.bundles import export_kit

    report = export_kit(ctx.open_project(), args.out)
    ctx.print(
        f"wrote project kit {report.path}: {report.counts['forms']} forms, "
        f"{report.counts['sites']} sites, {report.counts['rounds']} rounds"
    )
    return 0


def bundle_join(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store.bundles import join_kit

    with join_kit(ctx.data_dir, args.kit, args.name) as project:
        lock = (
            "; finalized interviews will be encrypted for the coordinator"
            if project.settings.get("public_key")
            else ""
        )
        ctx.print(f"joined project '{project.name}' ({project.id}) at {project.path}{lock}")
    return 0


def bundle_info(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store.bundles import describe

    ctx.print_json(describe(args.file))
    return 0


# -- conflicts ------------------------------------------------------------------------------------
def conflicts_list(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store.merge import Conflicts

    rows = Conflicts(ctx.open_project()).list(include_resolved=args.all)
    if not rows:
        ctx.print("no conflicts")
    for r in rows:
        state = r["resolution"] or "open"
        ctx.print(
            f"{r['id']}\t{r['kind']}\t{r['record_id']}\tfrom {r['source_fieldworker']}\t{state}"
        )
    return 0


def conflicts_show(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store.merge import Conflicts

    for d in Conflicts(ctx.open_project()).differences(args.id):
        ctx.print(f"{d.key}\tlocal: {d.local!r}\tincoming: {d.incoming!r}")
    return 0


def conflicts_resolve(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store.merge import Conflicts

    Conflicts(ctx.open_project()).resolve(args.id, args.keep)
    ctx.print(f"resolved: kept the {args.keep} version")
    return 0


def conflicts_merge(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store.merge import Conflicts

    choices = {}
    for item in args.choices:
        key, sep, side = item.partition("=")
        if not sep or not key:
            raise FieldkitError(f"write each choice as KEY=local or KEY=incoming, not '{item}'")
        choices[key] = side
    Conflicts(ctx.open_project()).merge_answers(args.id, choices)
    ctx.print(f"merged {len(choices)} answer(s)")
    return 0


# -- keys -------------------------------------------------------------------------------------------
def keys_create(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store import crypto
    from fieldkit.store.bundle_format import write_atomically

    project = ctx.open_project()
    if project.settings.get("public_key"):
        raise FieldkitError(
            f"this project already has a key ({crypto.key_id(project.settings['public_key'])}); "
            "a second one would lock out bundles made for the first"
        )
    path = args.private_key or default_key_path(ctx, project)
    if path.exists():
        raise FieldkitError(Problem("a file is already there; not overwritten", file=str(path)))
    pair = crypto.generate_keypair(_passphrase(args, "New passphrase: ", confirm=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, pair.private_pem)
    os.chmod(path, 0o600)
    project.update_settings(public_key=pair.public_pem.decode("ascii"), encrypt_at_rest=False)
    ctx.print(f"created key {pair.key_id}; the private key is in {path}")
    ctx.print("keep it (and its passphrase) safe: without them encrypted bundles cannot be read")
    return 0


def keys_show(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store import crypto

    settings = ctx.open_project().settings
    if not settings.get("public_key"):
        ctx.print("no key: bundles and interviews are not encrypted")
        return 0
    where = "encrypted at rest" if settings.get("encrypt_at_rest") else "not encrypted at rest"
    ctx.print(f"key {crypto.key_id(settings['public_key'])}; finalized interviews {where}")
    return 0


def keys_export_public(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store.bundle_format import write_atomically

    public = ctx.open_project().settings.get("public_key")
    if not public:
        raise FieldkitError("this project has no key: create one with `fieldkit keys create`")
    write_atomically(args.out, public.encode("ascii"))
    ctx.print(f"wrote {args.out}")
    return 0


def keys_install(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store import crypto, sealing

    project = ctx.open_project()
    public = crypto.load_public_key_file(args.public_key)
    project.update_settings(public_key=public, encrypt_at_rest=True)
    sealed = sealing.seal_all_finalized(project)
    ctx.print(f"installed key {crypto.key_id(public)}; {sealed} finalized interview(s) encrypted")
    return 0


# -- personal data ------------------------------------------------------------------------------------
def respondent_erase(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store.erase import erase_respondent

    r = erase_respondent(ctx.open_project(), args.code, purge_backups=args.purge_backups)
    ctx.print(
        f"erased {r.interviews} interview(s), {r.answers} answer(s), {r.attachments} file(s) "
        f"and {r.maps} map(s); the audit log records the erasure ({r.erasure_id}), not the data"
    )
    if r.backups_purged:
        ctx.print(
            f"deleted {r.backups_purged} older backup(s) that held erased data (overwritten "
            "first) and took a fresh backup without it"
        )
    elif r.backups_holding_data:
        ctx.print(
            f"warning: {r.backups_holding_data} older backup(s) of this project still hold erased "
            "data; delete them with `fieldkit respondent purge-backups`"
        )
    else:
        ctx.print("no backup of this project holds the erased data")
    ctx.print(
        "not reached from here: bundles and exports already written, and other laptops until "
        "they import a bundle from this project (the erasure travels in it)"
    )
    return 0


def respondent_purge_backups(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store.erase import purge_erased_backups

    purged = purge_erased_backups(ctx.open_project())
    if purged:
        ctx.print(
            f"deleted {purged} backup(s) that held erased data (overwritten first) and took a "
            "fresh backup without it"
        )
    else:
        ctx.print("no backup holds erased data")
    return 0


def retention_set(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.store import retention

    if args.days.lower() in ("off", "none"):
        days = None
    else:
        try:
            days = int(args.days)
        except ValueError as exc:
            raise FieldkitError(
                f"retention is a number of days or 'off', not '{args.days}'"
            ) from exc
    retention.set_days(ctx.open_project(), days)
    ctx.print(f"retention: {days} days" if days else "retention: off")
    return 0


def retention_check(args: argparse.Namespace, ctx: Context) -> int:
    from dataclasses import asdict

    from fieldkit.store import retention

    project = ctx.open_project()
    found = retention.check(project)
    if args.json:
        ctx.print_json([asdict(r) for r in found])
        return 0
    days = retention.get_days(project)
    if not found:
        ctx.print(f"nothing older than {days} days")
    for r in found:
        ctx.print(
            f"{r.kind}\t{r.id}\t{r.respondent_code or '-'}\t{r.site or '-'}\t{r.age_days} days"
        )
    return 0
