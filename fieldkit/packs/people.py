"""People on relationship maps are personal data; organisations and groups are not.

A map may name a person ("the imam", or a real name). Packs show organisations and groups by
name, and people only as "Person n (sector)", unless the coordinator asked for personal data
(never in a partner PDF). Numbering follows the network's actor order, so the Excel pack and
the PDF of the same network call the same person by the same number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fieldkit import vocab


def display_names(view: Mapping[str, Any] | None, include_people: bool = False) -> dict[str, str]:
    """Actor key -> the name a pack shows."""
    if not view:
        return {}
    names: dict[str, str] = {}
    people = 0
    for actor in view.get("actors", []):
        if actor.get("kind") == "person" and not include_people:
            people += 1
            sector = vocab.SECTOR_LABELS.get(actor.get("sector"), "other")
            names[actor["key"]] = f"Person {people} ({sector})"
        else:
            names[actor["key"]] = actor["name"]
    return names
