"""What each benchmark process runs: fieldkit's side and its floor, one function each.

A side takes the work dir its case prepared and returns `{"times": [seconds, ...]}` (one per
timed repetition; setup is never timed) or, for start-up, `{"shown_at": perf_counter()}` so
the parent can time from spawn to window. `Unavailable` says a module fieldkit needs for the
side is not written yet; the row then says so instead of showing a number.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import random
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.benchmarks import data

perf = time.perf_counter


class Unavailable(Exception):
    """A side cannot run: the module (or function) it measures does not exist yet."""


def need(module: str, *names: str) -> Any:
    """Import `module` (and check it has `names`), or raise Unavailable naming what is missing."""
    import importlib

    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
            raise Unavailable(f"{exc.name} missing") from exc
        raise
    for name in names:
        if not hasattr(mod, name):
            raise Unavailable(f"{module}.{name} missing")
    return mod


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = perf()
        fn()
        times.append(perf() - start)
    return times


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# -- cold start ----------------------------------------------------------------------------------


def startup_fieldkit(work: Path, repeat: int) -> dict[str, Any]:
    """`fieldkit` with no command (fieldkit.cli.main -> run_gui), up to the window shown.

    The runner starts tests/benchmarks/startup_probe.py by path instead of this worker, so no
    benchmark module is imported before the timed start; this is the same code, in-process.
    """
    from tests.benchmarks import startup_probe

    return startup_probe.fieldkit_start(work)


def startup_bare(work: Path, repeat: int) -> dict[str, Any]:
    """The floor: PySide6 alone, an empty QMainWindow shown (see startup_probe.bare_start)."""
    from tests.benchmarks import startup_probe

    return startup_probe.bare_start(work)


# -- forms ---------------------------------------------------------------------------------------


def timed_from_clean_heap(
    fn: Callable[[], Any], repeat: int, before: Callable[[], Any] | None = None
) -> list[float]:
    """timed(), each repetition after `before` and a full garbage collection (both untimed):
    a repetition pays for its own work, not for collecting what an earlier one left behind
    (a Form's parent links are cycles that wait for the collector; pyxform's JSON is not)."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        gc.collect()
        start = perf()
        fn()
        times.append(perf() - start)
    return times


def form_load_fieldkit(work: Path, repeat: int) -> dict[str, Any]:
    """A first load each time: the checks' caches by expression text are cleared (untimed)
    before every repetition, as a form is new to a process the first time it is loaded."""
    load = need("fieldkit.forms.load", "load_form").load_form
    clear = need("fieldkit.forms.check", "clear_caches").clear_caches
    path = work / "big_form.md"
    return {"times": timed_from_clean_heap(lambda: load(path), repeat, before=clear)}


def form_load_pyxform(work: Path, repeat: int) -> dict[str, Any]:
    """pyxform's own parse: read the file and convert it to pyxform's JSON, nothing more."""
    from pyxform.xls2json import workbook_to_json
    from pyxform.xls2json_backends import get_xlsform

    path = work / "big_form.md"

    def parse() -> None:
        definition = get_xlsform(path)
        workbook_to_json(
            workbook_dict=definition,
            fallback_form_name=definition.fallback_form_name,
            warnings=[],
        )

    return {"times": timed_from_clean_heap(parse, repeat)}


def answer_fieldkit(work: Path, repeat: int) -> dict[str, Any]:
    """One answer set on the engine, relevance (and everything else) propagated: per call."""
    load = need("fieldkit.forms.load", "load_form").load_form
    interview_mod = need("fieldkit.forms.interview", "Interview")
    form = load(work / "big_form.md")
    interview = interview_mod.Interview(form)
    rng = random.Random(data.SEED)
    controlling = [f"q{i:04d}" for i in range(0, 2000, 2)]
    times = []
    for n in range(repeat):
        key = controlling[n % len(controlling)] if n % 10 else "q0000"
        index = int(key[1:])
        value: Any = rng.choice(data.FIVE) if index % 4 == 2 else rng.randint(0, 5)
        start = perf()
        interview.set(key, value)
        times.append(perf() - start)
    return {"times": times}


# -- autosave ------------------------------------------------------------------------------------


def autosave_fieldkit(work: Path, repeat: int) -> dict[str, Any]:
    from fieldkit.store import open_project_file

    info = _json(work / "autosave.json")
    project = open_project_file(Path(info["project"]), work / "data", backup=False)
    rng = random.Random(data.SEED)
    iid = info["interview"]
    times = []
    try:
        for n in range(repeat):
            key, value = f"w{n % 150:03d}", rng.randint(0, 10**6)
            start = perf()
            project.interviews.set_answer(iid, key, value)
            times.append(perf() - start)
    finally:
        project.close()
    return {"times": times}


UPSERT = (
    "INSERT INTO answers (interview, key, value, updated) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (interview, key) DO UPDATE SET value = excluded.value, updated = excluded.updated"
)
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA secure_delete=ON",
)


def bare_connect(path: Path) -> sqlite3.Connection:
    """sqlite3 with the project's pragmas (WAL, synchronous=FULL, foreign keys, secure_delete)."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    for pragma in PRAGMAS:
        conn.execute(pragma)
    return conn


def autosave_bare(work: Path, repeat: int) -> dict[str, Any]:
    """The floor: the same UPSERT on a copy of the same file, BEGIN ... COMMIT, nothing else."""
    info = _json(work / "autosave.json")
    conn = bare_connect(Path(info["floor"]))
    rng = random.Random(data.SEED)
    iid = info["interview"]
    times = []
    for n in range(repeat):
        key, value = f"w{n % 150:03d}", rng.randint(0, 10**6)
        start = perf()
        conn.execute("BEGIN")
        conn.execute(UPSERT, (iid, key, json.dumps(value), "2026-01-01T00:00:00.000+00:00"))
        conn.execute("COMMIT")
        times.append(perf() - start)
    conn.close()
    return {"times": times}


# -- indicators ----------------------------------------------------------------------------------

SITES = ("Cheetham Hill", "Broughton", "Harpurhey", "Moss Side")
ROUNDS = ("baseline", "follow-up")


def summary_records(framework: Any, count: int) -> list[Any]:
    """`count` finalized community_dna interviews: 4 sites x 2 rounds, every sector."""
    from fieldkit.indicators import InterviewRecord
    from fieldkit.vocab import SECTORS

    rng = random.Random(data.SEED)
    items = [item.name for item in framework.items()]
    codes = [*framework.scale.codes, *framework.scale.not_scored]
    weights = [1.0] * len(framework.scale.codes) + [0.25] * len(framework.scale.not_scored)
    records = []
    for n in range(count):
        site = SITES[n % len(SITES)]
        round_ = ROUNDS[(n // len(SITES)) % len(ROUNDS)]
        values = dict(zip(items, rng.choices(codes, weights, k=len(items)), strict=True))
        records.append(
            InterviewRecord(
                uuid=f"{n:08d}-0000-4000-8000-000000000000",
                site=site,
                round=round_,
                fieldworker=f"fw{n % 4}",
                respondent_sector=rng.choice(SECTORS),
                values=values,
                finalized_at=f"2026-{1 + (n // len(SITES)) % len(ROUNDS) * 6:02d}-15T10:00:00",
            )
        )
    return records


def summary_fieldkit(work: Path, repeat: int) -> dict[str, Any]:
    indicators = need("fieldkit.indicators", "summarise", "load_framework")
    framework = indicators.load_framework()
    records = summary_records(framework, 5000)
    return {"times": timed(lambda: indicators.summarise(records, framework, rounds=ROUNDS), repeat)}


def summary_bare(work: Path, repeat: int) -> dict[str, Any]:
    """The floor: the arithmetic alone, in plain Python over the same answers.

    Per interview and indicator the mean of its scored items (reverse items flipped), then per
    site x round, and per sector within it, the mean of those: no intervals, bands, gaps,
    change or provenance.
    """
    indicators = need("fieldkit.indicators", "load_framework")
    framework = indicators.load_framework()
    records = summary_records(framework, 5000)
    low, high = framework.scale.minimum, framework.scale.maximum
    scored = set(framework.scale.codes)
    plan = [
        (ind.id, [(item.name, item.reverse) for item in ind.items]) for ind in framework.indicators
    ]

    def compute() -> dict[Any, float]:
        sums: dict[Any, list[float]] = {}
        for record in records:
            values = record.values
            for indicator_id, items in plan:
                total, count = 0, 0
                for name, reverse in items:
                    raw = values.get(name)
                    if raw in scored:
                        v = int(raw)
                        total += (low + high - v) if reverse else v
                        count += 1
                if count:
                    score = (total / count - low) / (high - low) * 100
                    for key in (
                        (record.site, record.round, indicator_id),
                        (record.site, record.round, indicator_id, record.respondent_sector),
                    ):
                        acc = sums.setdefault(key, [0.0, 0])
                        acc[0] += score
                        acc[1] += 1
        return {key: total / n for key, (total, n) in sums.items()}

    return {"times": timed(compute, repeat)}


# -- mapping -------------------------------------------------------------------------------------

ACTORS, TIES = 500, 3000


def site_network() -> Any:
    network_mod = need("fieldkit.mapping.network", "SiteNetwork", "NetworkActor", "NetworkTie")
    from fieldkit.vocab import SECTORS

    rng = random.Random(data.SEED)
    actors = {
        f"actor {i:03d}": network_mod.NetworkActor(
            key=f"actor {i:03d}",
            name=f"Actor {i:03d}",
            sector=SECTORS[i % len(SECTORS)],
            kind="organisation",
            influence=float(rng.randint(0, 10)),
            names=[f"Actor {i:03d}"],
            map_ids=["m1"],
        )
        for i in range(ACTORS)
    }
    ties = [
        network_mod.NetworkTie(
            source=f"actor {a:03d}",
            target=f"actor {b:03d}",
            type=kind,
            direction="one-way",
            weight=1,
            strength=float(strength),
            map_ids=["m1"],
        )
        for a, b, strength, kind in data.network_edges(random.Random(data.SEED), ACTORS, TIES)
    ]
    return network_mod.SiteNetwork(
        site="Bench", round="baseline", map_ids=["m1"], actors=actors, ties=ties
    )


def bare_graph(directed: bool) -> Any:
    import networkx as nx

    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_nodes_from(range(ACTORS))
    for a, b, strength, _ in data.network_edges(random.Random(data.SEED), ACTORS, TIES):
        old = graph.get_edge_data(a, b)
        if old is None or strength > old["strength"]:
            graph.add_edge(a, b, strength=strength, distance=1.0 / strength)
    return graph


def metrics_fieldkit(work: Path, repeat: int) -> dict[str, Any]:
    metrics = need("fieldkit.mapping.metrics", "compute_metrics")
    network = site_network()
    return {"times": timed(lambda: metrics.compute_metrics(network, seed=0), repeat)}


def metrics_bare(work: Path, repeat: int) -> dict[str, Any]:
    """The floor: networkx's sampled betweenness (200 sources) alone, the costliest measure."""
    import networkx as nx

    graph = bare_graph(directed=True)
    return {
        "times": timed(
            lambda: nx.betweenness_centrality(graph, k=200, weight="distance", seed=0), repeat
        )
    }


def _layout(method: str, repeat: int) -> dict[str, Any]:
    layout = need("fieldkit.mapping.layout", "layout_positions")
    from fieldkit.errors import FieldkitError

    network = site_network()
    try:
        layout.layout_positions(network, method, seed=0, keep=False)
    except FieldkitError as exc:
        raise Unavailable(str(exc).split(";")[0]) from exc
    return {
        "times": timed(lambda: layout.layout_positions(network, method, seed=0, keep=False), repeat)
    }


def layout_spring_fieldkit(work: Path, repeat: int) -> dict[str, Any]:
    return _layout("spring", repeat)


def layout_spring_bare(work: Path, repeat: int) -> dict[str, Any]:
    """The floor: networkx's spring layout of the same undirected graph."""
    import networkx as nx

    try:
        import numpy  # noqa: F401
    except ImportError as exc:
        raise Unavailable("numpy missing (networkx's spring layout needs it)") from exc
    graph = bare_graph(directed=False)
    return {"times": timed(lambda: nx.spring_layout(graph, weight="strength", seed=0), repeat)}


def layout_sector_fieldkit(work: Path, repeat: int) -> dict[str, Any]:
    return _layout("sector", repeat)


# -- packs ---------------------------------------------------------------------------------------


def excel_fieldkit(work: Path, repeat: int) -> dict[str, Any]:
    """The Excel pack of the prepared project: gather from the store, then write the workbook."""
    collect = need("fieldkit.packs.collect", "excel_input")
    excel = need("fieldkit.packs.excel", "write_excel_pack")
    from fieldkit.store import open_project_file

    info = _json(work / "excel.json")
    out = work / "pack.xlsx"

    def run() -> None:
        project = open_project_file(Path(info["project"]), work / "data", backup=False)
        try:
            excel.write_excel_pack(out, collect.excel_input(project))
        finally:
            project.close()

    return {"times": timed(run, repeat), "bytes": out.stat().st_size}


EXCEL_META = (
    "uuid",
    "site",
    "round",
    "fieldworker",
    "respondent_code",
    "respondent_sector",
    "language",
    "form_version",
    "started",
    "finalized",
)


def _naive_utc(stamp: str | None) -> dt.datetime | None:
    """An ISO timestamp as Excel holds it: naive UTC (what the pack writes)."""
    if not stamp:
        return None
    value = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def bare_excel_dump(project: Path, out: Path, questions: int, sheet: str) -> None:
    """The data sheet's cells, read with bare sqlite3 and written by openpyxl write-only.

    The same cells as the pack's data sheet (one row per finalized interview: uuid, site,
    round, fieldworker, respondent code and sector, language, form version, started,
    finalized, then each answer, a select as its choice label), because the pack reads them
    from the same file; no styling, no other sheets, no summary.
    """
    from openpyxl import Workbook

    keys = [f"w{i:03d}" for i in range(questions)]
    choice_label = {c: c.upper() for c in data.FIVE}  # wide_form's choices
    selects = {key for i, key in enumerate(keys) if i % 5 in (1, 4)}  # wide_form's kinds
    conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    meta = {
        row[0]: [*row[:8], _naive_utc(row[8]), _naive_utc(row[9])]
        for row in conn.execute(
            "SELECT i.id, s.name, r.name, w.name, i.respondent_code, i.respondent_sector, "
            "i.language, NULLIF(f.version, ''), i.created, i.finalized FROM interviews i "
            "LEFT JOIN sites s ON s.id = i.site LEFT JOIN rounds r ON r.id = i.round "
            "LEFT JOIN fieldworkers w ON w.id = i.fieldworker JOIN forms f ON f.id = i.form "
            "WHERE i.status = 'finalized'"
        )
    }
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append([*EXCEL_META, *keys])
    answers = conn.execute(
        "SELECT a.interview, a.key, a.value FROM interviews i JOIN answers a "
        "ON a.interview = i.id WHERE i.status = 'finalized' ORDER BY i.finalized, i.id"
    )
    current, values = None, {}
    for interview, key, value in answers:
        if interview != current:
            if current is not None:
                ws.append([*meta[current], *(values.get(k) for k in keys)])
            current, values = interview, {}
        answer = json.loads(value)
        values[key] = choice_label.get(answer, answer) if key in selects else answer
    if current is not None:
        ws.append([*meta[current], *(values.get(k) for k in keys)])
    wb.save(out)
    conn.close()


def excel_bare(work: Path, repeat: int) -> dict[str, Any]:
    """The floor: the same data-sheet cells out of the same file (bare_excel_dump)."""
    info = _json(work / "excel.json")
    out = work / "bare.xlsx"

    def run() -> None:
        bare_excel_dump(Path(info["project"]), out, info["questions"], info["sheet"])

    return {"times": timed(run, repeat), "bytes": out.stat().st_size}


def pdf_fieldkit(work: Path, repeat: int) -> dict[str, Any]:
    """The PDF pack for one site and round of the demo project."""
    collect = need("fieldkit.packs.collect", "pdf_input")
    pdf = need("fieldkit.packs.pdf", "write_pdf_pack")
    from fieldkit.store import open_default_project

    info = _json(work / "pdf.json")
    out = work / "pack.pdf"

    def run() -> None:
        project = open_default_project(work / "data")
        try:
            pdf.write_pdf_pack(out, collect.pdf_input(project, info["site"], info["round"]))
        finally:
            project.close()

    return {"times": timed(run, repeat), "bytes": out.stat().st_size}


def pdf_bare(work: Path, repeat: int) -> dict[str, Any]:
    """The floor: reportlab alone, 8 A4 pages each with a heading, text, a 10-row table, a chart."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    out = work / "bare.pdf"
    styles = getSampleStyleSheet()
    rng = random.Random(data.SEED)

    def run() -> None:
        story: list[Any] = []
        for page in range(8):
            story.append(Paragraph(f"Section {page + 1}", styles["Heading1"]))
            story.append(Paragraph("Plain text of the section. " * 40, styles["BodyText"]))
            rows = [["Indicator", "Score", "n", "Band"]] + [
                [f"Indicator {i}", f"{rng.uniform(0, 100):.0f}", str(rng.randint(5, 60)), "steady"]
                for i in range(10)
            ]
            story.append(Table(rows))
            drawing = Drawing(400, 200)
            chart = HorizontalBarChart()
            chart.x, chart.y, chart.width, chart.height = 60, 10, 320, 180
            chart.data = [[rng.uniform(0, 100) for _ in range(10)]]
            drawing.add(chart)
            story.append(drawing)
            story.append(PageBreak())
        SimpleDocTemplate(str(out), pagesize=A4).build(story)

    return {"times": timed(run, repeat), "bytes": out.stat().st_size}


# -- bundles -------------------------------------------------------------------------------------


def bundles_fieldkit(work: Path, repeat: int) -> dict[str, Any]:
    """Import every prepared bundle into a fresh copy of the coordinator's project."""
    bundles = need("fieldkit.store.bundles", "import_bundles")
    from fieldkit.store import open_project_file

    info = _json(work / "bundles.json")
    paths = [Path(p) for p in info["bundles"]]

    from fieldkit.errors import FieldkitError

    imported: list[int] = []

    def run() -> None:
        project = open_project_file(Path(info["coordinator"]), work / "coordinator", backup=False)
        try:
            results = bundles.import_bundles(project, paths)
            imported.append(sum(project.interviews.counts().values()))
        finally:
            project.close()
        refused = [r for r in results if isinstance(r, FieldkitError)]
        if refused:  # a refusal is fast and would make a flattering, false figure
            raise RuntimeError(f"{len(refused)} bundle(s) refused: {refused[0]}")

    times = []
    for _ in range(repeat):
        _restore(Path(info["coordinator"]), Path(info["coordinator_clean"]))
        times.extend(timed(run, 1))
    if imported[-1] != info["interviews"]:
        raise RuntimeError(f"imported {imported[-1]} interviews, expected {info['interviews']}")
    return {"times": times, "interviews": imported[-1]}


def bundles_bare(work: Path, repeat: int) -> dict[str, Any]:
    """The floor: the same rows (fieldworkers, interviews, answers, audit), executemany'd in one
    transaction into a copy of the same coordinator file."""
    info = _json(work / "bundles.json")
    rows = _json(Path(info["rows"]))
    target = Path(info["floor"])

    def run() -> None:
        conn = bare_connect(target)
        conn.execute("BEGIN")
        for table, columns, values in rows["tables"]:
            verb = "INSERT OR IGNORE" if table == "fieldworkers" else "INSERT"
            conn.executemany(
                f"{verb} INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})",
                values,
            )
        conn.execute("COMMIT")
        conn.close()

    times = []
    for _ in range(repeat):
        _restore(target, Path(info["coordinator_clean"]))
        times.extend(timed(run, 1))
    return {"times": times}


def _restore(target: Path, clean: Path) -> None:
    import shutil

    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(clean, target)


def quantiles(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median": statistics.median(ordered), "p95": p95, "min": ordered[0]}
