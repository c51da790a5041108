"""Reading a framework file into plain rows: pyxform markdown tables or an Excel workbook.

The framework is edited like an XLSForm (a text editor on the .md, or Excel on an .xlsx), so
it is read the same way: markdown through pyxform's own table reader, workbooks through
openpyxl. Rows keep their sheet row number (header = row 1) so every message can point at
the cell a coordinator must fix.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import openpyxl
from pyxform.xls2json_backends import md_table_to_workbook

from fieldkit.errors import FieldkitError, Problem


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]  # (row number with header = 1, {column: value})


def _workbook_from(data: bytes, name: str, where: str) -> openpyxl.Workbook:
    suffix = Path(name).suffix.lower()
    if suffix == ".md":
        # pyxform's own markdown-table reader, so the file reads exactly like an .md XLSForm.
        text = data.decode("utf-8")
        buffer = io.BytesIO()
        md_table_to_workbook(text).save(buffer)
        data = buffer.getvalue()
    elif suffix not in {".xlsx", ".xlsm"}:
        raise FieldkitError(
            Problem(f"unsupported framework file type '{suffix}' (use .md or .xlsx)", file=where)
        )
    return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)


def read_sheets(source: Path | Traversable) -> dict[str, Sheet]:
    """The sheets of a framework file on disk (or shipped in the package)."""
    return read_sheets_from(source.read_bytes(), source.name, str(source))


def read_sheets_from(data: bytes, name: str, where: str) -> dict[str, Sheet]:
    """The sheets of a framework file's content; `name` gives the type (.md / .xlsx), `where`
    is what messages call it (a path, or the copy saved in a project)."""
    try:
        workbook = _workbook_from(data, name, where)
    except FieldkitError:
        raise
    except Exception as exc:  # a corrupt workbook, bad UTF-8...: refuse, naming the file
        raise FieldkitError(Problem(f"cannot read framework: {exc}", file=where)) from exc
    sheets: dict[str, Sheet] = {}
    for worksheet in workbook.worksheets:
        rows = list(worksheet.iter_rows(values_only=True))
        if not rows:
            continue
        header = [cell_text(c).lower() for c in rows[0]]
        body = []
        for number, values in enumerate(rows[1:], start=2):
            cells = {h: v for h, v in zip(header, values, strict=False) if h and cell_text(v)}
            if cells:
                body.append((number, cells))
        sheets[worksheet.title.strip().lower()] = Sheet(worksheet.title, header, body)
    workbook.close()
    return sheets


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
