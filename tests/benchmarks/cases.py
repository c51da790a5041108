"""The benchmark rows: what each measures, its size, its floor or goal, and how it is prepared.

Preparation (writing the generated form, filling a project, exporting bundles) runs in the
parent before the measured processes start and is never timed. A case whose fieldkit module is
missing is not prepared: its row says "not available: <module> missing".
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.benchmarks import data, sides

MB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str  # for --only and the JSON
    work: str  # what the row says fieldkit does
    size: str
    fieldkit: Callable[..., dict]
    floor: Callable[..., dict] | None  # None: compared with the goal only
    floor_label: str
    repeat: int  # timed repetitions inside one process (start-up: processes)
    quick_repeat: int
    requires: tuple[str, ...] = ()  # modules the prepare step needs
    prepare: Callable[[Path, bool], None] | None = None
    startup: bool = False  # timed from spawn to window shown, one process per repetition
    goal_ratio: float | None = None  # fieldkit / floor at most
    goal_seconds: float | None = None  # fieldkit's median at most
    goal_mb: float | None = None  # fieldkit's peak memory at most
    per_call: bool = False  # times are single calls: report median and p95
    quick_size: str | None = None  # the size --quick uses, when smaller
    # in-process rows with a floor: processes per side, alternated, their times pooled (a
    # process's own memory layout and hash seed move its median; --quick runs one)
    processes: int = 1


# -- preparation -----------------------------------------------------------------------------------


def _env() -> None:
    os.environ.setdefault("FIELDKIT_FIELDWORKER", "Bench Fieldworker")


def prepare_startup(work: Path, quick: bool) -> None:
    """A project to open, and fieldkit's bytecode compiled: an installed app has it, as the
    floor's PySide6 and standard library do (a checkout run with PYTHONDONTWRITEBYTECODE, as
    here, would otherwise compile fieldkit's modules on every start)."""
    import compileall

    import fieldkit
    from fieldkit.store import create_project

    _env()
    create_project(work / "data", "Bench start-up").close()
    compileall.compile_dir(Path(fieldkit.__file__).parent, quiet=1)


def prepare_big_form(work: Path, quick: bool) -> None:
    data.write(work / "big_form.md", data.big_form(2000, 1000))


def _wide_project(work: Path, name: str):
    """A project with the 150-question form imported, one site and one round."""
    from fieldkit.forms.load import load_form
    from fieldkit.store import create_project

    _env()
    form_path = data.write(work / "wide_form.md", data.wide_form(150))
    form = load_form(form_path)
    project = create_project(work / "data", name)
    record, _ = project.forms.add(form, form_path.read_bytes(), form_path.name)
    project.sites.add("Cheetham Hill")
    project.rounds.add("baseline")
    return project, record["id"]


def prepare_autosave(work: Path, quick: bool) -> None:
    project, form_pk = _wide_project(work, "Bench autosave")
    row = project.interviews.create(form_pk, site="Cheetham Hill", round="baseline")
    path = project.path
    project.close()
    floor = work / "floor.fieldkit"
    shutil.copyfile(path, floor)
    info = {"project": str(path), "floor": str(floor), "interview": row.id}
    (work / "autosave.json").write_text(json.dumps(info))


def _fill(project, form_pk: str, count: int, rng: random.Random, questions: int = 150) -> None:
    """`count` finalized interviews through the repositories, in one transaction."""
    with project.atomic():
        for _ in range(count):
            row = project.interviews.create(form_pk, site="Cheetham Hill", round="baseline")
            project.interviews.finalize(
                row.id,
                data.wide_answers(rng, questions),
                respondent_code=f"R{rng.randrange(10**6):06d}",
                respondent_sector=rng.choice(("public", "social", "commercial", "residents")),
            )


def prepare_excel(work: Path, quick: bool) -> None:
    count = 1000 if quick else 10_000
    project, form_pk = _wide_project(work, "Bench excel")
    _fill(project, form_pk, count, random.Random(data.SEED))
    path = project.path
    project.close()
    info = {"project": str(path), "interviews": count, "questions": 150, "sheet": "bench_wide"}
    (work / "excel.json").write_text(json.dumps(info))


def prepare_pdf(work: Path, quick: bool) -> None:
    demo = sides.need("fieldkit.indicators.demo", "create_demo")
    _env()
    project = demo.create_demo(work / "data")
    try:
        rows = project.interviews.list(status="finalized")
        site = next(r.site_name for r in rows if r.site_name)
        round_ = next(r.round_name for r in rows if r.site_name == site and r.round_name)
    finally:
        project.close()
    (work / "pdf.json").write_text(json.dumps({"site": site, "round": round_}))


BUNDLE_TABLES = ("fieldworkers", "interviews", "answers", "audit")


def prepare_bundles(work: Path, quick: bool) -> None:
    """20 laptops (copies of the coordinator's project, each its own device), 200 interviews
    each, one bundle each; the same rows kept as JSON for the floor."""
    bundles = sides.need("fieldkit.store.bundles", "export_bundle", "import_bundles")
    from fieldkit.store import open_project_file

    laptops, per = (4, 50) if quick else (20, 200)
    project, form_pk = _wide_project(work / "coordinator-src", "Bench bundles")
    clean = Path(project.path)
    project.close()
    coordinator_dir = work / "coordinator"
    coordinator_dir.mkdir()
    coordinator = coordinator_dir / clean.name
    shutil.copyfile(clean, coordinator)
    floor = work / "floor.fieldkit"
    shutil.copyfile(clean, floor)
    rng = random.Random(data.SEED)
    paths, tables = [], {t: ([], []) for t in BUNDLE_TABLES}
    for k in range(laptops):
        laptop_dir = work / f"laptop{k:02d}"
        laptop_dir.mkdir()
        shutil.copyfile(clean, laptop_dir / clean.name)
        os.environ["FIELDKIT_FIELDWORKER"] = f"Laptop {k:02d}"
        laptop = open_project_file(laptop_dir / clean.name, laptop_dir, backup=False)
        try:
            _fill(laptop, form_pk, per, rng, questions=30)
            out = work / f"laptop{k:02d}.fkb"
            bundles.export_bundle(laptop, out)
            paths.append(str(out))
        finally:
            laptop.close()
        conn = sqlite3.connect(laptop_dir / clean.name)
        for table in BUNDLE_TABLES:
            cursor = conn.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            keep = [i for i, n in enumerate(names) if n != "seq"]
            tables[table][0][:] = [names[i] for i in keep]
            tables[table][1].extend([row[i] for i in keep] for row in cursor)
        conn.close()
    os.environ["FIELDKIT_FIELDWORKER"] = "Bench Fieldworker"
    rows = {"tables": [[t, cols, values] for t, (cols, values) in tables.items()]}
    (work / "rows.json").write_text(json.dumps(rows))
    info = {
        "coordinator": str(coordinator),
        "coordinator_clean": str(clean),
        "floor": str(floor),
        "bundles": paths,
        "rows": str(work / "rows.json"),
        "interviews": laptops * per,
    }
    (work / "bundles.json").write_text(json.dumps(info))


# -- the rows --------------------------------------------------------------------------------------

CASES: tuple[Case, ...] = (
    Case(
        name="cold_start",
        work="cold start: `fieldkit` (cli.main -> run_gui) to main window shown, offscreen",
        size="fresh process, default project",
        fieldkit=sides.startup_fieldkit,
        floor=sides.startup_bare,
        floor_label="bare PySide6 QMainWindow, fresh process",
        repeat=11,  # fresh processes, ~0.3 s each; 5 left the median at the mercy of one
        quick_repeat=2,
        prepare=prepare_startup,
        startup=True,
        goal_ratio=1.5,
    ),
    Case(
        name="form_load",
        work="form load (fieldkit.forms.load_form)",
        size="2,000 questions, 1,000 relevant",
        fieldkit=sides.form_load_fieldkit,
        floor=sides.form_load_pyxform,
        floor_label="pyxform get_xlsform + workbook_to_json",
        repeat=10,  # per process: ~0.5 s a side
        quick_repeat=1,
        prepare=prepare_big_form,
        goal_ratio=1.2,
        processes=4,  # one process a side gave ratios 1.10x-1.20x run to run
    ),
    Case(
        name="answer",
        work="one answer applied + relevance refreshed (Interview.set)",
        size="2,000 questions, 1,000 relevant",
        fieldkit=sides.answer_fieldkit,
        floor=None,
        floor_label="goal 2 ms per answer (no bare equivalent)",
        repeat=500,
        quick_repeat=100,
        prepare=prepare_big_form,
        goal_seconds=0.002,
        per_call=True,
    ),
    Case(
        name="autosave",
        work="autosave: one answer durable (interviews.set_answer)",
        size="1 answer, WAL + synchronous=FULL",
        fieldkit=sides.autosave_fieldkit,
        floor=sides.autosave_bare,
        floor_label="bare sqlite3 UPSERT + COMMIT, same file and pragmas",
        repeat=300,
        quick_repeat=60,
        prepare=prepare_autosave,
        goal_ratio=2.0,
        per_call=True,
    ),
    Case(
        name="summary",
        work="summary (fieldkit.indicators.summarise)",
        size="5,000 interviews, 4 sites x 2 rounds",
        fieldkit=sides.summary_fieldkit,
        floor=sides.summary_bare,
        floor_label="plain-Python item means by site/round/sector",
        repeat=3,
        quick_repeat=1,
        goal_seconds=1.0,
    ),
    Case(
        name="metrics",
        work="network metrics (mapping.compute_metrics)",
        size="500 actors, 3,000 ties",
        fieldkit=sides.metrics_fieldkit,
        floor=sides.metrics_bare,
        floor_label="networkx sampled betweenness (k=200) alone",
        repeat=3,
        quick_repeat=1,
        goal_seconds=1.0,  # issue 5: all metrics of this network in < 1 s
    ),
    Case(
        name="layout_spring",
        work="layout, spring (mapping.layout_positions)",
        size="500 actors, 3,000 ties",
        fieldkit=sides.layout_spring_fieldkit,
        floor=sides.layout_spring_bare,
        floor_label="networkx spring_layout, same graph",
        repeat=3,
        quick_repeat=1,
        goal_seconds=3.0,  # issue 5: a layout of this network in < 3 s
    ),
    Case(
        name="layout_sector",
        work="layout, sector wedges (mapping.layout_positions)",
        size="500 actors, 3,000 ties",
        fieldkit=sides.layout_sector_fieldkit,
        floor=None,
        floor_label="goal 100 ms (a UI frame budget; no bare equivalent)",
        repeat=5,
        quick_repeat=2,
        goal_seconds=0.1,
    ),
    Case(
        name="excel",
        work="Excel pack (packs.excel, from the store)",
        size="10,000 interviews x 150 questions",
        fieldkit=sides.excel_fieldkit,
        floor=sides.excel_bare,
        floor_label="openpyxl write-only dump of the data sheet's cells, read by bare sqlite3",
        repeat=1,
        quick_repeat=1,
        requires=("fieldkit.packs.collect:excel_input", "fieldkit.packs.excel:write_excel_pack"),
        quick_size="1,000 interviews x 150 questions (quick)",
        prepare=prepare_excel,
        goal_ratio=1.3,
        goal_mb=300,
    ),
    Case(
        name="pdf",
        work="PDF pack for one site (packs.pdf)",
        size="demo project, one site and round",
        fieldkit=sides.pdf_fieldkit,
        floor=sides.pdf_bare,
        floor_label="bare reportlab: 8 pages of text, table, bar chart",
        repeat=3,
        quick_repeat=1,
        requires=(
            "fieldkit.indicators.demo:create_demo",
            "fieldkit.packs.collect:pdf_input",
            "fieldkit.packs.pdf:write_pdf_pack",
        ),
        prepare=prepare_pdf,
    ),
    Case(
        name="bundles",
        work="bundle import (store.bundles.import_bundles)",
        size="20 bundles x 200 interviews",
        fieldkit=sides.bundles_fieldkit,
        floor=sides.bundles_bare,
        floor_label="bare sqlite3 executemany of the same rows, one transaction",
        repeat=1,
        quick_repeat=1,
        requires=("fieldkit.store.bundles:import_bundles",),
        quick_size="4 bundles x 50 interviews (quick)",
        prepare=prepare_bundles,
    ),
)

BY_NAME = {case.name: case for case in CASES}
