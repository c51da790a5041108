"""`map import|list|metrics` and `export graph`: relationship maps and site networks, headless."""

from __future__ import annotations

import argparse
from pathlib import Path

from fieldkit.cli._context import Context
from fieldkit.cli.export_cmds import export_subparsers


def register(sub: argparse._SubParsersAction) -> None:
    maps = sub.add_parser("map", help="relationship maps: import, list, metrics").add_subparsers(
        dest="action", metavar="ACTION", required=True
    )
    p = maps.add_parser("import", help="a GraphML, GEXF or Kumu .xlsx file as a standalone map")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--site", help="the site it belongs to (default: the file's own, if it names one)"
    )
    p.add_argument("--round", help="the round it belongs to (default: the file's own)")
    p.set_defaults(func=map_import)
    p = maps.add_parser("list", help="the maps of a site and round")
    p.add_argument("--site")
    p.add_argument("--round")
    p.set_defaults(func=map_list)
    p = maps.add_parser("metrics", help="the site network's metrics")
    p.add_argument("--site", required=True)
    p.add_argument("--round", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=map_metrics)

    p = export_subparsers(sub).add_parser(
        "graph", help="a site network as GraphML, GEXF or Kumu .xlsx"
    )
    p.add_argument("out", type=Path, help="OUT.graphml, OUT.gexf or OUT.xlsx")
    p.add_argument("--site", required=True)
    p.add_argument("--round", required=True)
    p.add_argument(
        "--include-personal-data", action="store_true", help="keep map notes (sensitive)"
    )
    p.set_defaults(func=export_graph)


def map_import(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.mapping.formats import read_map
    from fieldkit.mapping.persist import save_map

    project = ctx.open_project()
    folded: list[str] = []
    the_map = read_map(args.file, report=folded)
    site = (
        project.sites.find(args.site or the_map.site)["name"] if (args.site or the_map.site) else ""
    )
    round_ = (
        project.rounds.find(args.round or the_map.round)["name"]
        if (args.round or the_map.round)
        else ""
    )
    the_map.update_details(site=site, round=round_)
    if project.maps.exists(the_map.id):
        the_map = the_map.copy(new_ids=True)
    save_map(project, the_map)
    ctx.print(
        f"imported map {the_map.id} ({len(the_map.actors)} actors, {len(the_map.ties)} ties)"
        + (f" into {site} / {round_}" if site and round_ else " as a standalone map")
    )
    if folded:
        ctx.print(f"folded {len(folded)} tie(s) the file gives twice:")
        for line in folded:
            ctx.print(f"  {line}")
    return 0


def map_list(args: argparse.Namespace, ctx: Context) -> int:
    for row in ctx.open_project().maps.list(args.site, args.round):
        ctx.print(
            f"{row['id'][:8]}  {row['site_name'] or '-':<14} {row['round_name'] or '-':<10} "
            f"{row['actor_count']:>3} actors {row['tie_count']:>4} ties  {row['focus_question']}"
        )
    return 0


def _network(ctx: Context, site: str, round_: str):
    from fieldkit.mapping.persist import site_network

    project = ctx.open_project()
    return site_network(
        project, project.sites.find(site)["name"], project.rounds.find(round_)["name"]
    )


def map_metrics(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.mapping.metrics import compute_metrics

    network = _network(ctx, args.site, args.round)
    metrics = compute_metrics(network)
    if args.json:
        ctx.print_json(
            {"site": network.site, "round": network.round, "maps": len(network.map_ids)}
            | metrics.to_dict()
        )
        return 0
    name = metrics.names.get
    ctx.print(f"{network.site} — {network.round}: {len(network.map_ids)} maps merged")
    ctx.print(f"actors {metrics.actors}, ties {metrics.ties}, density {metrics.density:.3f}")
    ctx.print("brokers: " + (", ".join(name(k, k) for k in metrics.brokers) or "none"))
    ctx.print(
        "single points of failure: "
        + (", ".join(name(k, k) for k in metrics.articulation_points) or "none")
    )
    ctx.print("isolated: " + (", ".join(name(k, k) for k in metrics.isolates) or "none"))
    ei = "n/a" if metrics.ei_index is None else f"{metrics.ei_index:+.2f}"
    ctx.print(
        f"E-I index {ei}; bridging {_pct(metrics.bridging)}; redundancy {_pct(metrics.redundancy)}"
    )
    return 0


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}/100"


def export_graph(args: argparse.Namespace, ctx: Context) -> int:
    from fieldkit.mapping.formats import write_graph

    network = _network(ctx, args.site, args.round)
    path = write_graph(network, args.out, include_sensitive=args.include_personal_data)
    ctx.print(f"wrote {path} ({len(network.actors)} actors, {len(network.ties)} ties)")
    return 0
