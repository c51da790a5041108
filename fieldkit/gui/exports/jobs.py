"""What the Export dialog asks for, checked and run through the same core functions as the CLI.

No Qt here on purpose: `run_export(project, request, progress, cancel)` is what the dialog
hands to the background task, and a test (or a script) can call it headless. Each kind calls
exactly what `fieldkit export ...` calls (fieldkit.cli.export_cmds and map_cmds), so the GUI
and the CLI can never write different files for the same choices.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldkit.errors import FieldkitError, Problem
from fieldkit.packs.progress import CancelFn, ExportCancelled, ProgressFn

XLSX, PDF, CSV, GRAPH = "xlsx", "pdf", "csv", "graph"
GRAPH_SUFFIXES = (".graphml", ".gexf", ".xlsx")


@dataclass(frozen=True)
class ExportKind:
    """One of the outputs the Exports page offers, described for a coordinator."""

    key: str
    title: str
    blurb: str
    suffix: str  # the file's suffix; "" for a folder
    needs_one_place: bool  # one site and one round (the PDF and the network graph)
    data_options: bool  # labels/values and language apply
    personal_data: bool  # "include personal data" may be offered
    personal_note: str = ""


KINDS: dict[str, ExportKind] = {
    XLSX: ExportKind(
        XLSX,
        "Excel pack for analysts",
        "Every finalized interview, the indicator scores, a codebook, the site networks and the "
        "action plan in one workbook, ready for sorting, filtering and pivot tables.",
        ".xlsx",
        needs_one_place=False,
        data_options=True,
        personal_data=True,
        personal_note="Names, contacts and free-text comments will be in the workbook. "
        "Store and share it as personal data.",
    ),
    PDF: ExportKind(
        PDF,
        "PDF pack for partners",
        "A short report for one site and round: what the indicators say, how sure we are, how "
        "the sectors connect and what will be done. Never contains personal data.",
        ".pdf",
        needs_one_place=True,
        data_options=False,
        personal_data=False,
    ),
    CSV: ExportKind(
        CSV,
        "CSV files",
        "One plain table per form and repeat group, for any statistics tool; Excel opens them "
        "with accents and scripts intact.",
        "",
        needs_one_place=False,
        data_options=True,
        personal_data=True,
        personal_note="Names, contacts and free-text comments will be in the files. "
        "Store and share them as personal data.",
    ),
    GRAPH: ExportKind(
        GRAPH,
        "Network graph",
        "The relationship maps of one site and round merged into one network, as GraphML or "
        "GEXF (Gephi, yEd) or a Kumu spreadsheet.",
        ".graphml",
        needs_one_place=True,
        data_options=False,
        personal_data=True,
        personal_note="Map notes (which may name or describe people) will be in the file.",
    ),
}


@dataclass(frozen=True)
class ExportRequest:
    """The coordinator's choices. Site and round are ids; None means "all"."""

    kind: str
    target: Path | None  # None (or an empty path) until the coordinator chooses
    site: str | None = None
    round: str | None = None
    compare: tuple[str, ...] = ()  # other site ids, PDF only
    labels: bool = True
    language: str | None = None
    include_personal_data: bool = False


@dataclass
class ExportOutcome:
    """What was written, for the dialog's summary and its "Open folder" button."""

    paths: list[Path]
    folder: Path
    lines: list[str] = field(default_factory=list)
    personal_data: bool = False


def shared_languages(forms: Sequence[Any]) -> list[str]:
    """The languages every form with languages has, in the first form's order.

    Only those can be offered: a language one form lacks would make that form refuse.
    """
    listed = [list(f.languages) for f in forms if getattr(f, "languages", None)]
    if not listed:
        return []
    return [lang for lang in listed[0] if all(lang in other for other in listed[1:])]


def project_languages(project: Any) -> list[str]:
    """The languages the export can use, from the newest version of each imported form."""
    newest: dict[str, dict[str, Any]] = {}
    for record in project.forms.list():
        known = newest.get(record["form_id"])
        if known is None or record["imported"] > known["imported"]:
            newest[record["form_id"]] = record
    return shared_languages([project.forms.load(r["id"]) for r in newest.values()])


def check_request(project: Any, request: ExportRequest) -> None:
    """Refuse, in words, what cannot be exported; nothing is written before this passes."""
    kind = KINDS.get(request.kind)
    if kind is None:
        raise FieldkitError(f"unknown export '{request.kind}'")
    if project is None:
        raise FieldkitError("open a project first")
    problems: list[Problem] = []
    if kind.needs_one_place:
        if request.site is None:
            problems.append(
                Problem(f"the {kind.title} is for one site: choose a site, not 'All sites'")
            )
        if request.round is None:
            problems.append(
                Problem(f"the {kind.title} is for one round: choose a round, not 'All rounds'")
            )
    if request.compare and request.kind != PDF:
        problems.append(Problem("only the PDF pack compares sites"))
    if request.include_personal_data and not kind.personal_data:
        problems.append(Problem(f"the {kind.title} never contains personal data"))
    target = request.target
    if target is not None and str(target).strip() in ("", "."):
        target = None
    if target is None:
        problems.append(Problem("choose where to save the export"))
    elif kind.suffix == "":
        if target.exists() and not target.is_dir():
            problems.append(Problem("not a folder", file=str(target)))
        elif not target.parent.is_dir():
            problems.append(Problem("the folder above it does not exist", file=str(target.parent)))
    else:
        allowed = GRAPH_SUFFIXES if request.kind == GRAPH else (kind.suffix,)
        if target.suffix.lower() not in allowed:
            problems.append(
                Problem(f"the file name must end in {' or '.join(allowed)}", file=str(target))
            )
        if target.is_dir():
            problems.append(Problem("a folder of that name exists", file=str(target)))
        elif not target.parent.is_dir():
            problems.append(Problem("the folder does not exist", file=str(target.parent)))
    if problems:
        raise FieldkitError(problems)


def _place_names(project: Any, request: ExportRequest) -> tuple[str, str]:
    site = project.sites.find(request.site)["name"] if request.site else "all sites"
    round_ = project.rounds.find(request.round)["name"] if request.round else "all rounds"
    return site, round_


def _options(request: ExportRequest):
    from fieldkit.packs.formdata import ExportOptions

    return ExportOptions(
        labels=request.labels,
        language=request.language,
        include_personal_data=request.include_personal_data,
    )


def _stop_if_cancelled(cancel: CancelFn, what: str) -> None:
    if cancel():
        raise ExportCancelled(what)


def _excel(project: Any, request: ExportRequest, progress: ProgressFn, cancel: CancelFn):
    from fieldkit.packs.collect import excel_input
    from fieldkit.packs.excel import write_excel_pack

    data = excel_input(project, request.site, request.round, _options(request))
    _stop_if_cancelled(cancel, "Excel export")
    path = write_excel_pack(request.target, data, progress=progress, cancel=cancel)
    interviews = sum(f.count for f in data.forms)
    site, round_ = _place_names(project, request)
    return [path], [
        f"Wrote {path.name}: {interviews} interviews from {len(data.forms)} forms "
        f"({site}, {round_}).",
    ]


def _pdf(project: Any, request: ExportRequest, progress: ProgressFn, cancel: CancelFn):
    from fieldkit.packs.collect import pdf_input
    from fieldkit.packs.pdf import write_pdf_pack

    data = pdf_input(project, request.site, request.round, list(request.compare))
    _stop_if_cancelled(cancel, "PDF export")
    path = write_pdf_pack(request.target, data, progress=progress, cancel=cancel)
    return [path], [f"Wrote {path.name}: {', '.join(data.sites)}, {data.round}."]


def _csv(project: Any, request: ExportRequest, progress: ProgressFn, cancel: CancelFn):
    from fieldkit.packs.collect import form_exports
    from fieldkit.packs.csv_export import write_csv_tables

    folder = Path(request.target)
    existed = folder.exists()
    forms, _ = form_exports(project, request.site, request.round, _options(request))
    try:
        _stop_if_cancelled(cancel, "CSV export")
        files = write_csv_tables(folder, forms, progress=progress, cancel=cancel)
    except BaseException:
        if not existed and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # the folder was ours and holds nothing: leave no trace
        raise
    interviews = sum(f.count for f in forms)
    return files, [
        f"Wrote {len(files)} CSV files into {folder.name}: {interviews} interviews.",
        *[f"  {file.name}" for file in files],
    ]


def _graph(project: Any, request: ExportRequest, progress: ProgressFn, cancel: CancelFn):
    from fieldkit.mapping.formats import write_graph
    from fieldkit.mapping.persist import site_network

    site, round_ = _place_names(project, request)
    if not project.maps.list(site, round_):
        raise FieldkitError(f"no relationship maps for {site}, {round_}: nothing to export")
    progress(0, 2)
    network = site_network(project, site, round_)
    progress(1, 2)
    _stop_if_cancelled(cancel, "graph export")
    target = Path(request.target)
    # Written beside its final name, then moved: a cancelled or failed export leaves nothing.
    scratch = Path(tempfile.mkdtemp(prefix=".fieldkit-", dir=target.parent))
    try:
        written = write_graph(
            network, scratch / target.name, include_sensitive=request.include_personal_data
        )
        _stop_if_cancelled(cancel, "graph export")
        os.replace(written, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    progress(2, 2)
    return [target], [
        f"Wrote {target.name}: {len(network.actors)} actors and {len(network.ties)} ties "
        f"from {len(network.map_ids)} maps ({site}, {round_}).",
    ]


_RUNNERS = {XLSX: _excel, PDF: _pdf, CSV: _csv, GRAPH: _graph}


def run_export(
    project: Any, request: ExportRequest, progress: ProgressFn, cancel: CancelFn
) -> ExportOutcome:
    """Check the request, then write it with the core's own builders; runs on the worker."""
    check_request(project, request)
    _stop_if_cancelled(cancel, f"{KINDS[request.kind].title} export")
    progress(0, 0)
    paths, lines = _RUNNERS[request.kind](project, request, progress, cancel)
    folder = Path(request.target) if request.kind == CSV else Path(request.target).parent
    if request.include_personal_data:
        lines.append("This export contains personal data.")
    return ExportOutcome(
        paths=list(paths),
        folder=folder.resolve(),
        lines=lines,
        personal_data=request.include_personal_data,
    )
