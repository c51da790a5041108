"""`fieldkit export csv DIR`: one CSV per form and per repeat group, for any tool at all.

The tables are exactly the Excel pack's data sheets (fieldkit.packs.formdata). Files are UTF-8
with a byte-order mark, because Excel opens a CSV without one in the machine's legacy code page
and turns "Łódź" into mojibake; every other tool ignores the mark. Files are written beside
their final names and moved into place at the end, so a cancelled export leaves nothing behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fieldkit.packs.formdata import FormExport
from fieldkit.packs.progress import CancelFn, ProgressFn, Steps

ROW_BATCH = 250
ENCODING = "utf-8-sig"  # UTF-8 with a BOM


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_csv_tables(
    directory: str | os.PathLike[str],
    forms: Sequence[FormExport],
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> list[Path]:
    """Write every table of every form to DIR/<table>.csv; returns the files written."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    total = sum(max(f.count, 0) for f in forms)
    steps = Steps(total // ROW_BATCH + len(forms) + 1, progress, cancel, what="CSV export")
    written: list[tuple[Path, Path]] = []
    handles: list[Any] = []
    try:
        for form in forms:
            writers = []
            for spec in form.tables.tables:
                final = target / f"{spec.name}.csv"
                part = target / f".{spec.name}.csv.part"
                handle = part.open("w", encoding=ENCODING, newline="")
                handles.append(handle)
                written.append((part, final))
                writer = csv.writer(handle)
                writer.writerow([c.header for c in spec.columns])
                writers.append(writer)
            done = 0
            for interview, answers in form.interviews:
                for index, row in form.tables.rows(interview, answers):
                    writers[index].writerow([_cell(v) for v in row])
                done += 1
                if done % ROW_BATCH == 0:
                    steps.advance()
            steps.advance()
        for handle in handles:
            handle.close()
        steps.check()
        for part, final in written:
            os.replace(part, final)
    except BaseException:
        for handle in handles:
            handle.close()
        for part, _ in written:
            part.unlink(missing_ok=True)
        raise
    steps.finish()
    return [final for _, final in written]
