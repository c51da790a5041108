"""Retention: how long a project keeps personal data, and which records are past it.

A per-project setting (`retention_days` in the project settings; travels to laptops in the
project kit). `check` only lists: deciding to erase is the coordinator's act, done per respondent
with `respondent erase`, so nothing disappears because a clock moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from fieldkit.errors import FieldkitError

if TYPE_CHECKING:
    from fieldkit.store.project import Project

SETTING = "retention_days"
MAX_DAYS = 100 * 366


@dataclass(frozen=True)
class PastRetention:
    kind: str  # "interview" or "map"
    id: str
    respondent_code: str | None
    site: str | None
    created: str
    age_days: int


def get_days(project: Project) -> int | None:
    value = project.settings.get(SETTING)
    return int(value) if value is not None else None


def set_days(project: Project, days: int | None) -> int | None:
    """Set (or clear, with None) the retention period in days."""
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
            raise FieldkitError(f"retention must be a whole number of days from 1 to {MAX_DAYS}")
    project.update_settings(**{SETTING: days})
    return days


def check(project: Project, today: datetime | None = None) -> list[PastRetention]:
    """Interviews and maps created longer ago than the retention period, oldest first."""
    days = get_days(project)
    if days is None:
        raise FieldkitError(
            "this project has no retention period: set one with `fieldkit retention set DAYS`"
        )
    now = today or datetime.now(UTC)
    cutoff = (now - timedelta(days=days)).isoformat(timespec="microseconds")
    found = []
    for kind, sql in (
        (
            "interview",
            "SELECT i.id, i.respondent_code, s.name AS site, i.created FROM interviews i "
            "LEFT JOIN sites s ON s.id = i.site WHERE i.created < ? ORDER BY i.created",
        ),
        (
            "map",
            "SELECT m.id, i.respondent_code, s.name AS site, m.created FROM maps m "
            "LEFT JOIN interviews i ON i.id = m.interview LEFT JOIN sites s ON s.id = m.site "
            "WHERE m.created < ? ORDER BY m.created",
        ),
    ):
        for row in project.db.query(sql, [cutoff]):
            age = (now - datetime.fromisoformat(row["created"])).days
            found.append(
                PastRetention(
                    kind, row["id"], row["respondent_code"], row["site"], row["created"], age
                )
            )
    return sorted(found, key=lambda r: r.created)
