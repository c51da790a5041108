"""The vocabularies every layer shares: sectors, link types, bands, statuses.

Defined once here (colours once in resources/palette.json) so the canvas, the dashboard, the
packs and the scoring can never disagree about what a sector or a band is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from fieldkit.paths import resource_text


@cache
def palette() -> dict[str, dict[str, str]]:
    return json.loads(resource_text("palette.json"))


SECTORS: tuple[str, ...] = ("public", "social", "commercial", "residents", "other")
SECTOR_LABELS: dict[str, str] = {
    "public": "Public sector",
    "social": "Social sector",
    "commercial": "Commercial sector",
    "residents": "Residents",
    "other": "Other / outside bodies",
}

ACTOR_KINDS: tuple[str, ...] = ("person", "group", "organisation")

LINK_TYPES: tuple[str, ...] = ("information", "money", "support", "services", "influence")
LINK_TYPE_LABELS: dict[str, str] = {
    "information": "Information",
    "money": "Money and resources",
    "support": "Support and trust",
    "services": "Services",
    "influence": "Influence over decisions",
}
DIRECTIONS: tuple[str, ...] = ("one-way", "mutual")
STRENGTHS: tuple[int, ...] = (1, 2, 3)
INFLUENCE_RANGE: tuple[int, int] = (0, 10)

INTERVIEW_STATUSES: tuple[str, ...] = ("draft", "finalized")
ACTION_STATUSES: tuple[str, ...] = ("planned", "in_progress", "done")
ACTION_STATUS_LABELS: dict[str, str] = {
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
}

LOW_BASE_THRESHOLD = 5


@dataclass(frozen=True)
class Band:
    """A band on the 0-100 scale: scores >= lower (and below the next band) fall in it."""

    id: str
    label: str
    lower: float


DEFAULT_BANDS: tuple[Band, ...] = (
    Band("brittle", "Brittle", 0.0),
    Band("vulnerable", "Vulnerable", 40.0),
    Band("steady", "Steady", 55.0),
    Band("resilient", "Resilient", 70.0),
)


def band_for(score: float | None, bands: tuple[Band, ...] = DEFAULT_BANDS) -> Band | None:
    """The band a score falls in; None for no score."""
    if score is None:
        return None
    chosen = bands[0]
    for band in bands:
        if score >= band.lower:
            chosen = band
    return chosen


def sector_colour(sector: str) -> str:
    return palette()["sectors"].get(sector, palette()["sectors"]["other"])


def link_colour(link_type: str) -> str:
    return palette()["link_types"].get(link_type, "#555555")


def band_colour(band_id: str | None) -> str:
    return palette()["bands"].get(band_id or "low_base", palette()["bands"]["low_base"])
