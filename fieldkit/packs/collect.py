"""Gather a pack's inputs from a project: forms and answers, site networks, actions.

The builders (excel, pdf, csv_export) take plain data so they can be tested and benchmarked
without a project; this module is the one place that reads the store for them. Answers are read
in batches (`ANSWER_BATCH` interviews at a time) so a large project streams rather than loading
every answer at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from fieldkit.errors import FieldkitError
from fieldkit.forms.model import Form
from fieldkit.packs.formdata import DEFAULT_OPTIONS, ExportOptions, FormExport, FormTables

ANSWER_BATCH = 500


class _Versioned:
    """An InterviewRow with the version label of its form, for the data sheet."""

    def __init__(self, row: Any, form_version: str | None):
        self._row = row
        self.form_version = form_version

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


def _stream(project: Any, rows: list[Any], versions: dict[str, str]) -> Iterator[tuple[Any, dict]]:
    for start in range(0, len(rows), ANSWER_BATCH):
        batch = rows[start : start + ANSWER_BATCH]
        answers = project.interviews.answers_for([r.id for r in batch])
        for row in batch:
            yield _Versioned(row, versions.get(row.form)), answers[row.id]


def form_exports(
    project: Any,
    site: str | None = None,
    round_: str | None = None,
    options: ExportOptions = DEFAULT_OPTIONS,
) -> tuple[list[FormExport], list[Form]]:
    """One FormExport per imported form (finalized interviews only) and the forms themselves.

    Interviews of every version of a form share one table; the newest version leads.
    """
    records = project.forms.list()
    by_form: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_form.setdefault(record["form_id"], []).append(record)
    interviews = project.interviews.list(site=site, round=round_, status="finalized")
    exports: list[FormExport] = []
    forms: list[Form] = []
    for form_id in sorted(by_form):
        versions = sorted(by_form[form_id], key=lambda r: r["imported"], reverse=True)
        loaded = [project.forms.load(v["id"]) for v in versions]
        tables = FormTables(loaded, options)
        rows = sorted(
            (i for i in interviews if i.form_id == form_id),
            key=lambda i: (i.finalized or "", i.id),
        )
        labels = {v["id"]: v["version"] or None for v in versions}
        exports.append(FormExport(tables, _stream(project, rows, labels), count=len(rows)))
        forms.append(loaded[0])
    return exports, forms


def _site_round_pairs(project: Any, site: str | None, round_: str | None) -> list[tuple[str, str]]:
    sites, rounds = scope_names(project, site, round_)
    return [(s, r) for s in sites for r in rounds]


def network_view(network: Any, metrics: Any, positions: dict | None = None) -> dict[str, Any]:
    """A site network and its metrics as the plain dict both packs read."""
    return {
        "site": network.site,
        "round": network.round,
        "map_count": len(network.map_ids),
        "actors": [
            {
                "key": actor.key,
                "name": actor.name,
                "sector": actor.sector,
                "kind": actor.kind,
                "influence": actor.influence,
                "maps": len(actor.map_ids),
                "names": list(actor.names),
            }
            for actor in network.actors.values()
        ],
        "ties": [
            {
                "source": tie.source,
                "target": tie.target,
                "type": tie.type,
                "direction": tie.direction,
                "strength": tie.strength,
                "weight": tie.weight,
            }
            for tie in network.ties
        ],
        "metrics": metrics.to_dict(),
        "positions": dict(positions or {}),
    }


def site_network(project: Any, site: str, round_: str, *, with_layout: bool = False):
    """The merged site network view of one site and round; None when it has no maps.

    Merged by fieldkit.mapping.persist, as the summary's network components are, so the
    picture and the figures come from the same network.
    """
    from fieldkit.mapping.metrics import compute_metrics
    from fieldkit.mapping.persist import site_network as merged_network

    if not project.maps.list(site, round_):
        return None
    network = merged_network(project, site, round_)
    if not network.actors:
        return None
    positions = network_layout(network) if with_layout else None
    return network_view(network, compute_metrics(network), positions)


def network_layout(network: Any) -> dict[str, tuple[float, float]]:
    """Positions for the PDF's picture: a spring layout, or by sector when numpy is absent."""
    from fieldkit.mapping.layout import layout_positions

    try:
        return layout_positions(network, "spring", seed=1, keep=False)
    except FieldkitError:
        return layout_positions(network, "sector", keep=False)


def site_networks(
    project: Any, site: str | None = None, round_: str | None = None, *, with_layout: bool = False
) -> list[dict[str, Any]]:
    views = []
    for s, r in _site_round_pairs(project, site, round_):
        view = site_network(project, s, r, with_layout=with_layout)
        if view is not None:
            views.append(view)
    return views


def scope_names(project: Any, site: str | None, round_: str | None) -> tuple[list[str], list[str]]:
    """The site and round names a pack covers (all when not chosen)."""
    sites = (
        [project.sites.find(site)["name"]] if site else [s["name"] for s in project.sites.list()]
    )
    rounds = (
        [project.rounds.find(round_)["name"]]
        if round_
        else [r["name"] for r in project.rounds.list()]
    )
    return sites, rounds


def restrict_summary(
    summary: dict[str, Any], sites: Sequence[str] | None, rounds: Sequence[str] | None
) -> dict[str, Any]:
    """The summary dict restricted to some sites and rounds (change figures keep their values)."""
    chosen = {}
    for site, by_round in summary.get("sites", {}).items():
        if sites and site not in sites:
            continue
        kept = {r: e for r, e in by_round.items() if not rounds or r in rounds}
        if kept:
            chosen[site] = kept
    return summary | {"sites": chosen}


def project_summary_dict(
    project: Any, site: str | None = None, round_: str | None = None
) -> dict[str, Any]:
    """`fieldkit summary --json` for the project: the figures both packs show."""
    from fieldkit.indicators.project_summary import project_summary

    return project_summary(project, site=site, round=round_).to_dict()


def interview_dates(project: Any, site: str, round_: str) -> tuple[str | None, str | None]:
    """First and last finalization date (YYYY-MM-DD) of the site's interviews in the round."""
    stamps = sorted(
        r.finalized[:10]
        for r in project.interviews.list(site=site, round=round_, status="finalized")
        if r.finalized
    )
    return (stamps[0], stamps[-1]) if stamps else (None, None)


def excel_input(
    project: Any,
    site: str | None = None,
    round_: str | None = None,
    options: ExportOptions = DEFAULT_OPTIONS,
):
    """Everything the Excel pack needs, read from the project (answers stream on demand)."""
    from fieldkit.packs.excel import ExcelPackInput

    sites, rounds = scope_names(project, site, round_)
    summary = restrict_summary(project_summary_dict(project), sites, rounds)
    forms, codebook = form_exports(project, site, round_, options)
    actions = [
        a
        for a in project.actions.list(site, round_)
        if (a.get("site_name") in sites or not a.get("site_name"))
    ]
    return ExcelPackInput(
        project_name=project.name,
        summary=summary,
        forms=forms,
        codebook_forms=codebook,
        networks=site_networks(project, site, round_),
        actions=actions,
        options=options,
        sites=sites,
        rounds=rounds,
    )


def _logo(entry: str) -> Path | None:
    """A configured logo: a file path, or the name of an image shipped in resources/."""
    from fieldkit import paths

    if Path(entry).is_file():
        return Path(entry)
    resource = paths.resource(str(entry))
    return Path(str(resource)) if resource.is_file() else None


MAX_COMPARED_SITES = 1  # one comparison keeps the partner pack within 6-12 pages


def pdf_input(project: Any, site: str, round_: str, compare: Sequence[str] = ()):
    """Everything the partner PDF needs for one site (and the sites compared with it)."""
    from fieldkit.packs.pdf import PdfPackInput

    main = project.sites.find(site)["name"]
    others = [project.sites.find(s)["name"] for s in compare]
    round_name = project.rounds.find(round_)["name"]
    chosen = [main, *dict.fromkeys(s for s in others if s != main)]
    if len(chosen) > 1 + MAX_COMPARED_SITES:
        raise FieldkitError(
            f"a partner pack compares one site with at most {MAX_COMPARED_SITES} other "
            f"(each site adds about three pages; the pack stays within 12): "
            f"make one pack per pair instead of comparing {', '.join(chosen)}"
        )
    summary = restrict_summary(project_summary_dict(project), chosen, None)
    networks = {}
    for name in chosen:
        view = site_network(project, name, round_name, with_layout=True)
        if view is not None:
            networks[name] = view
    actions = [a for name in chosen for a in project.actions.list(name, round_name)]
    logos = [p for p in map(_logo, project.settings.get("logos") or []) if p is not None]
    return PdfPackInput(
        project_name=project.name,
        summary=summary,
        site=main,
        round=round_name,
        compare=chosen[1:],
        networks=networks,
        actions=actions,
        interview_dates={name: interview_dates(project, name, round_name) for name in chosen},
        logos=logos,
    )
