"""The Excel pack for analysts: every figure and every finalized answer, in one workbook.

Written with openpyxl's write-only mode, so rows stream to disk as they are produced and a
project of 10,000 interviews fits in little memory. The builder takes plain data
(`ExcelPackInput`: the summary dict, forms with row iterators, networks, actions), so the CLI,
the GUI's worker thread and a benchmark drive it the same way; `collect.excel_input` gathers it
from a project.

Sheets: About, Indicators (with band colours by conditional formatting and a native radar
chart), By sector, one per form and per repeat group, Codebook, Actors and Ties (Kumu's
columns), Network metrics, Actions. Headers frozen, filters on, widths set, real types.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import RadarChart, Reference
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter

from fieldkit import vocab
from fieldkit.forms.model import Form
from fieldkit.packs.formdata import (
    DEFAULT_OPTIONS,
    Column,
    ExportOptions,
    FormExport,
    codebook_header,
    codebook_languages,
    codebook_rows,
)
from fieldkit.packs.people import display_names
from fieldkit.packs.progress import CancelFn, ProgressFn, Steps

# Check for cancel (and report progress) every this many data rows.
ROW_BATCH = 250
MAX_WIDTH = 60
_KIND_WIDTH = {"number": 10, "flag": 6, "date": 12, "datetime": 19, "text": 18}
# Base columns whose values have a known length (a uuid is 36 characters).
_NAMED_WIDTH = {"uuid": 38, "parent_uuid": 38}
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass
class ExcelPackInput:
    """Everything the workbook shows; plain data so tests and benchmarks can hand-make it."""

    project_name: str
    summary: dict[str, Any]  # fieldkit.indicators Summary.to_dict()
    forms: list[FormExport] = field(default_factory=list)
    codebook_forms: list[Form] = field(default_factory=list)
    networks: list[dict[str, Any]] = field(default_factory=list)  # collect.network_view dicts
    actions: list[dict[str, Any]] = field(default_factory=list)
    options: ExportOptions = DEFAULT_OPTIONS
    sites: list[str] = field(default_factory=list)
    rounds: list[str] = field(default_factory=list)
    generated: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))


# -- small helpers ------------------------------------------------------------------------------


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=colour.lstrip("#"), end_color=colour.lstrip("#"))


def _text_colour_on(colour: str) -> str:
    """Black or white text, whichever reads better on `colour` (WCAG relative luminance)."""
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "FFFFFF" if luminance < 0.3 else "1A1A1A"


class _Titles:
    """Sheet titles: at most 31 characters, none of []:*?/\\, unique ignoring case."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def __call__(self, wanted: str) -> str:
        base = _BAD_TITLE.sub("_", wanted).strip("' ")[:31] or "Sheet"
        title, n = base, 2
        while title.casefold() in self._used:
            suffix = f" ({n})"
            title = base[: 31 - len(suffix)] + suffix
            n += 1
        self._used.add(title.casefold())
        return title


def _column_width(column: Column, sample: Iterable[Any] = ()) -> float:
    """Wide enough for the header and for the longest text among `sample` (a sheet's rows
    when they are known before writing), by the column's kind otherwise; never over MAX_WIDTH."""
    width = max(
        _NAMED_WIDTH.get(column.header, _KIND_WIDTH.get(column.kind, 14)), len(column.header) + 2
    )
    longest = max((len(v) for v in sample if isinstance(v, str)), default=0)
    return min(max(width, longest + 2), MAX_WIDTH)


class _SheetWriter:
    """A write-only sheet with a styled, frozen, filtered header row and set column widths.

    Write-only sheets need their widths before the first row, so a small sheet passes its rows
    as `sample` to size the columns to its text; a data sheet is sized by column kind.
    """

    def __init__(
        self,
        wb: Workbook,
        title: str,
        columns: Sequence[Column | str],
        sample: Sequence[Sequence[Any]] = (),
    ):
        self.ws = wb.create_sheet(title)
        self.columns = [c if isinstance(c, Column) else Column(c, "text") for c in columns]
        header_font = Font(bold=True, color="FFFFFF")
        header_fill = _fill(vocab.palette()["ui"]["accent"])
        for i, column in enumerate(self.columns, start=1):
            values = [row[i - 1] for row in sample if len(row) >= i]
            self.ws.column_dimensions[get_column_letter(i)].width = _column_width(column, values)
        self.ws.freeze_panes = "A2"
        header = []
        for column in self.columns:
            cell = WriteOnlyCell(self.ws, column.header)
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="top", wrap_text=False)
            header.append(cell)
        self.ws.append(header)
        self.rows = 0

    def append(self, row: Iterable[Any]) -> None:
        self.ws.append(row)
        self.rows += 1

    def close(self) -> None:
        """Filters over the whole table (header plus rows)."""
        if self.columns:
            last = get_column_letter(len(self.columns))
            self.ws.auto_filter = AutoFilter(ref=f"A1:{last}{self.rows + 1}")


def _write_rows(
    wb: Workbook, title: str, columns: Sequence[Column | str], rows: Sequence[Sequence[Any]]
) -> None:
    """A small sheet whose rows are all known: columns sized to their text."""
    sheet = _SheetWriter(wb, title, columns, sample=rows)
    for row in rows:
        sheet.append(row)
    sheet.close()


def _sheet_of_key_values(wb: Workbook, title: str, rows: Sequence[Sequence[Any]]) -> None:
    ws = wb.create_sheet(title)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 100
    bold = Font(bold=True)
    for row in rows:
        if not row:
            ws.append([])
            continue
        first = WriteOnlyCell(ws, row[0])
        first.font = bold
        rest = []
        for value in row[1:]:
            cell = WriteOnlyCell(ws, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            rest.append(cell)
        ws.append([first, *rest])


# -- the sheets ---------------------------------------------------------------------------------

INDICATOR_COLUMNS = [
    Column("site", "text"),
    Column("round", "text"),
    Column("indicator_id", "text"),
    Column("indicator", "text"),
    Column("score", "number"),
    Column("ci_low", "number"),
    Column("ci_high", "number"),
    Column("n", "number"),
    Column("band", "text"),
    Column("low_base", "text"),
    Column("change", "number"),
    Column("previous_round", "text"),
    Column("gap", "number"),
    Column("gap_high_sector", "text"),
    Column("gap_low_sector", "text"),
    Column("basis", "text"),
    Column("interviews", "number"),
    Column("maps", "number"),
]
_BAND_COL = INDICATOR_COLUMNS.index(Column("band", "text")) + 1
_SCORE_COL = INDICATOR_COLUMNS.index(Column("score", "number")) + 1


def site_rounds(summary: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(site, round, entry) in the summary's order: sites sorted, rounds in round order."""
    order = {r: i for i, r in enumerate(summary.get("rounds", []))}
    result = []
    for site, by_round in summary.get("sites", {}).items():
        for round_ in sorted(by_round, key=lambda r: order.get(r, len(order))):
            result.append((site, round_, by_round[round_]))
    return result


def band_label(figure: dict[str, Any]) -> str:
    """The band in words; "Low base" when too few answers to band it."""
    if figure.get("low_base"):
        return "Low base"
    if figure.get("band_label"):
        return figure["band_label"]
    for band in vocab.DEFAULT_BANDS:
        if band.id == figure.get("band"):
            return band.label
    return "No score"


def _indicator_rows(summary: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for site, round_, entry in site_rounds(summary):
        for indicator_id, fig in entry.get("indicators", {}).items():
            change = fig.get("change") or {}
            gap = fig.get("gap") or {}
            provenance = fig.get("provenance") or {}
            rows.append(
                [
                    site,
                    round_,
                    indicator_id,
                    fig.get("name", indicator_id),
                    fig.get("score"),
                    fig.get("ci_low"),
                    fig.get("ci_high"),
                    fig.get("n"),
                    band_label(fig),
                    "yes" if fig.get("low_base") else "no",
                    change.get("delta"),
                    change.get("previous_round"),
                    gap.get("difference"),
                    gap.get("high_sector"),
                    gap.get("low_sector"),
                    fig.get("basis"),
                    provenance.get("interviews"),
                    provenance.get("maps"),
                ]
            )
    return rows


def _write_indicators(wb: Workbook, title: str, summary: dict[str, Any]) -> None:
    rows = _indicator_rows(summary)
    sheet = _SheetWriter(wb, title, INDICATOR_COLUMNS, sample=rows)
    # The chart's data: indicators down, one column per site and round, right of the table.
    entries = site_rounds(summary)
    indicator_ids: list[str] = []
    names: dict[str, str] = {}
    for _, _, entry in entries:
        for indicator_id, fig in entry.get("indicators", {}).items():
            if indicator_id not in names:
                indicator_ids.append(indicator_id)
                names[indicator_id] = fig.get("name", indicator_id)
    gap_col = len(INDICATOR_COLUMNS) + 2
    pivot_header = ["indicator"] + [f"{site} {round_}" for site, round_, _ in entries]
    pivot = [
        [names[i]] + [e.get("indicators", {}).get(i, {}).get("score") for _, _, e in entries]
        for i in indicator_ids
    ]
    sheet.ws.column_dimensions[get_column_letter(gap_col)].width = 30
    for i, heading in enumerate(pivot_header[1:], start=gap_col + 1):
        sheet.ws.column_dimensions[get_column_letter(i)].width = max(10, len(heading) + 2)
    height = max(len(rows), len(pivot) + 1 if entries else 0)
    bold = Font(bold=True)
    for i in range(height):
        row: list[Any] = list(rows[i]) if i < len(rows) else [None] * len(INDICATOR_COLUMNS)
        if entries and i <= len(pivot):
            row += [None]
            if i == 0:
                for value in pivot_header:
                    cell = WriteOnlyCell(sheet.ws, value)
                    cell.font = bold
                    row.append(cell)
            else:
                row += pivot[i - 1]
        sheet.ws.append(row)
    sheet.rows = len(rows)
    sheet.close()
    _band_formatting(sheet.ws, len(rows))
    if entries and indicator_ids:
        chart = RadarChart()
        chart.type = "marker"
        chart.title = "Community DNA (0-100)"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        chart.y_axis.delete = False
        # The header row is row 1, so the chart's block starts on row 2: its titles there,
        # one indicator a row below.
        data = Reference(
            sheet.ws,
            min_col=gap_col + 1,
            max_col=gap_col + len(entries),
            min_row=2,
            max_row=len(indicator_ids) + 2,
        )
        categories = Reference(sheet.ws, min_col=gap_col, min_row=3, max_row=len(indicator_ids) + 2)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(categories)
        chart.height, chart.width = 13, 22  # room for the indicator names around the web
        sheet.ws.add_chart(chart, f"{get_column_letter(gap_col)}{len(indicator_ids) + 5}")


def _band_formatting(ws: Any, rows: int) -> None:
    """Band and score cells coloured by band (the band's name is always there in words)."""
    ws.conditional_formatting = ConditionalFormattingList()
    if not rows:
        return
    band_letter = get_column_letter(_BAND_COL)
    targets = (
        f"{get_column_letter(_SCORE_COL)}2:{get_column_letter(_SCORE_COL)}{rows + 1} "
        f"{band_letter}2:{band_letter}{rows + 1}"
    )
    labels = [(band.label, band.id) for band in vocab.DEFAULT_BANDS] + [("Low base", "low_base")]
    for label, band_id in labels:
        colour = vocab.band_colour(band_id)
        ws.conditional_formatting.add(
            targets,
            FormulaRule(
                formula=[f'${band_letter}2="{label}"'],
                fill=_fill(colour),
                font=Font(color=_text_colour_on(colour)),
            ),
        )


def _write_by_sector(wb: Workbook, title: str, summary: dict[str, Any]) -> None:
    columns = [
        Column("site", "text"),
        Column("round", "text"),
        Column("indicator_id", "text"),
        Column("indicator", "text"),
        Column("respondent_sector", "text"),
        Column("score", "number"),
        Column("ci_low", "number"),
        Column("ci_high", "number"),
        Column("n", "number"),
        Column("band", "text"),
        Column("low_base", "text"),
    ]
    rows: list[list[Any]] = []
    for site, round_, entry in site_rounds(summary):
        for indicator_id, fig in entry.get("indicators", {}).items():
            for sector, est in (fig.get("by_sector") or {}).items():
                rows.append(
                    [
                        site,
                        round_,
                        indicator_id,
                        fig.get("name", indicator_id),
                        vocab.SECTOR_LABELS.get(sector, sector),
                        est.get("score"),
                        est.get("ci_low"),
                        est.get("ci_high"),
                        est.get("n"),
                        band_label(est),
                        "yes" if est.get("low_base") else "no",
                    ]
                )
    _write_rows(wb, title, columns, rows)


def _names(network: dict[str, Any], keys: Iterable[str], include_people: bool) -> str:
    names = display_names(network, include_people)
    return "; ".join(names.get(k, k) for k in keys)


def _write_actors(
    wb: Workbook, title: str, networks: list[dict[str, Any]], include_people: bool
) -> None:
    """Kumu's Elements columns (Label, Type, Tags; Tags split by '|') plus fieldkit's own."""
    columns = [
        Column("Label", "text"),
        Column("Type", "text"),
        Column("Kind", "text"),
        Column("Site", "text"),
        Column("Round", "text"),
        Column("Influence", "number"),
        Column("Maps", "number"),
        Column("Betweenness", "number"),
        Column("Broker", "text"),
        Column("Single point of failure", "text"),
        Column("Tags", "text"),
    ]
    rows: list[list[Any]] = []
    for network in networks:
        metrics = network.get("metrics") or {}
        brokers = set(metrics.get("brokers") or [])
        points = set(metrics.get("articulation_points") or [])
        betweenness = metrics.get("betweenness") or {}
        names = display_names(network, include_people)
        for actor in network.get("actors", []):
            key = actor["key"]
            hidden = names[key] != actor["name"]
            rows.append(
                [
                    names[key],
                    vocab.SECTOR_LABELS.get(actor.get("sector"), actor.get("sector")),
                    actor.get("kind"),
                    network.get("site"),
                    network.get("round"),
                    None if actor.get("influence") is None else round(actor["influence"], 2),
                    actor.get("maps"),
                    round(betweenness.get(key, 0.0), 4) if key in betweenness else None,
                    "yes" if key in brokers else "",
                    "yes" if key in points else "",
                    ""
                    if hidden
                    else "|".join(a for a in actor.get("names", []) if a != actor["name"]),
                ]
            )
    _write_rows(wb, title, columns, rows)


def _write_ties(
    wb: Workbook, title: str, networks: list[dict[str, Any]], include_people: bool
) -> None:
    """Kumu's Connections columns (From, To, Type, Direction) plus strength and support."""
    columns = [
        Column("From", "text"),
        Column("To", "text"),
        Column("Type", "text"),
        Column("Direction", "text"),
        Column("Strength", "number"),
        Column("Maps", "number"),
        Column("Site", "text"),
        Column("Round", "text"),
    ]
    rows: list[list[Any]] = []
    for network in networks:
        names = display_names(network, include_people)
        for tie in network.get("ties", []):
            rows.append(
                [
                    names.get(tie["source"], tie["source"]),
                    names.get(tie["target"], tie["target"]),
                    vocab.LINK_TYPE_LABELS.get(tie.get("type"), tie.get("type")),
                    "mutual" if tie.get("direction") == "mutual" else "directed",
                    round(float(tie.get("strength") or 0), 2),
                    tie.get("weight"),
                    network.get("site"),
                    network.get("round"),
                ]
            )
    _write_rows(wb, title, columns, rows)


def _sector_pairs() -> list[tuple[str, str]]:
    sectors = vocab.SECTORS
    return [(a, b) for i, a in enumerate(sectors) for b in sectors[i:]]


def _write_network_metrics(
    wb: Workbook, title: str, networks: list[dict[str, Any]], include_people: bool
) -> None:
    pairs = _sector_pairs()
    columns = [
        Column("site", "text"),
        Column("round", "text"),
        Column("maps", "number"),
        Column("actors", "number"),
        Column("ties", "number"),
        Column("tied_pairs", "number"),
        Column("density", "number"),
        Column("ei_index", "number"),
        Column("bridging", "number"),
        Column("redundancy", "number"),
        Column("brokers", "text"),
        Column("single_points_of_failure", "text"),
        Column("isolated_actors", "text"),
        Column("components", "number"),
    ] + [Column(f"ties {a}-{b}", "number") for a, b in pairs]
    rows: list[list[Any]] = []
    for network in networks:
        m = network.get("metrics") or {}
        mixing = m.get("mixing") or {}

        def num(value: Any, digits: int = 3) -> Any:
            return None if value is None else round(float(value), digits)

        rows.append(
            [
                network.get("site"),
                network.get("round"),
                network.get("map_count"),
                m.get("actors"),
                m.get("ties"),
                m.get("tied_pairs"),
                num(m.get("density"), 4),
                num(m.get("ei_index")),
                num(m.get("bridging"), 2),
                num(m.get("redundancy"), 2),
                _names(network, m.get("brokers") or [], include_people),
                _names(network, m.get("articulation_points") or [], include_people),
                _names(network, m.get("isolates") or [], include_people),
                len(m.get("components") or []),
            ]
            + [(mixing.get(a) or {}).get(b) for a, b in pairs]
        )
    _write_rows(wb, title, columns, rows)


def _write_actions(wb: Workbook, title: str, actions: list[dict[str, Any]]) -> None:
    columns = [
        Column("site", "text"),
        Column("round", "text"),
        Column("title", "text"),
        Column("indicators", "text"),
        Column("lead_sector", "text"),
        Column("partners", "text"),
        Column("due", "date"),
        Column("status", "text"),
        Column("notes", "text"),
    ]
    rows: list[list[Any]] = []
    for action in actions:
        due = action.get("due")
        try:
            due = dt.date.fromisoformat(str(due)) if due else None
        except ValueError:
            pass
        rows.append(
            [
                action.get("site_name"),
                action.get("round_name"),
                action.get("title"),
                ", ".join(action.get("indicators") or []),
                vocab.SECTOR_LABELS.get(action.get("lead_sector"), action.get("lead_sector")),
                action.get("partners"),
                due,
                vocab.ACTION_STATUS_LABELS.get(action.get("status"), action.get("status")),
                action.get("notes"),
            ]
        )
    _write_rows(wb, title, columns, rows)


def _about_rows(data: ExcelPackInput, sheets: list[tuple[str, str]]) -> list[list[Any]]:
    framework = data.summary.get("framework") or {}
    opts = data.options
    if opts.include_personal_data:
        protection = (
            "THIS WORKBOOK CONTAINS PERSONAL DATA: questions marked sensitive (names, contacts, "
            "free-text comments) are included because the coordinator chose to include them. "
            "Store it encrypted, share it only with people entitled to see it, and delete it "
            "when no longer needed."
        )
    else:
        protection = (
            "Questions marked sensitive in the forms (names, contacts, free-text comments) are "
            "left out of this workbook. Respondents are identified only by pseudonymous codes. "
            "Figures from fewer than "
            f"{vocab.LOW_BASE_THRESHOLD} respondents are marked 'Low base' and not banded."
        )
    rows: list[list[Any]] = [
        ["Project", data.project_name],
        ["Sites", ", ".join(data.sites) or "all"],
        ["Rounds", ", ".join(data.rounds) or "all"],
        ["Generated", data.generated],
        [
            "Framework",
            f"{framework.get('title', '')} (id {framework.get('id', '')}, "
            f"version {framework.get('version', '')})",
        ],
        ["Answers shown as", "choice labels" if opts.labels else "choice values (codes)"],
        ["Language", opts.language or "the form's default language"],
        ["Personal data", "INCLUDED" if opts.include_personal_data else "left out"],
        ["Data protection", protection],
        [
            "Bands",
            " · ".join(f"{band.label} from {band.lower:g}" for band in vocab.DEFAULT_BANDS)
            + " (scores 0-100); 'Low base': fewer than "
            f"{vocab.LOW_BASE_THRESHOLD} scored interviews, shown with n but not banded.",
        ],
        [],
        ["Sheet", "What it holds"],
        *[[name, what] for name, what in sheets],
    ]
    for warning in data.summary.get("warnings") or []:
        rows.append(["Warning", warning])
    return rows


def _discard(wb: Workbook) -> None:
    """Finish and delete the sheets' temporary files after a cancel or a failure."""
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        try:
            if not ws.closed:
                ws.close()
            writer.cleanup()
        except (OSError, ValueError):
            pass


def write_excel_pack(
    path: str | os.PathLike[str],
    data: ExcelPackInput,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Path:
    """Write the workbook to `path` (atomically: a cancelled or failed export leaves nothing)."""
    target = Path(path)
    total_rows = sum(max(f.count, 0) for f in data.forms)
    steps = Steps(total_rows // ROW_BATCH + 10, progress, cancel, what="Excel export")
    titles = _Titles()
    wb = Workbook(write_only=True)

    names = {
        "about": titles("About"),
        "indicators": titles("Indicators"),
        "by_sector": titles("By sector"),
    }
    form_titles = [[titles(t.name) for t in f.tables.tables] for f in data.forms]
    names |= {
        "codebook": titles("Codebook"),
        "actors": titles("Actors"),
        "ties": titles("Ties"),
        "metrics": titles("Network metrics"),
        "actions": titles("Actions"),
    }
    described = [
        (
            names["indicators"],
            "Each indicator per site and round: score (0-100), 95% interval, "
            "n, band, change since the previous round, largest perception gap; radar chart.",
        ),
        (names["by_sector"], "The same figures by respondent sector."),
    ]
    for form, sheet_titles in zip(data.forms, form_titles, strict=True):
        for spec, sheet_title in zip(form.tables.tables, sheet_titles, strict=True):
            described.append(
                (
                    sheet_title,
                    f"{spec.title}: one row per finalized interview"
                    if not spec.repeat
                    else f"{spec.title}: one row per repeat instance, linked by parent_uuid",
                )
            )
    described += [
        (
            names["codebook"],
            "Every question: name, type, labels per language, choices, "
            "relevance, the indicator it feeds, whether it is sensitive.",
        ),
        (
            names["actors"],
            "Actors of each site network (Kumu 'Elements' columns). People are shown as "
            "'Person n (sector)' unless personal data is included.",
        ),
        (names["ties"], "Ties of each site network (Kumu 'Connections' columns)."),
        (
            names["metrics"],
            "Per site network: density, E-I index, brokers, single points of "
            "failure, isolated actors, ties between each pair of sectors.",
        ),
        (names["actions"], "The action plan."),
    ]

    tmp = target.with_name(f".{target.name}.part")
    try:
        _sheet_of_key_values(wb, names["about"], _about_rows(data, described))
        _write_indicators(wb, names["indicators"], data.summary)
        _write_by_sector(wb, names["by_sector"], data.summary)
        steps.advance()
        for form, sheet_titles in zip(data.forms, form_titles, strict=True):
            writers = [
                _SheetWriter(wb, title, spec.columns)
                for spec, title in zip(form.tables.tables, sheet_titles, strict=True)
            ]
            done = 0
            for interview, answers in form.interviews:
                for index, row in form.tables.rows(interview, answers):
                    writers[index].append(row)
                done += 1
                if done % ROW_BATCH == 0:
                    steps.advance()
            for writer in writers:
                writer.close()
        languages = codebook_languages(data.codebook_forms)
        codebook = [
            row
            for form in data.codebook_forms
            for row in codebook_rows(form, data.options, languages)
        ]
        _write_rows(wb, names["codebook"], codebook_header(languages), codebook)
        steps.advance()
        people = data.options.include_personal_data
        _write_actors(wb, names["actors"], data.networks, people)
        _write_ties(wb, names["ties"], data.networks, people)
        _write_network_metrics(wb, names["metrics"], data.networks, people)
        _write_actions(wb, names["actions"], data.actions)
        steps.advance()
        target.parent.mkdir(parents=True, exist_ok=True)
        wb.save(tmp)
        os.replace(tmp, target)
    except BaseException:
        _discard(wb)
        tmp.unlink(missing_ok=True)
        raise
    steps.finish()
    return target
