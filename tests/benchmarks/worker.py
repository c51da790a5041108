"""One measured process: `python -m tests.benchmarks.worker CASE SIDE WORK_DIR REPEAT`.

Runs one side of one case in this fresh interpreter and prints one line, `BENCH-RESULT {json}`,
with the side's timings and this process's peak resident memory (see peak_mb), so no other
row's imports or allocations are counted.
"""

from __future__ import annotations

import json
import resource
import sys
import traceback
from pathlib import Path

MARK = "BENCH-RESULT "


def peak_mb() -> float:
    """This process's peak resident memory since it started this interpreter.

    On Linux, VmHWM of /proc/self/status: the high-water mark of the address space exec made.
    ru_maxrss is not used there because the kernel carries the parent's peak into a child
    started by fork/vfork + exec, so every worker would report at least the runner's size.
    Elsewhere (macOS) ru_maxrss, in bytes there.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024  # bytes vs KiB


def main(argv: list[str]) -> int:
    from tests.benchmarks.cases import BY_NAME
    from tests.benchmarks.sides import Unavailable

    name, side, work, repeat = argv[0], argv[1], Path(argv[2]), int(argv[3])
    case = BY_NAME[name]
    fn = case.fieldkit if side == "fieldkit" else case.floor
    try:
        result = fn(work, repeat)
    except Unavailable as exc:
        result = {"unavailable": str(exc)}
    except Exception as exc:  # a broken side is reported in its row, the run goes on
        traceback.print_exc()
        result = {"error": f"{type(exc).__name__}: {exc}"}
    result["peak_mb"] = peak_mb()
    sys.stdout.write("\n" + MARK + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
