"""Kumu's spreadsheet: an Elements sheet and a Connections sheet, joined by the elements' Labels.

Kumu (kumu.io) imports and exports this layout; coordinators also edit maps in Excel this way.
fieldkit adds its own columns (Sector, Influence, X, Y, ...) which Kumu shows as fields, and a
"Map" sheet with the map's details, which Kumu ignores. Reading refuses the file whole and names
sheet, row and column of every problem.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from fieldkit import vocab
from fieldkit.errors import FieldkitError, Problem
from fieldkit.mapping.duplicates import fold_duplicate_ties
from fieldkit.mapping.graphdata import GOAL_SEPARATOR, clean, is_uuid, located, whole_number
from fieldkit.mapping.model import Actor, Map, Tie, actor_problems, tie_problems
from fieldkit.mapping.names import normalise_name
from fieldkit.mapping.network import SiteNetwork
from fieldkit.mapping.vocabulary import MapVocabulary

ELEMENTS = "Elements"
CONNECTIONS = "Connections"
DETAILS = "Map"
ELEMENT_COLUMNS = (
    "Label",
    "Type",
    "Description",
    "Tags",
    "Sector",
    "Influence",
    "Notes Sensitive",
    "X",
    "Y",
    "Colour",
    "Maps",
    "ID",
)
CONNECTION_COLUMNS = (
    "From",
    "To",
    "Type",
    "Direction",
    "Strength",
    "Description",
    "Colour",
    "Weight",
    "ID",
)
# fieldkit direction <-> Kumu direction ("undirected" also reads as mutual).
KUMU_DIRECTIONS = {"one-way": "directed", "mutual": "mutual"}
READ_DIRECTIONS = {"directed": "one-way", "mutual": "mutual", "undirected": "mutual"}
# Kumu's element types are US English.
READ_KINDS = {"organization": "organisation"}
TRUE_WORDS = frozenset({"yes", "true", "1", "y"})


def _sheet(workbook: Workbook, title: str, header: Sequence[str]) -> Worksheet:
    sheet = workbook.create_sheet(title)
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _write_rows(sheet: Worksheet, rows: Iterable[Sequence[Any]]) -> None:
    """Write rows under the header; text starting with '=' stays text (not a formula)."""
    for row, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            value = clean(value)
            if value is None or value == "":
                continue  # an empty cell, as Kumu writes it
            cell = sheet.cell(row=row, column=column, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"


def _map_rows(the_map: Map, include_sensitive: bool) -> tuple[list[list[Any]], list[list[Any]]]:
    elements = []
    for a in the_map.actors.values():
        notes = a.notes if include_sensitive or not a.notes_sensitive else ""
        elements.append(
            [
                a.name,
                a.kind,
                notes,
                GOAL_SEPARATOR.join(a.goals),
                a.sector,
                a.influence,
                "yes" if a.notes_sensitive else "no",
                a.x,
                a.y,
                vocab.sector_colour(a.sector),
                None,
                a.id,
            ]
        )
    connections = []
    for t in the_map.ties.values():
        connections.append(
            [
                the_map.actors[t.source].name,
                the_map.actors[t.target].name,
                t.type,
                KUMU_DIRECTIONS[t.direction],
                t.strength,
                t.note,
                the_map.vocabulary.colour(t.type),
                None,
                t.id,
            ]
        )
    return elements, connections


def _network_rows(network: SiteNetwork) -> tuple[list[list[Any]], list[list[Any]]]:
    elements = [
        [a.name, a.kind, "", "", a.sector, a.influence, "no", None, None]
        + [vocab.sector_colour(a.sector), len(a.map_ids), None]
        for a in network.actors.values()
    ]
    connections = [
        [
            network.actors[t.source].name,
            network.actors[t.target].name,
            t.type,
            KUMU_DIRECTIONS[t.direction],
            t.strength,
            "",
            network.vocabulary.colour(t.type),
            t.weight,
            None,
        ]
        for t in network.ties
    ]
    return elements, connections


def write_kumu(item: Map | SiteNetwork, path: str | Path, include_sensitive: bool = False) -> Path:
    """Write Elements, Connections and Map sheets."""
    path = Path(path)
    workbook = Workbook()
    workbook.remove(workbook.active)
    if isinstance(item, SiteNetwork):
        elements, connections = _network_rows(item)
        details = {"site": item.site, "round": item.round}
    else:
        elements, connections = _map_rows(item, include_sensitive)
        details = {
            "id": item.id,
            "site": item.site,
            "round": item.round,
            "focus_question": item.focus_question,
            "interview_id": item.interview_id,
            "created": item.created,
            "updated": item.updated,
        }
    _write_rows(_sheet(workbook, ELEMENTS, ELEMENT_COLUMNS), elements)
    _write_rows(_sheet(workbook, CONNECTIONS, CONNECTION_COLUMNS), connections)
    details["vocabulary"] = json.dumps(item.vocabulary.to_dict())
    _write_rows(_sheet(workbook, DETAILS, ("Field", "Value")), list(details.items()))
    try:
        workbook.save(path)
    except OSError as err:
        raise FieldkitError(Problem(f"cannot write it ({err.strerror})", file=str(path))) from err
    return path


# -- reading -----------------------------------------------------------------------------------


def _find_sheet(workbook: Any, title: str) -> Any | None:
    for name in workbook.sheetnames:
        if name.strip().casefold() == title.casefold():
            return workbook[name]
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _raw_text(value: Any) -> str:
    """Free text as written (a note's spacing and line breaks are the participant's)."""
    return "" if value is None else str(value)


def _records(
    sheet: Any, required: Sequence[str], file: str
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {lower-case header: value}) for every non-blank row under the header."""
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = [_text(h).casefold() for h in header]
    missing = [name for name in required if name.casefold() not in columns]
    if missing:
        raise FieldkitError(
            Problem(
                f"the header row has no column {', '.join(repr(m) for m in missing)}",
                file=file,
                sheet=sheet.title,
                row=1,
            )
        )
    for number, values in enumerate(rows, start=2):
        if all(v is None or _text(v) == "" for v in values):
            continue
        yield number, {col: value for col, value in zip(columns, values, strict=False) if col}


def _number(
    record: dict[str, Any], column: str, where: dict[str, Any], problems: list[Problem]
) -> int | None:
    try:
        return whole_number(record.get(column.casefold()))
    except ValueError:
        problems.append(
            Problem(f"{record.get(column.casefold())!r} is not a number", column=column, **where)
        )
        return None


def _coordinate(
    record: dict[str, Any], column: str, where: dict[str, Any], problems: list[Problem]
) -> float | None:
    value = record.get(column.casefold())
    if value is None or _text(value) == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        problems.append(Problem(f"{value!r} is not a number", column=column, **where))
        return None


def _details(workbook: Any) -> dict[str, Any]:
    sheet = _find_sheet(workbook, DETAILS)
    details: dict[str, Any] = {}
    if sheet is None:
        return details
    for values in sheet.iter_rows(min_row=2, values_only=True):
        if len(values) >= 2 and values[0]:
            details[_text(values[0])] = _raw_text(values[1]) if values[1] is not None else None
    return details


def _read_elements(
    sheet: Any, file: str, vocabulary: MapVocabulary, problems: list[Problem]
) -> tuple[list[Actor], dict[str, str]]:
    actors: list[Actor] = []
    by_label: dict[str, str] = {}
    for row, record in _records(sheet, ("Label",), file):
        where = {"file": file, "sheet": sheet.title, "row": row}
        label = _text(record.get("label"))
        if not normalise_name(label):
            problems.append(Problem("the element has no Label", column="Label", **where))
            continue
        key = normalise_name(label)
        if key in by_label:
            problems.append(
                Problem(f"a second element is called {label!r}", column="Label", **where)
            )
            continue
        kind = _text(record.get("type")).casefold() or "organisation"
        identifier = _text(record.get("id"))
        goals = _text(record.get("tags"))
        actor = Actor(
            id=identifier if is_uuid(identifier) else str(uuid.uuid4()),
            name=label,
            sector=_text(record.get("sector")).casefold() or "other",
            kind=READ_KINDS.get(kind, kind),
            influence=_number(record, "Influence", where, problems),
            goals=[g.strip() for g in goals.split(GOAL_SEPARATOR) if g.strip()],
            notes=_raw_text(record.get("description")),
            notes_sensitive=_text(record.get("notes sensitive")).casefold() in TRUE_WORDS,
            x=_coordinate(record, "X", where, problems),
            y=_coordinate(record, "Y", where, problems),
        )
        if actor.x is None or actor.y is None:
            actor.x = actor.y = None
        for problem in actor_problems(actor, vocabulary):
            problems.append(Problem(problem.message, column=_column(problem.column), **where))
        by_label[key] = actor.id
        actors.append(actor)
    return actors, by_label


def _column(field: str | None) -> str | None:
    """The sheet column of a model field, so a message points at the cell to fix."""
    names = {
        "name": "Label",
        "kind": "Type",
        "goals": "Tags",
        "notes": "Description",
        "note": "Description",
        "notes_sensitive": "Notes Sensitive",
        "source": "From",
        "target": "To",
    }
    return names.get(field or "", (field or "").title() or None)


def _read_connections(
    sheet: Any,
    file: str,
    vocabulary: MapVocabulary,
    by_label: dict[str, str],
    names: dict[str, str],
    problems: list[Problem],
) -> list[Tie]:
    ties: list[Tie] = []
    seen: set[str] = set()
    for row, record in _records(sheet, ("From", "To", "Type"), file):
        where = {"file": file, "sheet": sheet.title, "row": row}
        ends = []
        for column in ("From", "To"):
            label = _text(record.get(column.casefold()))
            actor_id = by_label.get(normalise_name(label))
            if actor_id is None:
                problems.append(Problem(f"no element is called {label!r}", column=column, **where))
            ends.append(actor_id)
        direction = _text(record.get("direction")).casefold() or "directed"
        if direction not in READ_DIRECTIONS:
            problems.append(
                Problem(
                    f"direction {direction!r} is not one of {', '.join(READ_DIRECTIONS)}",
                    column="Direction",
                    **where,
                )
            )
            continue
        strength = _number(record, "Strength", where, problems)
        if None in ends:
            continue
        identifier = _text(record.get("id"))
        tie = Tie(
            id=identifier if is_uuid(identifier) and identifier not in seen else str(uuid.uuid4()),
            source=ends[0] or "",
            target=ends[1] or "",
            type=_text(record.get("type")),
            direction=READ_DIRECTIONS[direction],
            strength=2 if strength is None else strength,
            note=_raw_text(record.get("description")),
        )
        seen.add(tie.id)
        for problem in tie_problems(tie, vocabulary, names):
            problems.append(Problem(problem.message, column=_column(problem.column), **where))
        ties.append(tie)
    return ties


def read_kumu(path: str | Path, report: list[str] | None = None) -> Map:
    """Read a Kumu spreadsheet (Elements + Connections) into a standalone Map.

    Ties given twice are folded into one (fieldkit.mapping.duplicates); `report` gets a line
    for each.
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise FieldkitError(Problem("no such file", file=file))
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise FieldkitError(
            Problem(f"not an Excel workbook fieldkit can read ({err})", file=file)
        ) from err
    try:
        return _read_workbook(workbook, file, report)
    finally:
        workbook.close()


def _read_workbook(workbook: Any, file: str, report: list[str] | None = None) -> Map:
    elements = _find_sheet(workbook, ELEMENTS)
    if elements is None:
        raise FieldkitError(Problem(f"there is no {ELEMENTS!r} sheet", file=file))
    details = _details(workbook)
    vocabulary = MapVocabulary.default()
    if details.get("vocabulary"):
        try:
            vocabulary = MapVocabulary.from_dict(json.loads(details["vocabulary"]))
        except (ValueError, FieldkitError) as err:
            raise FieldkitError(
                Problem(f"the vocabulary is unreadable ({err})", file=file, sheet=DETAILS)
            ) from err
    problems: list[Problem] = []
    actors, by_label = _read_elements(elements, file, vocabulary, problems)
    names = {actor.id: actor.name for actor in actors}
    connections = _find_sheet(workbook, CONNECTIONS)
    ties = (
        _read_connections(connections, file, vocabulary, by_label, names, problems)
        if connections is not None
        else []
    )
    if problems:
        raise FieldkitError(problems)
    tie_dicts, folded = fold_duplicate_ties([tie.to_dict() for tie in ties], names)
    if report is not None:
        report.extend(folded)
    map_id = details.get("id") or ""
    data = {
        "id": map_id if is_uuid(map_id) else None,
        "site": details.get("site") or "",
        "round": details.get("round") or "",
        "focus_question": details.get("focus_question") or "",
        "interview_id": details.get("interview_id"),
        "created": details.get("created"),
        "updated": details.get("updated"),
        "vocabulary": vocabulary.to_dict(),
        "actors": [actor.to_dict() for actor in actors],
        "ties": tie_dicts,
    }
    try:
        return Map.from_dict(data)
    except FieldkitError as err:
        raise located(err, file=file, sheet=CONNECTIONS) from err
