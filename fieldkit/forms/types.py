"""XLSForm type spellings -> fieldkit's normalised question types.

pyxform accepts dozens of historical spellings ("q int", "add image prompt", "gps"...). Rather
than keep a hand-written alias table that drifts from pyxform, an alias is resolved to the
canonical type whose pyxform definition (QUESTION_TYPE_DICT) is identical. The few pyxform
"convenience" types that are an integer or text with a built-in constraint ("percentage",
"phone number") keep that constraint and hint, as the XForm pyxform writes for them does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pyxform import aliases, constants
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import RE_SELECT

from fieldkit.forms.model import INPUT_TYPES, METADATA_TYPES, SELECT_TYPES, VALUE_TYPES

# Types fieldkit cannot give a desktop meaning to, with why (shown to the user).
UNSUPPORTED_TYPES: dict[str, str] = {
    "osm": "osm question (OpenMapKit map tagging needs the OpenMapKit app)",
    "xml-external": "xml-external (external XML data for instance() lookups)",
    "csv-external": "csv-external (external CSV data for pulldata()/instance() lookups)",
    "background-geopoint": "background-geopoint (needs a device location sensor)",
    constants.SELECT_ONE_EXTERNAL: "select_one_external (itemsets.csv served beside the XForm)",
}

_SELECT_CANON = {
    constants.SELECT_ONE: "select_one",
    constants.SELECT_ALL_THAT_APPLY: "select_multiple",
    constants.RANK: "rank",
}
_FROM_FILE_CANON = {
    "select_one": "select_one_from_file",
    "select_multiple": "select_multiple_from_file",
}
# When two canonical types share one pyxform definition, the first listed wins.
_PREFERRED = ("calculate", "text", "integer", "image", "acknowledge")
_NON_SELECT = sorted(
    (INPUT_TYPES | VALUE_TYPES | METADATA_TYPES) - SELECT_TYPES,
    key=lambda t: (t not in _PREFERRED, _PREFERRED.index(t) if t in _PREFERRED else 0, t),
)


@dataclass(frozen=True)
class ResolvedType:
    """A survey row's type as fieldkit means it."""

    type: str
    list_name: str | None = None
    or_other: bool = False
    implied_constraint: str | None = None  # from pyxform convenience types ("percentage")
    implied_hint: str | None = None


class UnsupportedType(ValueError):
    """A type with no desktop meaning; the message names the feature."""


@cache
def _canonical_by_definition() -> dict[str, str]:
    out: dict[str, str] = {}
    for alias, definition in QUESTION_TYPE_DICT.items():
        for canon in _NON_SELECT:
            if QUESTION_TYPE_DICT.get(canon) == definition:
                out[alias] = canon
                break
    return out


@cache
def resolve_type(raw_type: str) -> ResolvedType:
    """The fieldkit type of one authored survey `type` cell (already dealiased by pyxform)."""
    text = " ".join(raw_type.split())
    select = RE_SELECT.match(text)
    if select:
        command = select.group("select_command")
        kind = aliases.select[command]
        if kind in UNSUPPORTED_TYPES:
            raise UnsupportedType(UNSUPPORTED_TYPES[kind])
        canon = _SELECT_CANON[kind]
        if command in aliases.select_from_file:
            canon = _FROM_FILE_CANON[canon]
        return ResolvedType(
            canon, list_name=select.group("list_name"), or_other=bool(select.group("specify_other"))
        )
    first = text.split(" ")[0] if text.startswith(tuple(aliases.osm)) else text
    if first in UNSUPPORTED_TYPES:
        raise UnsupportedType(UNSUPPORTED_TYPES[first])
    if text in INPUT_TYPES | VALUE_TYPES | METADATA_TYPES:
        return ResolvedType(text)
    canon = _canonical_by_definition().get(text)
    if canon:
        return ResolvedType(canon)
    if text.startswith("uri:") and text[4:] in METADATA_TYPES:
        return ResolvedType(text[4:])
    definition = QUESTION_TYPE_DICT.get(text)
    if definition is None:
        raise UnsupportedType(f"question type '{text}'")
    control = definition.get("control", {})
    bind = definition.get("bind", {})
    hint = definition.get("hint")
    if control.get("tag") == "trigger":
        return ResolvedType("acknowledge")
    if control.get("tag") == "input" and bind.get("type") in {"int", "string", "decimal"}:
        canon = {"int": "integer", "string": "text", "decimal": "decimal"}[bind["type"]]
        return ResolvedType(canon, implied_constraint=bind.get("constraint"), implied_hint=hint)
    raise UnsupportedType(f"question type '{text}'")
