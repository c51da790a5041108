"""`summary`, `framework`, `demo` and `action` commands: the indicators and the action plan."""

from __future__ import annotations

import argparse

from fieldkit.cli._context import Context
from fieldkit.vocab import ACTION_STATUSES, SECTORS


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("summary", help="the community DNA: indicator scores by site and round")
    p.add_argument("--site", help="one site (default: all)")
    p.add_argument("--round", help="one round (default: all)")
    p.add_argument("--by", choices=["sector"], help="also show figures by respondent sector")
    p.add_argument(
        "--framework",
        metavar="FILE",
        help="score with this framework file for this run only (default: the project's, "
        "see `fieldkit framework`)",
    )
    p.add_argument(
        "--ids",
        action="store_true",
        help="with --json: list the interviews and maps behind each figure",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=summary)

    frameworks = sub.add_parser(
        "framework", help="the project's indicator framework: set a coordinator's file, show, reset"
    ).add_subparsers(dest="framework_action", metavar="ACTION", required=True)
    p = frameworks.add_parser(
        "set", help="check a framework file against its form and save it in the project"
    )
    p.add_argument("file", help="the framework file (.md tables or .xlsx, like forms/framework.md)")
    p.set_defaults(func=framework_set)
    p = frameworks.add_parser("show", help="which framework the project scores with")
    p.add_argument("--out", metavar="FILE", help="also write the saved framework file here")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=framework_show)
    p = frameworks.add_parser("reset", help="go back to the shipped framework")
    p.set_defaults(func=framework_reset)

    p = sub.add_parser(
        "demo", help="create the demo project (two sites, two rounds, interviews and maps)"
    )
    p.add_argument("--name", default=None, help="project name (default: 'Demo project')")
    p.set_defaults(func=demo)

    actions = sub.add_parser(
        "action", help="the action plan: add, list, update, delete"
    ).add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser("add", help="add an action")
    p.add_argument("title")
    _action_fields(p)
    p.set_defaults(func=action_add)
    p = actions.add_parser("list", help="list actions")
    p.add_argument("--site")
    p.add_argument("--round")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=action_list)
    p = actions.add_parser("update", help="change an action")
    p.add_argument("id")
    p.add_argument("--title")
    _action_fields(p, with_place=False)
    p.set_defaults(func=action_update)
    p = actions.add_parser("delete", help="delete an action")
    p.add_argument("id")
    p.set_defaults(func=action_delete)


def _action_fields(p: argparse.ArgumentParser, with_place: bool = True) -> None:
    if with_place:
        p.add_argument("--site")
        p.add_argument("--round")
    p.add_argument("--indicators", help="indicator ids, space or comma separated")
    p.add_argument("--lead-sector", choices=SECTORS)
    p.add_argument("--partners")
    p.add_argument("--due", help="YYYY-MM-DD")
    p.add_argument("--status", choices=ACTION_STATUSES)
    p.add_argument("--notes")


def _fields(args: argparse.Namespace) -> dict:
    names = ("title", "indicators", "lead_sector", "partners", "due", "status", "notes")
    return {k: getattr(args, k) for k in names if getattr(args, k, None) is not None}


def summary(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.indicators.project_summary import project_framework, project_summary

    project = ctx.open_project()
    framework = project_framework(project, args.framework)
    result = project_summary(project, framework, site=args.site, round=args.round)
    data = result.to_dict(include_ids=args.ids)
    if args.json:
        ctx.print_json(data)
        return 0
    if not data["sites"]:
        ctx.print("no finalized interviews or maps to summarise yet")
    for site, rounds in data["sites"].items():
        for round_, entry in rounds.items():
            ctx.print(
                f"\n{site} — {round_}: {entry['n_interviews']} interviews, {entry['maps']} maps"
                + ("" if entry["network"] else " (interviews only: no site network)")
            )
            ctx.print(
                f"  {'indicator':<36} {'score':>6} {'95% CI':>13} {'n':>4}  {'band':<11} {'change':>7}  gap"
            )
            for figure in entry["indicators"].values():
                ctx.print("  " + _row(figure))
                if args.by == "sector":
                    for sector, est in figure["by_sector"].items():
                        ctx.print("      " + _sector_row(sector, est))
    for warning in data["warnings"]:
        ctx.print(f"warning: {warning}")
    return 0


def _fmt(value: float | None, width: int = 6) -> str:
    return f"{value:>{width}.1f}" if value is not None else f"{'—':>{width}}"


def _row(f: dict) -> str:
    ci = (
        f"{_fmt(f['ci_low'], 5)}–{_fmt(f['ci_high'], 5).strip():<5}"
        if f["ci_low"] is not None
        else f"{'—':>13}"
    )
    band = "low base" if f["low_base"] else (f["band_label"] or "—")
    change = (
        f"{f['change']['delta']:+7.1f}"
        if f["change"] and f["change"]["delta"] is not None
        else f"{'':>7}"
    )
    gap = ""
    if f["gap"]:
        g = f["gap"]
        gap = f"{g['high_sector']} {g['difference']:.0f} pts above {g['low_sector']}"
    return (
        f"{f['name'][:36]:<36} {_fmt(f['score'])} {ci:>13} {f['n']:>4}  {band:<11} {change}  {gap}"
    )


def _sector_row(sector: str, est: dict) -> str:
    band = "low base" if est["low_base"] else (est["band"] or "—")
    return f"{sector:<30} {_fmt(est['score'])} {'':>13} {est['n']:>4}  {band}"


def _framework_line(framework) -> str:
    version = f" v{framework.version}" if framework.version else ""
    return (
        f"{framework.title} ({framework.id}{version}) for form {framework.form_id}: "
        f"{len(framework.indicators)} indicators, {len(framework.items())} items, "
        f"{len(framework.bands)} bands"
    )


def framework_set(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.indicators.coordinator import set_project_framework

    project = ctx.open_project()
    framework = set_project_framework(project, args.file)
    ctx.print(f"saved in project '{project.name}': {_framework_line(framework)}")
    return 0


def framework_show(args: argparse.Namespace, ctx: Context) -> int:
    from pathlib import Path

    from fieldkit.errors import FieldkitError, Problem
    from fieldkit.indicators.coordinator import framework_content, framework_setting
    from fieldkit.indicators.project_summary import project_framework

    project = ctx.open_project()
    setting = framework_setting(project)
    framework = project_framework(project)
    if args.out:
        content = framework_content(project)
        if content is None:
            raise FieldkitError(
                Problem("the project uses the shipped framework: nothing saved to write out")
            )
        out = Path(args.out)
        if Path(setting["file"]).suffix.lower() != out.suffix.lower():
            raise FieldkitError(
                Problem(
                    f"the saved framework is a {Path(setting['file']).suffix} file", file=str(out)
                )
            )
        out.write_bytes(content)
    if args.json:
        ctx.print_json(
            {
                "source": "project" if setting else "shipped",
                "file": setting["file"] if setting else None,
                "sha256": setting.get("sha256") if setting else None,
                "id": framework.id,
                "title": framework.title,
                "version": framework.version,
                "form_id": framework.form_id,
                "indicators": [
                    {
                        "id": i.id,
                        "name": i.name,
                        "items": [item.name for item in i.items],
                        "weights": dict(i.weights),
                    }
                    for i in framework.indicators
                ],
                "bands": [
                    {"id": b.id, "label": b.label, "lower": b.lower} for b in framework.bands
                ],
            }
        )
        return 0
    where = (
        f"the coordinator's framework saved in the project (from {setting['file']})"
        if setting
        else "the shipped framework (forms/framework.md)"
    )
    ctx.print(f"project '{project.name}' scores with {where}:")
    ctx.print(f"  {_framework_line(framework)}")
    for indicator in framework.indicators:
        weights = ", ".join(f"{c} {w:g}" for c, w in indicator.weights.items())
        ctx.print(f"  {indicator.id:<10} {indicator.name:<40} {weights}")
    if args.out:
        ctx.print(f"wrote {args.out}")
    return 0


def framework_reset(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.indicators.coordinator import reset_project_framework

    project = ctx.open_project()
    if reset_project_framework(project):
        ctx.print(f"project '{project.name}' scores with the shipped framework again")
    else:
        ctx.print(f"project '{project.name}' already scores with the shipped framework")
    return 0


def demo(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.indicators.demo import DEMO_NAME, create_demo
    from fieldkit.indicators.project_summary import SCORED_FORM

    with create_demo(ctx.data_dir, args.name or DEMO_NAME) as project:
        scored = project.interviews.list(status="finalized", form_id=SCORED_FORM)
        sectors = sorted({r.respondent_sector for r in scored if r.respondent_sector})
        ctx.print(
            f"created '{project.name}' at {project.path}: {len(project.sites.list())} sites, "
            f"{len(project.rounds.list())} rounds, {len(scored)} finalized interviews "
            f"({', '.join(sectors)}), {len(project.interviews.drafts())} drafts, "
            f"{len(project.maps.list())} maps, {len(project.actions.list())} actions"
        )
    return 0


def action_add(args: argparse.Namespace, ctx: Context) -> int:
    fields = _fields(args)
    title = fields.pop("title")
    row = ctx.open_project().actions.add(args.site, args.round, title, **fields)
    ctx.print(f"added action {row['id']}: {row['title']}")
    return 0


def action_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = ctx.open_project().actions.list(args.site, args.round)
    if args.json:
        ctx.print_json(rows)
        return 0
    for r in rows:
        ctx.print(
            f"{r['id'][:8]}  {r['status']:<11} {r['due'] or '':<10}  {r['site_name'] or '':<14} "
            f"{r['round_name'] or '':<10} {r['title']}  [{' '.join(r['indicators'])}]"
        )
    return 0


def _action_id(ctx: Context, prefix: str) -> str:
    from fieldkit.errors import FieldkitError

    matches = [r["id"] for r in ctx.open_project().actions.list() if r["id"].startswith(prefix)]
    if len(matches) != 1:
        raise FieldkitError(f"{'no' if not matches else 'more than one'} action with id '{prefix}'")
    return matches[0]


def action_update(args: argparse.Namespace, ctx: Context) -> int:
    row = ctx.open_project().actions.update(_action_id(ctx, args.id), **_fields(args))
    ctx.print(f"updated action {row['id']}: {row['status']}")
    return 0


def action_delete(args: argparse.Namespace, ctx: Context) -> int:
    ctx.open_project().actions.delete(_action_id(ctx, args.id))
    ctx.print("deleted")
    return 0
