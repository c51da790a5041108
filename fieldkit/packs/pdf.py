"""The PDF pack for partners: a short, readable A4 report for one site (or a comparison).

Built with reportlab's platypus from the summary dict, the site network view and the action
plan, never from raw answers: it cannot leak a sensitive field or a free-text comment because
it never reads one. People named on relationship maps (actors of kind "person") appear only as
"Person 1 (sector)". Fonts are DejaVu Sans, embedded, so every name prints as typed.

Sections: cover, plain-English summary, community DNA (radar and banded bars), indicator table,
perception gaps by sector, network picture, action plan, method; page numbers and a footer.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from fieldkit import vocab
from fieldkit.errors import FieldkitError
from fieldkit.packs import charts, text
from fieldkit.packs.fonts import BOLD, REGULAR, register_fonts
from fieldkit.packs.people import display_names
from fieldkit.packs.progress import CancelFn, ProgressFn, Steps

PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
BODY_W = PAGE_W - 2 * MARGIN
LOW_BASE_MARK = "†"


@dataclass
class PdfPackInput:
    """What the partner report shows; plain data so a test can hand-make it."""

    project_name: str
    summary: dict[str, Any]  # Summary.to_dict()
    site: str
    round: str
    compare: list[str] = field(default_factory=list)  # other sites shown beside `site`
    networks: dict[str, dict[str, Any]] = field(default_factory=dict)  # site -> network view
    actions: list[dict[str, Any]] = field(default_factory=list)
    interview_dates: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    logos: list[Path] = field(default_factory=list)
    generated: dt.date = field(default_factory=dt.date.today)

    @property
    def sites(self) -> list[str]:
        return [self.site, *[s for s in self.compare if s != self.site]]

    def entry(self, site: str) -> dict[str, Any]:
        try:
            return self.summary["sites"][site][self.round]
        except KeyError:
            known = ", ".join(
                f"{s} {r}" for s, rounds in self.summary.get("sites", {}).items() for r in rounds
            )
            raise FieldkitError(
                f"the summary has no figures for site '{site}', round '{self.round}' "
                f"(it has: {known or 'nothing yet'})"
            ) from None


# -- styles -------------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    ink = colors.HexColor(vocab.palette()["ui"]["text"])
    accent = colors.HexColor(vocab.palette()["ui"]["accent"])
    muted = colors.HexColor(vocab.palette()["ui"]["muted"])
    body = ParagraphStyle(
        "body", fontName=REGULAR, fontSize=10.5, leading=15, textColor=ink, spaceAfter=6
    )
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11.5, textColor=muted),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=body, fontName=BOLD, fontSize=8.5, leading=10.5, spaceAfter=0
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=body,
            fontName=BOLD,
            fontSize=20,
            leading=25,
            textColor=accent,
            spaceAfter=10,
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=BOLD, fontSize=13, leading=17, spaceBefore=8, spaceAfter=4
        ),
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=BOLD,
            fontSize=30,
            leading=36,
            textColor=accent,
            alignment=TA_CENTER,
            spaceAfter=14,
        ),
        "subtitle": ParagraphStyle(
            "subtitle", parent=body, fontSize=16, leading=22, alignment=TA_CENTER, spaceAfter=8
        ),
        "centre": ParagraphStyle("centre", parent=body, alignment=TA_CENTER, textColor=muted),
    }


def _p(value: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(value)), style)


def _num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _signed(value: float | None) -> str:
    if value is None:
        return "–"
    shown = round(value)  # the arrow follows the figure printed: never "► -0" or "▲ +0"
    if shown == 0:
        return "► 0"
    return f"{'▲' if shown > 0 else '▼'} {shown:+d}"


def _table_style(header_rows: int = 1) -> list[tuple]:
    accent = colors.HexColor(vocab.palette()["ui"]["accent"])
    return [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("FONTNAME", (0, 0), (-1, header_rows - 1), BOLD),
        ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), colors.white),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), accent),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#D0D4D6")),
        ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, colors.HexColor("#F4F5F2")]),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]


def _band_cell_style(col: int, row: int, figure: Mapping[str, Any]) -> list[tuple]:
    if figure.get("score") is None:
        return []
    band_id = "low_base" if figure.get("low_base") else figure.get("band")
    hex_colour = vocab.band_colour(band_id)
    fg = (
        charts.colour("#FFFFFF")
        if band_id in ("brittle", "resilient")
        else charts.colour("#1A1A1A")
    )
    return [
        ("BACKGROUND", (col, row), (col, row), charts.colour(hex_colour)),
        ("TEXTCOLOR", (col, row), (col, row), fg),
        ("FONTNAME", (col, row), (col, row), BOLD),
    ]


def band_words(figure: Mapping[str, Any]) -> str:
    if figure.get("score") is None:
        return "No score"
    if figure.get("low_base"):
        return f"Low base {LOW_BASE_MARK}"
    return figure.get("band_label") or text._band_label(figure.get("band")) or "–"


# -- page furniture -----------------------------------------------------------------------------


def _numbered_canvas(footer: str):
    """A canvas that writes 'Page n of N' and the footer once the page count is known."""

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any):
            # reportlab's page preamble otherwise selects Helvetica (Latin-1, not embedded).
            kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                if self._pageNumber > 1:
                    self.setFont(REGULAR, 8)
                    self.setFillColor(charts.colour(vocab.palette()["ui"]["muted"]))
                    self.setStrokeColor(charts.colour("#D0D4D6"))
                    self.line(MARGIN, 14 * mm, PAGE_W - MARGIN, 14 * mm)
                    self.drawString(MARGIN, 10 * mm, footer)
                    self.drawRightString(
                        PAGE_W - MARGIN, 10 * mm, f"Page {self._pageNumber} of {total}"
                    )
                super().showPage()
            super().save()

    return NumberedCanvas


# -- sections -----------------------------------------------------------------------------------


def _cover(data: PdfPackInput, st: dict[str, ParagraphStyle]) -> list[Any]:
    flow: list[Any] = [Spacer(1, 40 * mm)]
    logos = [p for p in data.logos if Path(p).is_file()]
    if logos:
        row = [Image(str(p), width=35 * mm, height=20 * mm, kind="proportional") for p in logos]
        logo_table = Table([row])
        logo_table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR)]))
        flow += [logo_table, Spacer(1, 10 * mm)]
    places = " and ".join(data.sites) if len(data.sites) <= 3 else ", ".join(data.sites)
    flow += [
        _p("Community DNA", st["title"]),
        _p(places, st["subtitle"]),
        _p(f"{data.round}", st["subtitle"]),
        Spacer(1, 12 * mm),
        _p(data.project_name, st["centre"]),
        _p(f"Report produced {data.generated:%d %B %Y}", st["centre"]),
        Spacer(1, 25 * mm),
        _p(
            "How resilient is this place? This report looks at the relationships within and "
            "between the public sector, community groups, local businesses and local people, "
            "and shows where they are brittle and where they are resilient.",
            st["body"],
        ),
        PageBreak(),
    ]
    return flow


def _summary_page(data: PdfPackInput, st: dict[str, ParagraphStyle]) -> list[Any]:
    flow: list[Any] = [_p(f"Summary: {data.site}, {data.round}", st["h1"])]
    view = data.networks.get(data.site)
    paragraphs = text.summary_paragraphs(data.entry(data.site), view, display_names(view))
    for heading, sentences in paragraphs.items():
        flow.append(_p(heading, st["h2"]))
        flow.append(_p(" ".join(sentences), st["body"]))
    for other in data.sites[1:]:
        flow.append(_p(f"Compared with {other}", st["h2"]))
        sentences = text.strongest_and_weakest(data.entry(other)["indicators"])
        flow.append(_p(" ".join(sentences), st["body"]))
    flow.append(PageBreak())
    return flow


def _indicator_ids(data: PdfPackInput) -> list[str]:
    ids: list[str] = []
    for site in data.sites:
        for iid in data.entry(site).get("indicators", {}):
            if iid not in ids:
                ids.append(iid)
    return ids


def _bars(entry: Mapping[str, Any]) -> list[charts.Bar]:
    return [
        charts.Bar(
            label=fig.get("name", iid),
            score=fig.get("score"),
            ci_low=fig.get("ci_low"),
            ci_high=fig.get("ci_high"),
            n=fig.get("n", 0),
            band_id=fig.get("band"),
            band_label=band_words(fig).replace(f" {LOW_BASE_MARK}", ""),
            low_base=bool(fig.get("low_base")),
        )
        for iid, fig in entry.get("indicators", {}).items()
    ]


def _dna_page(data: PdfPackInput, st: dict[str, ParagraphStyle]) -> list[Any]:
    ids = _indicator_ids(data)
    first = data.entry(data.site)["indicators"]
    labels = [first.get(i, {}).get("name", i) for i in ids]
    series = [
        (site, [data.entry(site)["indicators"].get(i, {}).get("score") for i in ids])
        for site in data.sites
    ]
    flow: list[Any] = [
        _p("The community DNA", st["h1"]),
        _p(
            "Each spoke is one indicator on a 0-100 scale; the shaded rings are the bands, "
            "from Brittle (centre) to Resilient (outside). The bars below give each score with "
            "its band in words and its 95% confidence interval.",
            st["body"],
        ),
        charts.radar_chart(labels, series, width=BODY_W, height=300),
    ]
    for site in data.sites:
        bars = charts.banded_bars(_bars(data.entry(site)), width=BODY_W)
        flow.append(KeepTogether([_p(site, st["h2"]), bars]))
    flow.append(PageBreak())
    return flow


def _indicator_table(data: PdfPackInput, st: dict[str, ParagraphStyle]) -> list[Any]:
    flow: list[Any] = [_p("The indicators", st["h1"])]
    for site in data.sites:
        entry = data.entry(site)
        rows: list[list[Any]] = [["Indicator", "Score", "95% interval", "n", "Band", "Change"]]
        style = _table_style()
        for r, (iid, fig) in enumerate(entry.get("indicators", {}).items(), start=1):
            change = (fig.get("change") or {}).get("delta")
            rows.append(
                [
                    _p(fig.get("name", iid), st["cell"]),
                    _num(fig.get("score")),
                    f"{_num(fig.get('ci_low'))}–{_num(fig.get('ci_high'))}"
                    if fig.get("ci_low") is not None
                    else "–",
                    str(fig.get("n", 0)),
                    band_words(fig),
                    _signed(change),
                ]
            )
            style += _band_cell_style(4, r, fig)
        widths = [BODY_W * w for w in (0.38, 0.1, 0.16, 0.08, 0.16, 0.12)]
        table = Table(rows, colWidths=widths, repeatRows=1)
        style += [("ALIGN", (1, 0), (-1, -1), "CENTER")]
        table.setStyle(TableStyle(style))
        previous = next(
            (
                fig["change"]["previous_round"]
                for fig in entry.get("indicators", {}).values()
                if fig.get("change")
            ),
            None,
        )
        flow += [
            _p(f"{site}, {data.round}: {entry.get('n_interviews', 0)} interviews", st["h2"]),
            table,
        ]
        notes = [
            f"{LOW_BASE_MARK} Low base: fewer than {vocab.LOW_BASE_THRESHOLD} answers; shown with "
            "its n but not banded."
        ]
        if previous:
            notes.append(f"Change: points since {previous}.")
        flow.append(_p(" ".join(notes), st["small"]))
    flow.append(PageBreak())
    return flow


def _gaps_page(data: PdfPackInput, st: dict[str, ParagraphStyle]) -> list[Any]:
    flow: list[Any] = [
        _p("Perception gaps between sectors", st["h1"]),
        _p(
            "How respondents from each sector score the same indicator. A large gap means the "
            "sectors see the relationship differently: a place to start a conversation.",
            st["body"],
        ),
    ]
    for site in data.sites:
        indicators = data.entry(site).get("indicators", {})
        sectors = [
            s
            for s in vocab.SECTORS
            if any(s in (fig.get("by_sector") or {}) for fig in indicators.values())
        ]
        header = ["Indicator"] + [vocab.SECTOR_LABELS[s].split(" ")[0] for s in sectors]
        rows: list[list[Any]] = [header + ["Largest gap"]]
        style = _table_style()
        for r, (iid, fig) in enumerate(indicators.items(), start=1):
            row: list[Any] = [_p(fig.get("name", iid), st["cell"])]
            gap = fig.get("gap") or {}
            for c, sector in enumerate(sectors, start=1):
                est = (fig.get("by_sector") or {}).get(sector)
                if not est or est.get("score") is None:
                    row.append("–")
                    continue
                mark = f" {LOW_BASE_MARK}" if est.get("low_base") else ""
                row.append(f"{est['score']:.0f}{mark}\n(n={est.get('n', 0)})")
                if sector in (gap.get("high_sector"), gap.get("low_sector")):
                    style.append(("FONTNAME", (c, r), (c, r), BOLD))
                    style.append(("BACKGROUND", (c, r), (c, r), charts.tint("#E69F00", 0.35)))
            row.append(text.points(gap["difference"]) if gap.get("difference") is not None else "–")
            rows.append(row)
        first = BODY_W * 0.3
        rest = (BODY_W - first) / (len(sectors) + 1)
        table = Table(rows, colWidths=[first] + [rest] * (len(sectors) + 1), repeatRows=1)
        style += [("ALIGN", (1, 0), (-1, -1), "CENTER")]
        table.setStyle(TableStyle(style))
        flow += [_p(site, st["h2"]), table, Spacer(1, 3 * mm)]
        flow.append(_p(" ".join(text.biggest_gaps(indicators)), st["body"]))
    flow.append(
        _p(
            f"Highlighted: the two sectors furthest apart. {LOW_BASE_MARK} fewer than "
            f"{vocab.LOW_BASE_THRESHOLD} respondents from that sector (low base): "
            "not used for gaps.",
            st["small"],
        )
    )
    flow.append(PageBreak())
    return flow


def _network_pages(data: PdfPackInput, st: dict[str, ParagraphStyle]) -> list[Any]:
    flow: list[Any] = []
    for site in data.sites:
        view = data.networks.get(site)
        flow.append(_p(f"How the sectors connect: {site}", st["h1"]))
        names = display_names(view)
        flow.append(_p(" ".join(text.network_sentences(view, names)), st["body"]))
        if view and view.get("actors"):
            flow.append(charts.network_picture(view, names, width=BODY_W, height=400))
            m = view.get("metrics") or {}
            listing = [
                [
                    "Brokers (go-betweens)",
                    ", ".join(names.get(k, k) for k in m.get("brokers") or []) or "none",
                ],
                [
                    "Single points of failure",
                    ", ".join(names.get(k, k) for k in m.get("articulation_points") or [])
                    or "none",
                ],
                [
                    "Not connected to anyone",
                    ", ".join(names.get(k, k) for k in m.get("isolates") or []) or "none",
                ],
            ]
            table = Table(
                [[_p(a, st["cell_bold"]), _p(b, st["cell"])] for a, b in listing],
                colWidths=[BODY_W * 0.3, BODY_W * 0.7],
            )
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, charts.colour("#D0D4D6")),
                    ]
                )
            )
            flow += [Spacer(1, 4 * mm), table]
            mixing = _mixing_table(view, st)
            if mixing is not None:
                flow += [Spacer(1, 4 * mm), _p("Ties between sectors", st["h2"]), mixing]
        flow.append(PageBreak())
    return flow


def _mixing_table(view: Mapping[str, Any], st: dict[str, ParagraphStyle]) -> Table | None:
    """Tied pairs of actors between each pair of the sectors present on the maps."""
    mixing = (view.get("metrics") or {}).get("mixing") or {}
    present = [s for s in vocab.SECTORS if any(a.get("sector") == s for a in view["actors"])]
    if len(present) < 2:
        return None
    short = {s: vocab.SECTOR_LABELS[s].split(" ")[0] for s in present}
    rows: list[list[Any]] = [[""] + [short[s] for s in present]]
    for a in present:
        rows.append([short[a]] + [str((mixing.get(a) or {}).get(b, 0)) for b in present])
    width = min(BODY_W, 28 * mm * (len(present) + 1))
    table = Table(rows, colWidths=[width / (len(present) + 1)] * (len(present) + 1), hAlign="LEFT")
    style = _table_style() + [
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("FONTNAME", (0, 0), (0, -1), BOLD),
    ]
    table.setStyle(TableStyle(style))
    return table


def _actions_page(data: PdfPackInput, st: dict[str, ParagraphStyle]) -> list[Any]:
    flow: list[Any] = [_p("Action plan", st["h1"])]
    names = {iid: fig.get("name", iid) for iid, fig in data.entry(data.site)["indicators"].items()}
    chosen = [a for a in data.actions if a.get("site_name") in data.sites or not a.get("site_name")]
    covered = {i for a in chosen for i in a.get("indicators") or []}
    weak = [
        fig.get("name", iid)
        for iid, fig in data.entry(data.site)["indicators"].items()
        if fig.get("band") in ("brittle", "vulnerable") and iid not in covered
    ]
    if weak:
        flow.append(_p(f"Brittle or vulnerable with no action yet: {', '.join(weak)}.", st["body"]))
    if not chosen:
        flow.append(_p("No actions have been agreed yet for this site and round.", st["body"]))
    else:
        rows: list[list[Any]] = [["Action", "Addresses", "Lead", "Partners", "Due", "Status"]]
        for action in chosen:
            due = action.get("due")
            rows.append(
                [
                    _p(action.get("title", ""), st["cell_bold"]),
                    _p(
                        ", ".join(names.get(i, i) for i in action.get("indicators") or []),
                        st["cell"],
                    ),
                    _p(vocab.SECTOR_LABELS.get(action.get("lead_sector"), "–"), st["cell"]),
                    _p(action.get("partners") or "–", st["cell"]),
                    _p(dt.date.fromisoformat(due).strftime("%d %b %Y") if due else "–", st["cell"]),
                    _p(vocab.ACTION_STATUS_LABELS.get(action.get("status"), "–"), st["cell"]),
                ]
            )
        widths = [BODY_W * w for w in (0.3, 0.2, 0.13, 0.15, 0.11, 0.11)]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(_table_style() + [("VALIGN", (0, 0), (-1, -1), "TOP")]))
        flow.append(table)
    flow.append(PageBreak())
    return flow


def _method_page(data: PdfPackInput, st: dict[str, ParagraphStyle]) -> list[Any]:
    framework = data.summary.get("framework") or {}
    bands = ", ".join(f"{band.label} from {band.lower:g}" for band in vocab.DEFAULT_BANDS)
    lines = []
    for site in data.sites:
        entry = data.entry(site)
        first, last = data.interview_dates.get(site, (None, None))
        when = f", interviews from {first} to {last}" if first and last else ""
        lines.append(
            f"{site}, {data.round}: {entry.get('n_interviews', 0)} interviews and "
            f"{entry.get('maps', 0)} relationship maps{when}."
        )
    flow: list[Any] = [
        _p("How the figures were made", st["h1"]),
        _p("Scores", st["h2"]),
        _p(
            "Each indicator has three statements that people rate from 1 (strongly disagree) "
            'to 5 (strongly agree); "don\'t know" is not scored, and some statements count in '
            "reverse. A person's indicator score is the mean of their answers, kept when at "
            "least two of the three are answered, and put on a 0-100 scale. The score shown "
            "is the mean over everyone interviewed, with a 95% confidence interval: the range "
            "the true figure most likely lies in. Where relationship maps were made, the "
            "relationship indicators also count how well the sectors are actually tied to each "
            "other on the maps.",
            st["body"],
        ),
        _p("Bands", st["h2"]),
        _p(
            f"{bands} (on 0-100). Bands are always named in words as well as shown in colour.",
            st["body"],
        ),
        _p("Low base", st["h2"]),
        _p(
            f"A figure from fewer than {vocab.LOW_BASE_THRESHOLD} scored interviews is marked "
            f'"low base" ({LOW_BASE_MARK}): it is shown with its n, but not banded and not '
            "used for perception gaps, because so few answers could easily mislead.",
            st["body"],
        ),
        _p("What this report rests on", st["h2"]),
        *[_p(line, st["body"]) for line in lines],
        _p(
            f"Framework: {framework.get('title', '')} (version {framework.get('version', '')}).",
            st["body"],
        ),
        _p("Privacy", st["h2"]),
        _p(
            "This report holds no personal data: no names of respondents, no contact details, "
            "no free-text comments. People named on relationship maps are shown only as "
            '"Person n" with their sector.',
            st["body"],
        ),
    ]
    return flow


def write_pdf_pack(
    path: str | os.PathLike[str],
    data: PdfPackInput,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> Path:
    """Write the partner report to `path` (atomically: a cancelled export leaves nothing)."""
    target = Path(path)
    for site in data.sites:
        data.entry(site)  # refuse before writing anything
    sections = [
        _cover,
        _summary_page,
        _dna_page,
        _indicator_table,
        _gaps_page,
        _network_pages,
        _actions_page,
        _method_page,
    ]
    steps = Steps(len(sections) + 1, progress, cancel, what="PDF export")
    st = _styles()
    story: list[Any] = []
    steps.check()
    for section in sections:
        story += section(data, st)
        steps.advance()
    footer = f"{data.project_name} · {' / '.join(data.sites)} · {data.round}"
    tmp = target.with_name(f".{target.name}.part")
    target.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(
        str(tmp),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=20 * mm,
        title=f"Community DNA: {' / '.join(data.sites)}, {data.round}",
        author=data.project_name,
        creator="fieldkit",
        initialFontName=REGULAR,
    )
    try:
        doc.build(story, canvasmaker=_numbered_canvas(footer))
        steps.check()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    steps.finish()
    return target
