"""Form -> a standard XLSForm workbook (survey, choices, settings), for editing in Excel.

Coordinators customise forms in Excel: `forms template` hands them a shipped form as the .xlsx
they know. The workbook is written so that loading it again gives an equal Form (the
round-trip test holds this), which is why every kept extra column is written back under the
column name the loader read it from.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

from fieldkit.forms.model import DEFAULT_LANG, SELECT_TYPES, Form, Node
from fieldkit.forms.types import UnsupportedType, resolve_type

# Survey columns in the order XLSForm authors expect them; translatable ones get ::language.
_TRANSLATED = ("label", "hint")
_PLAIN = (
    ("required", "required"),
    ("relevant", "relevant"),
    ("constraint", "constraint"),
    ("calculation", "calculation"),
    ("default", "default"),
    ("choice_filter", "choice_filter"),
    ("read_only", "read_only"),
    ("trigger", "trigger"),
    ("repeat_count", "repeat_count"),
)
_MESSAGES = (("constraint_message", "constraint_message"), ("required_message", "required_message"))
_SETTINGS_ORDER = ("form_title", "form_id", "version", "default_language")


def _column(base: str, lang: str) -> str:
    return base if lang == DEFAULT_LANG else f"{base}::{lang}"


def _type_cell(node: Node) -> str:
    if node.type in SELECT_TYPES:
        return f"{node.type} {node.list_name}"
    return node.type


@cache
def _implying_types() -> dict[tuple[str, str, str | None], str]:
    """pyxform's types that imply a constraint/hint (`phone number`), by what they imply."""
    out: dict[tuple[str, str, str | None], str] = {}
    for raw in QUESTION_TYPE_DICT:
        try:
            resolved = resolve_type(raw)
        except UnsupportedType:
            continue
        if resolved.implied_constraint:
            key = (resolved.type, resolved.implied_constraint, resolved.implied_hint)
            out.setdefault(key, raw)
    return out


def _implying_type(node: Node) -> str | None:
    """The authored type (`phone number`) whose implied constraint and hint the node holds.

    Written back as that type, so the implied hint does not come back as an untranslated
    hint column (a phantom "default" language) next to the form's own languages.
    """
    if not node.constraint or set(node.hint) - {DEFAULT_LANG}:
        return None
    return _implying_types().get((node.type, node.constraint, node.hint.get(DEFAULT_LANG)))


def _flag(expression: str | None) -> str | None:
    """ "true()" is written as the "yes" authors type."""
    return "yes" if expression == "true()" else expression


def _survey_rows(form: Form) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []

    def emit(node: Node) -> None:
        row: dict[str, str] = {"name": node.name}
        implying = None if node.is_container else _implying_type(node)
        row["type"] = f"begin {node.type}" if node.is_container else _type_cell(node)
        if implying:
            row["type"] = implying
        for attr in _TRANSLATED:
            if attr == "hint" and implying:
                continue
            for lang, text in getattr(node, attr).items():
                row[_column(attr, lang)] = text
        for attr, column in _PLAIN:
            if attr == "constraint" and implying:
                continue
            value = getattr(node, attr)
            if attr in ("required", "read_only"):
                value = _flag(value)
            if value:
                row[column] = value
        for attr, column in _MESSAGES:
            for lang, text in getattr(node, attr).items():
                row[_column(column, lang)] = text
        if node.appearance:
            row["appearance"] = node.appearance
        if node.parameters:
            row["parameters"] = " ".join(f"{k}={v}" for k, v in node.parameters.items())
        row.update(node.extra)
        rows.append(row)
        if node.is_container:
            for child in node.children:
                emit(child)
            rows.append({"type": f"end {node.type}"})

    for node in form.children:
        emit(node)
    return rows


def _choice_rows(form: Form) -> list[dict[str, str]]:
    rows = []
    for list_name, choice_list in form.choices.items():
        if list_name.lower().endswith(".csv"):
            continue  # select_*_from_file choices stay in their CSV beside the form
        for choice in choice_list.choices:
            row = {"list_name": list_name, "name": choice.name}
            for lang, text in choice.label.items():
                row[_column("label", lang)] = text
            row.update(choice.extra)
            rows.append(row)
    return rows


def _settings_row(form: Form) -> dict[str, str]:
    row = dict(form.settings)
    row["form_id"] = form.form_id
    row.pop("id_string", None)
    if form.title:
        row["form_title"] = form.title
        row.pop("title", None)
    if form.version:
        row["version"] = form.version
    if form.default_language:
        row["default_language"] = form.default_language
    ordered = {k: row[k] for k in _SETTINGS_ORDER if k in row}
    ordered.update({k: v for k, v in row.items() if k not in ordered})
    return ordered


def _headers(rows: list[dict[str, str]], first: tuple[str, ...]) -> list[str]:
    headers = list(first)
    for row in rows:
        for key in row:
            if key not in headers:
                headers.append(key)
    return headers


def _write_sheet(book: openpyxl.Workbook, title: str, rows: list[dict[str, str]], first) -> None:
    sheet = book.create_sheet(title)
    headers = _headers(rows, first)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        width = max([len(header), *(len(str(r.get(header) or "")) for r in rows)])
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = min(
            max(10, width + 2), 60
        )


def write_xlsform(form: Form, out: str | Path) -> Path:
    """Write `form` as an .xlsx XLSForm with survey, choices and settings sheets."""
    out = Path(out)
    book = openpyxl.Workbook()
    book.remove(book.active)
    _write_sheet(book, "survey", _survey_rows(form), ("type", "name"))
    _write_sheet(book, "choices", _choice_rows(form), ("list_name", "name"))
    _write_sheet(book, "settings", [_settings_row(form)], ())
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
