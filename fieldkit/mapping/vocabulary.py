"""The link types (with colours) and goal codes a map may use.

They come from the relationship_map form when the coordinator has customised it (its choice
lists `link_type` and `goal`), else from fieldkit.vocab's defaults. A map carries its vocabulary
in its saved form, so a map moved to a project with a different form still reads back as it was
drawn.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fieldkit import vocab
from fieldkit.errors import FieldkitError, Problem
from fieldkit.forms.model import Form

LINK_TYPE_LIST = "link_type"
GOAL_LIST = "goal"
# Columns of the choices sheet that may carry a link type's colour (both spellings occur).
COLOUR_COLUMNS = ("colour", "color")
_HEX_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True)
class LinkType:
    name: str
    label: str
    colour: str


@dataclass(frozen=True)
class Goal:
    name: str
    label: str


@dataclass(frozen=True)
class MapVocabulary:
    """Link types and goal codes. An empty goal list means goals are free codes (unchecked)."""

    link_types: tuple[LinkType, ...]
    goals: tuple[Goal, ...] = field(default=())

    @classmethod
    def default(cls) -> MapVocabulary:
        return cls(
            tuple(
                LinkType(name, vocab.LINK_TYPE_LABELS.get(name, name), vocab.link_colour(name))
                for name in vocab.LINK_TYPES
            ),
            (),
        )

    @classmethod
    def from_form(cls, form: Form | None, lang: str | None = None) -> MapVocabulary:
        """The vocabulary of a relationship_map form; the defaults for whatever it leaves out."""
        default = cls.default()
        if form is None:
            return default
        lang = lang or form.default_language
        link_types = default.link_types
        link_list = form.choices.get(LINK_TYPE_LIST)
        if link_list is not None and link_list.choices:
            link_types = tuple(
                LinkType(
                    choice.name,
                    choice.text(lang),
                    _choice_colour(choice.extra, choice.name, form.source),
                )
                for choice in link_list.choices
            )
        goals: tuple[Goal, ...] = ()
        goal_list = form.choices.get(GOAL_LIST)
        if goal_list is not None:
            goals = tuple(Goal(c.name, c.text(lang)) for c in goal_list.choices)
        return cls(link_types, goals)

    def link_type_names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.link_types)

    def goal_names(self) -> tuple[str, ...]:
        return tuple(g.name for g in self.goals)

    def link_type(self, name: str) -> LinkType | None:
        for link_type in self.link_types:
            if link_type.name == name:
                return link_type
        return None

    def colour(self, link_type: str) -> str:
        found = self.link_type(link_type)
        return found.colour if found else vocab.link_colour(link_type)

    def to_dict(self) -> dict[str, Any]:
        return {
            "link_types": [
                {"name": t.name, "label": t.label, "colour": t.colour} for t in self.link_types
            ],
            "goals": [{"name": g.name, "label": g.label} for g in self.goals],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MapVocabulary:
        try:
            link_types = tuple(
                LinkType(str(t["name"]), str(t.get("label", t["name"])), str(t["colour"]))
                for t in data["link_types"]
            )
            goals = tuple(
                Goal(str(g["name"]), str(g.get("label", g["name"]))) for g in data.get("goals", [])
            )
        except (KeyError, TypeError, AttributeError) as err:
            raise FieldkitError(
                Problem(f"the map's vocabulary is malformed ({err!r})", name="vocabulary")
            ) from err
        if not link_types:
            raise FieldkitError(Problem("the map's vocabulary has no link types"))
        return cls(link_types, goals)


def _choice_colour(extra: Mapping[str, str], name: str, source: str | None) -> str:
    for column in COLOUR_COLUMNS:
        value = str(extra.get(column, "") or "").strip()
        if value:
            if not _HEX_COLOUR.match(value):
                raise FieldkitError(
                    Problem(
                        f"colour {value!r} of link type {name!r} is not a #RRGGBB colour",
                        file=source,
                        sheet="choices",
                        column=column,
                        name=name,
                    )
                )
            return value
    return vocab.link_colour(name)
