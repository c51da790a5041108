"""Run every case, print the table, write bench-results/<timestamp>.json and latest.json.

Each side of each case is a fresh `python -m tests.benchmarks.worker` process (a cold start is
`python tests/benchmarks/startup_probe.py`, by path, so nothing but the start runs there); the
parent only prepares inputs, starts processes and reads their one-line results. Ratios are
fieldkit's median over the floor's median, both measured in this run on this machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.cases import CASES, Case
from tests.benchmarks.sides import Unavailable, quantiles
from tests.benchmarks.worker import MARK

ROOT = Path(__file__).resolve().parents[2]
PROCESS_TIMEOUT = 900
STARTUP_PROBE = Path(__file__).with_name("startup_probe.py")


def machine() -> dict[str, Any]:
    """What the figures were taken on, for the README and for comparing runs."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        pass

    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10
            )
        except OSError:
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    import fieldkit

    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "fieldkit": fieldkit.__version__,
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain")),
        # Other work on the machine slows both sides of a row, but not always equally: a load
        # well above the core count means the figures are noisy.
        "load_average": [round(x, 1) for x in os.getloadavg()]
        if hasattr(os, "getloadavg")
        else None,
    }


def missing_module(names: tuple[str, ...]) -> str | None:
    """The first of `names` ("module" or "module:attribute") this tree lacks, else None."""
    for name in names:
        module, _, attribute = name.partition(":")
        try:
            if importlib.util.find_spec(module) is None:
                return module
        except ModuleNotFoundError:
            return module
        if attribute and not hasattr(importlib.import_module(module), attribute):
            return f"{module}.{attribute}"
    return None


def run_side(case: Case, side: str, work: Path, repeat: int, env: dict[str, str]) -> dict:
    if case.startup:  # by path: nothing but the start itself runs in that process
        command = [sys.executable, str(STARTUP_PROBE), side, str(work)]
    else:
        command = [sys.executable, "-m", "tests.benchmarks.worker", case.name, side, str(work)]
        command.append(str(repeat))
    start = time.perf_counter()
    proc = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(MARK)]
    if not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"error": f"worker exited {proc.returncode}: {' / '.join(tail)}"}
    result = json.loads(lines[-1][len(MARK) :])
    if "shown_at" in result:
        result["times"] = [result.pop("shown_at") - start]
    if "error" in result:
        result["stderr"] = proc.stderr[-2000:]
    return result


def _pooled(runs: list[dict]) -> dict:
    """Several processes' results as one: every time, the highest peak; the first failure."""
    for run in runs:
        if "times" not in run:
            return run
    return {
        **runs[0],
        "times": [t for run in runs for t in run["times"]],
        "peak_mb": max(run.get("peak_mb", 0.0) for run in runs),
    }


def measure(case: Case, side: str, work: Path, repeat: int, env: dict[str, str]) -> dict:
    """One side alone: one process (inner repetitions), or for start-up one process per
    repetition after a discarded warm-up (which also takes the project's first-open backup)."""
    if not case.startup:
        return run_side(case, side, work, repeat, env)
    run_side(case, side, work, 1, env)
    return _pooled([run_side(case, side, work, 1, env) for _ in range(repeat)])


def measure_pair(
    case: Case, work: Path, repeat: int, env: dict[str, str], processes: int = 1
) -> tuple[dict, dict]:
    """fieldkit and its floor, the two sides alternated so that a slow spell of a shared
    machine falls on both. Start-up runs a process per repetition, after a warm-up of each
    side; the other rows run `processes` processes a side, each timing `repeat` repetitions
    in its warm state, and pool their times."""
    runs: dict[str, list[dict]] = {"fieldkit": [], "floor": []}
    if not case.startup:
        for _ in range(processes):
            for side in runs:
                runs[side].append(run_side(case, side, work, repeat, env))
        return _pooled(runs["fieldkit"]), _pooled(runs["floor"])
    for side in runs:
        run_side(case, side, work, 1, env)
    for _ in range(repeat):
        for side in runs:
            runs[side].append(run_side(case, side, work, 1, env))
    return _pooled(runs["fieldkit"]), _pooled(runs["floor"])


def summarise_side(result: dict) -> dict:
    if "times" not in result:
        return result
    return {**quantiles(result["times"]), **result, "runs": len(result["times"])}


def run_case(case: Case, root: Path, quick: bool, env: dict[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "name": case.name,
        "work": case.work,
        "size": (case.quick_size if quick and case.quick_size else case.size),
        "floor_label": case.floor_label,
        "goal": goal_text(case),
    }
    missing = missing_module(case.requires)
    if missing:
        row["unavailable"] = f"{missing} missing"
        return row
    work = root / case.name
    work.mkdir(parents=True, exist_ok=True)
    repeat = case.quick_repeat if quick else case.repeat
    try:
        if case.prepare:
            case.prepare(work, quick)
    except Unavailable as exc:
        row["unavailable"] = str(exc)
        return row
    except Exception as exc:
        row["error"] = f"preparing: {type(exc).__name__}: {exc}"
        return row
    if case.floor is not None:
        processes = 1 if quick else case.processes
        fieldkit_run, floor_run = measure_pair(case, work, repeat, env, processes)
    else:
        fieldkit_run, floor_run = measure(case, "fieldkit", work, repeat, env), None
    fieldkit = summarise_side(fieldkit_run)
    row["fieldkit"] = fieldkit
    if "unavailable" in fieldkit:
        row["unavailable"] = fieldkit["unavailable"]
        return row
    if floor_run is not None:
        floor = summarise_side(floor_run)
        row["floor"] = floor
        if "median" in fieldkit and "median" in floor and floor["median"] > 0:
            row["ratio"] = fieldkit["median"] / floor["median"]
    elif case.goal_seconds and "median" in fieldkit:
        row["ratio"] = fieldkit["median"] / case.goal_seconds
    row["goal_met"] = goal_met(case, row)
    return row


def goal_text(case: Case) -> str:
    parts = []
    if case.goal_ratio:
        parts.append(f"<= {case.goal_ratio:g}x")
    if case.goal_seconds:
        parts.append(f"<= {fmt_time(case.goal_seconds)}")
    if case.goal_mb:
        parts.append(f"< {case.goal_mb:g} MB")
    return ", ".join(parts) or "-"


def goal_met(case: Case, row: dict) -> bool | None:
    fieldkit = row.get("fieldkit", {})
    if "median" not in fieldkit:
        return None
    checks = []
    if case.goal_ratio and "ratio" in row:
        checks.append(row["ratio"] <= case.goal_ratio)
    if case.goal_seconds:
        checks.append(fieldkit["median"] <= case.goal_seconds)
    if case.goal_mb:
        checks.append(fieldkit["peak_mb"] < case.goal_mb)
    return all(checks) if checks else None


def fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms" if seconds < 0.1 else f"{seconds * 1e3:.0f} ms"
    return f"{seconds:.2f} s"


def fmt_side(side: dict | None, per_call: bool) -> tuple[str, str]:
    if not side:
        return "-", "-"
    if "median" not in side:
        return side.get("unavailable") or side.get("error", "?"), "-"
    text = fmt_time(side["median"])
    if per_call:
        text += f" (p95 {fmt_time(side['p95'])})"
    return text, f"{side['peak_mb']:.0f} MB"


def table(rows: list[dict[str, Any]]) -> str:
    header = [
        "work",
        "size",
        "fieldkit",
        "peak",
        "compared with",
        "its time",
        "its peak",
        "ratio",
        "goal",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    per_call = {case.name: case.per_call for case in CASES}
    for row in rows:
        if "unavailable" in row or "error" in row:
            status = (
                f"not available: {row['unavailable']}"
                if "unavailable" in row
                else f"error: {row['error']}"
            )
            cells = [
                row["work"],
                row["size"],
                status,
                "-",
                row["floor_label"],
                "-",
                "-",
                "-",
                row["goal"],
            ]
        else:
            fk_time, fk_peak = fmt_side(row.get("fieldkit"), per_call[row["name"]])
            fl_time, fl_peak = fmt_side(row.get("floor"), per_call[row["name"]])
            if row.get("floor") is None:
                fl_time, fl_peak = "(goal)", "-"
            ratio = f"{row['ratio']:.2f}x" if "ratio" in row else "-"
            if "ratio" in row and row.get("floor") is None:
                ratio += " of goal"
            met = row.get("goal_met")
            goal = row["goal"] + ("" if met is None else (": met" if met else ": MISSED"))
            cells = [
                row["work"],
                row["size"],
                fk_time,
                fk_peak,
                row["floor_label"],
                fl_time,
                fl_peak,
                ratio,
                goal,
            ]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repetitions")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        choices=[case.name for case in CASES],
        help="run only these rows",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "bench-results",
        help="where the JSON results go (default: bench-results/)",
    )
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="prepare inputs in DIR and keep them (default: a temporary dir)",
    )
    args = parser.parse_args(argv)

    chosen = [case for case in CASES if not args.only or case.name in args.only]
    started = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="fieldkit-bench-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        # Nothing here may touch the user's real data dir: every process gets the work dir.
        os.environ["FIELDKIT_DATA_DIR"] = str(root / "default-data")
        os.environ.setdefault("FIELDKIT_FIELDWORKER", "Bench Fieldworker")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONHASHSEED": "0"}
        rows = []
        for case in chosen:
            print(f"  {case.name} ...", file=sys.stderr, flush=True)
            tick = time.perf_counter()
            rows.append(run_case(case, root, args.quick, env))
            rows[-1]["wall_seconds"] = round(time.perf_counter() - tick, 1)
    info = machine()
    print()
    print(table(rows))
    print()
    print(
        f"machine: {info['cpu']}, {info['cores']} cores, {info['memory_gb']} GB, "
        f"{info['platform']}, Python {info['python']}; fieldkit {info['fieldkit']} "
        f"at {info['commit']}{' (+ uncommitted changes)' if info['uncommitted_changes'] else ''}"
        f"; load average {info['load_average']}{'; --quick sizes' if args.quick else ''}"
    )
    result = {
        "started": started.isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": info,
        "rows": rows,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    text = json.dumps(result, indent=2, ensure_ascii=False)
    (args.out / f"{stamp}.json").write_text(text, encoding="utf-8")
    (args.out / "latest.json").write_text(text, encoding="utf-8")
    print(f"results: {args.out / (stamp + '.json')} (and latest.json)")
    return 0
