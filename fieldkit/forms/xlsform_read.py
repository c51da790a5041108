"""Read an XLSForm file through pyxform, turning every pyxform refusal into located Problems.

pyxform is the field's own reader: using its backends (`get_xlsform`) and its converter
(`workbook_to_json`) means a form means here exactly what it means to ODK Collect. This module
only adds what pyxform does not give: the survey-sheet row of every authored row (pyxform's
JSON drops it) and clean, located errors instead of exceptions.
"""

from __future__ import annotations

import hashlib
import re
import warnings as py_warnings
from dataclasses import dataclass, field
from functools import lru_cache
from operator import methodcaller
from pathlib import Path
from typing import Any

from pyxform import aliases, constants
from pyxform.errors import PyXFormError
from pyxform.parsing.sheet_headers import process_header
from pyxform.question import MultipleChoiceQuestion, Option
from pyxform.xls2json import RE_BEGIN_CONTROL, RE_END_CONTROL, workbook_to_json
from pyxform.xls2json_backends import (
    DefinitionData,
    _md_table_to_ss_structure,
    get_xlsform,
)

from fieldkit.errors import FieldkitError, Problem

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".md")

# pyxform prefixes located messages with "[row : N]"; some also name the sheet.
_ROW_RE = re.compile(r"\[row\s*:\s*(\d+)\]\s*")
_SHEET_RE = re.compile(r"(?:[Oo]n|[Ii]n) the '(\w+)' sheet|sheet '(\w+)'|'(\w+)' sheet")
_COLUMN_RE = re.compile(r"the '([^']+)' (?:value|column)")
_DUPLICATE_HEADER_RE = re.compile(r"Duplicate column header: (.+)$")


@dataclass(slots=True)
class RawRow:
    """One authored survey row: its sheet row number, type, name and repeat_count."""

    row: int
    type: str
    name: str | None
    repeat_count: str | None = None
    control: int = 0  # 1: begin group/repeat/loop, -1: end, 0: any other row


def cell_text(cell: Any) -> str | None:
    """A name or repeat_count cell as pyxform reads it: stripped text, None when empty."""
    return str(cell).strip() if cell is not None and cell != "" else None


@dataclass
class SurveySheet:
    """The type, name and repeat_count cells of every survey-sheet row, blank rows in place.

    Taken column by column before pyxform's conversion (C-speed passes): what the loader needs
    to give each node its authored row. Most rows are read once, in step with pyxform's tree,
    so a RawRow is only made for a row that is asked for.
    """

    types: list[Any] = field(default_factory=list)
    names: list[Any] = field(default_factory=list)
    counts: list[Any] | None = None  # None: the sheet has no repeat_count column

    # (dealiased type, its control) by type cell text: a big form repeats a few spellings
    _kinds: dict[str, tuple[str | None, int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def kind(self, index: int) -> tuple[str | None, int]:
        """(dealiased type, control) of the row at `index`; (None, 0) for a row pyxform
        skips (no type)."""
        cell = self.types[index]
        kind = self._kinds.get(cell) if type(cell) is str else None
        if kind is None:
            row_type = _dealiased_type(cell) if cell else None
            kind = (row_type, _control(row_type)) if row_type else (None, 0)
            if type(cell) is str:
                self._kinds[cell] = kind
        return kind

    def rows(self, start: int = 0) -> list[RawRow]:
        """Every authored row from `start` on, in sheet order."""
        counts = self.counts
        found = []
        for index in range(start, len(self.types)):
            row_type, control = self.kind(index)
            if row_type is not None:
                count = cell_text(counts[index]) if counts is not None else None
                name = cell_text(self.names[index])
                found.append(RawRow(index + 2, row_type, name, count, control))
        return found


@dataclass
class Workbook:
    """What pyxform read from one file: its JSON form, its warnings and the authored rows."""

    path: Path
    source_hash: str
    definition: DefinitionData
    json: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    survey: SurveySheet = field(default_factory=SurveySheet)
    settings: dict[str, str] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)  # of the text columns, sheet order


def pyxform_problem(message: str, file: str) -> Problem:
    """A pyxform message as a Problem: its "[row : N]" and sheet name moved into the fields."""
    message = str(message).strip()
    row = None
    match = _ROW_RE.search(message)
    if match:
        row = int(match.group(1))
        message = (message[: match.start()] + message[match.end() :]).strip()
    sheet = None
    sheet_match = _SHEET_RE.search(message)
    if sheet_match:
        sheet = next(g for g in sheet_match.groups() if g)
        if sheet.lower() not in constants.SUPPORTED_SHEET_NAMES:
            sheet = None
    if sheet is None and row is not None:
        sheet = constants.SURVEY  # pyxform's row-numbered messages are about the survey sheet
    column_match = _COLUMN_RE.search(message)
    column = column_match.group(1) if column_match else None
    return Problem(message, file=file, sheet=sheet, row=row, column=column)


def _sheet_header_rows(path: Path) -> dict[str, list[str]]:
    """The header row of every sheet, read directly, to say where a duplicate header is."""
    suffix = path.suffix.lower()
    headers: dict[str, list[str]] = {}
    if suffix == ".md":
        for sheet, rows in _md_table_to_ss_structure(path.read_text(encoding="utf-8")).items():
            headers[str(sheet)] = [str(c) for c in (rows[0] if rows else ()) if c]
    elif suffix == ".xls":
        import xlrd

        book = xlrd.open_workbook(str(path))
        for sheet in book.sheets():
            values = sheet.row_values(0) if sheet.nrows else []
            headers[sheet.name] = [str(v).strip() for v in values if str(v).strip()]
    else:
        import openpyxl

        with py_warnings.catch_warnings():
            py_warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                first = next(sheet.iter_rows(max_row=1, values_only=True), ())
                headers[sheet.title] = [str(v).strip() for v in first if v not in (None, "")]
        finally:
            book.close()
    return headers


def _locate_duplicate_header(path: Path, header: str, file: str) -> Problem:
    message = f"Duplicate column header: {header}"
    try:
        sheets = _sheet_header_rows(path)
    except Exception:  # the locating is a courtesy; the refusal stands without it
        return Problem(message, file=file, row=1, column=header)
    for sheet, names in sheets.items():
        if names.count(header) > 1:
            return Problem(message, file=file, sheet=sheet, row=1, column=header)
    return Problem(message, file=file, row=1, column=header)


def _locate_long_md_row(path: Path, file: str) -> Problem | None:
    """pyxform's markdown reader fails on a row with more cells than its header: say which."""
    try:
        sheets = _md_table_to_ss_structure(path.read_text(encoding="utf-8"))
    except Exception:  # the locating is a courtesy; the refusal stands without it
        return None
    for sheet, rows in sheets.items():
        if not rows:
            continue
        width = len(rows[0])
        for index, row in enumerate(rows[1:], start=2):
            if len(row) > width:
                return Problem(
                    f"this row has {len(row)} cells but the header row has {width}",
                    file=file,
                    sheet=str(sheet),
                    row=index,
                )
    return None


def _refuse(exc: BaseException, path: Path) -> FieldkitError:
    file = str(path)
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, IndexError) and path.suffix.lower() == ".md":
        located = _locate_long_md_row(path, file)
        if located is not None:
            return FieldkitError(located)
    duplicate = _DUPLICATE_HEADER_RE.search(text)
    if duplicate:
        return FieldkitError(_locate_duplicate_header(path, duplicate.group(1).strip(), file))
    if isinstance(exc, PyXFormError):
        return FieldkitError(pyxform_problem(text, file))
    return FieldkitError(Problem(f"not a readable XLSForm: {text}", file=file))


def _clean_settings(definition: DefinitionData) -> dict[str, str]:
    if not definition.settings:
        return {}
    first = definition.settings[0]
    return {str(k).strip().lower(): str(v).strip() for k, v in first.items() if v is not None}


# Header tokens (as pyxform splits them) of the translatable columns the respondent sees.
_TEXT_TOKENS = {("label",), ("hint",), ("bind", "jr:constraintMsg"), ("bind", "jr:requiredMsg")}


def _header_tokens(headers: list[str], columns: set[str]) -> dict[str, tuple[str, ...]]:
    """Each header as pyxform reads it: aliases resolved, split on '::' into tokens."""
    double_colon = any("::" in h for h in headers)
    return {
        h: tuple(process_header(h, double_colon, aliases.survey_header, columns)[1])
        for h in headers
    }


def _headers(sheet_header: Any, rows: Any) -> list[str]:
    if sheet_header:
        return [str(h) for h in sheet_header[0]]
    return list(dict.fromkeys(str(k) for row in rows or () for k in row))


@lru_cache(maxsize=1024, typed=True)  # typed: a cell True must not read as a cell 1
def _dealiased_type(cell: Any) -> str:
    """A type cell as pyxform's dealias_types sees it: whitespace collapsed, alias resolved.

    Cached: a big form repeats a handful of type spellings on thousands of rows.
    """
    row_type = " ".join(str(cell).split())
    return aliases._type_alias_map.get(row_type, row_type)


@lru_cache(maxsize=1024)
def _control(row_type: str) -> int:
    """1 for a `begin group/repeat/loop` row, -1 for an `end ...` row, else 0 (cached by type)."""
    if RE_END_CONTROL.match(row_type):
        return -1
    return 1 if RE_BEGIN_CONTROL.match(row_type) else 0


def _survey_sheet(definition: DefinitionData) -> tuple[SurveySheet, dict[str, tuple[str, ...]]]:
    """The survey sheet's cells the loader reads, with the headers as pyxform reads them.

    pyxform's own dealiasing of the headers is reused so "TYPE", "command" or "count" mean what
    they mean to pyxform.
    """
    headers = _headers(definition.survey_header, definition.survey)
    tokens = _header_tokens(headers, set(MultipleChoiceQuestion.get_slot_names()))
    by_token = {t: h for h, t in tokens.items()}
    type_h = by_token.get((constants.TYPE,))
    if not type_h:
        return SurveySheet(), tokens
    survey = definition.survey or []
    name_h = by_token.get((constants.NAME,))
    count_h = by_token.get(("control", "jr:count"))
    return SurveySheet(
        types=list(map(methodcaller("get", type_h), survey)),
        names=list(map(methodcaller("get", name_h), survey)) if name_h else [None] * len(survey),
        counts=list(map(methodcaller("get", count_h), survey)) if count_h else None,
    ), tokens


def _languages(
    survey_tokens: dict[str, tuple[str, ...]], definition: DefinitionData, default_language: str
) -> list[str]:
    """Languages of the survey's text columns and the choices' labels, in sheet order.

    Read from the headers rather than pyxform's output, so text pyxform generates without a
    language ("Specify other.") does not add a phantom "default" language.
    """
    seen: dict[str, None] = {}
    choice_headers = _headers(definition.choices_header, definition.choices)
    choice_tokens = _header_tokens(choice_headers, set(Option.get_slot_names()))
    for tokens in [*survey_tokens.values(), *choice_tokens.values()]:
        for base in _TEXT_TOKENS:
            if tokens[: len(base)] == base:
                rest = tokens[len(base) :]
                seen[rest[0] if rest else default_language] = None
    return list(seen)


def raw_paths(
    rows: list[RawRow], within: tuple[str, ...] = ()
) -> dict[tuple[str, ...], list[RawRow]]:
    """Authored rows keyed by their name path (group names down to the row's own name);
    `within`: the groups already open where `rows` start."""
    stack: list[str] = list(within)
    paths: dict[tuple[str, ...], list[RawRow]] = {}
    for raw in rows:
        control = raw.control
        if control < 0:
            if stack:
                stack.pop()
            continue
        name = raw.name if raw.name is not None else ""
        key = (*stack, name)
        found = paths.get(key)
        if found is None:
            paths[key] = [raw]
        else:
            found.append(raw)
        if control:
            stack.append(name)
    return paths


def read_workbook(path: str | Path) -> Workbook:
    """Read and convert one XLSForm file with pyxform; refuse with located Problems."""
    path = Path(path)
    file = str(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise FieldkitError(
            Problem(
                f"not an XLSForm file: expected one of {', '.join(SUPPORTED_SUFFIXES)}",
                file=file,
            )
        )
    data = path.read_bytes()  # OSError (missing file) is reported by the CLI as is
    source_hash = hashlib.sha256(data).hexdigest()
    warnings: list[str] = []
    try:
        with py_warnings.catch_warnings():
            py_warnings.simplefilter("ignore")  # openpyxl's chatter about Excel extensions
            definition = get_xlsform(path)
            # read what fieldkit needs before pyxform's conversion works on the same data
            settings = _clean_settings(definition)
            default_language = settings.get(
                constants.DEFAULT_LANGUAGE_KEY, constants.DEFAULT_LANGUAGE_VALUE
            )
            survey, tokens = _survey_sheet(definition)
            languages = _languages(tokens, definition, default_language)
            form_json = workbook_to_json(
                workbook_dict=definition,
                fallback_form_name=definition.fallback_form_name,
                warnings=warnings,
            )
    except FieldkitError:
        raise
    except Exception as exc:  # pyxform raises many types on bad input; none may escape
        raise _refuse(exc, path) from exc
    return Workbook(
        path=path,
        source_hash=source_hash,
        definition=definition,
        json=form_json,
        warnings=warnings,
        survey=survey,
        settings=settings,
        languages=languages,
    )


def has_survey_sheet(path: str | Path) -> bool:
    """Whether a file is an XLSForm at all (other shipped data, the framework, is not)."""
    try:
        with py_warnings.catch_warnings():
            py_warnings.simplefilter("ignore")
            definition = get_xlsform(Path(path))
    except Exception:  # unreadable: not a form we can list
        return False
    return bool(definition.survey or definition.survey_header)
