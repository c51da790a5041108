"""Erasing a respondent: their interviews, answers, files and map contributions, everywhere.

Rows are deleted with secure_delete on (freed pages are zeroed) and the WAL is checkpointed and
truncated afterwards, so the content does not linger in the file. What remains is a tombstone
per erased record id (`erasures`, so an older bundle cannot bring the data back, and so the
erasure travels to other machines in bundles) and one audit entry that records the erasure -
how many records, when, by whom - but not the respondent code or any of the data.
Backups taken before the erasure still hold the data: `erase_respondent` says how many there
are, and `purge_backups=True` deletes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldkit.errors import FieldkitError
from fieldkit.store import backups
from fieldkit.store.clock import new_id, now_iso

if TYPE_CHECKING:
    from fieldkit.store.project import Project


@dataclass(frozen=True)
class ErasureReport:
    erasure_id: str
    interviews: int
    maps: int
    attachments: int
    answers: int
    backups_holding_data: int
    backups_purged: int


def _delete_interview(project: Project, interview_id: str) -> None:
    # conflicts hold full copies of the record: they go too
    project.db.execute(
        "DELETE FROM conflicts WHERE kind = 'interviews' AND record_id = ?", [interview_id]
    )
    project.db.execute(
        "DELETE FROM sync_history WHERE kind = 'interviews' AND record_id = ?", [interview_id]
    )
    project.db.execute("DELETE FROM interviews WHERE id = ?", [interview_id])  # cascades
    project.db.execute(
        "INSERT OR IGNORE INTO erasures (record_id, kind, erased) VALUES (?, 'interviews', ?)",
        [interview_id, now_iso()],
    )


def _delete_map(project: Project, map_id: str) -> None:
    project.db.execute("DELETE FROM conflicts WHERE kind = 'maps' AND record_id = ?", [map_id])
    project.db.execute("DELETE FROM sync_history WHERE kind = 'maps' AND record_id = ?", [map_id])
    project.db.execute("DELETE FROM maps WHERE id = ?", [map_id])  # actors and ties cascade
    project.db.execute(
        "INSERT OR IGNORE INTO erasures (record_id, kind, erased) VALUES (?, 'maps', ?)",
        [map_id, now_iso()],
    )


def erase_respondent(project: Project, code: str, purge_backups: bool = False) -> ErasureReport:
    """Delete everything recorded about one respondent code; refuses an unknown code."""
    code = (code or "").strip()
    if not code:
        raise FieldkitError("give the respondent code to erase")
    interview_ids = [
        r[0]
        for r in project.db.execute("SELECT id FROM interviews WHERE respondent_code = ?", [code])
    ]
    # the consent interview and any interview it opened belong to the same person
    if "consent" in {r[1] for r in project.db.execute("PRAGMA table_info(interviews)")}:
        linked = [
            r[0]
            for r in project.db.execute(
                "SELECT id FROM interviews WHERE consent IN (SELECT value FROM json_each(?))",
                [_json_list(interview_ids)],
            )
        ]
        consents = [
            r[0]
            for r in project.db.execute(
                "SELECT consent FROM interviews WHERE consent IS NOT NULL "
                "AND id IN (SELECT value FROM json_each(?))",
                [_json_list(interview_ids)],
            )
        ]
        interview_ids = sorted(set(interview_ids) | set(linked) | set(consents))
    if not interview_ids:
        raise FieldkitError(f"no interview with respondent code '{code}'; nothing erased")
    wanted = _json_list(interview_ids)
    map_ids = [
        r[0]
        for r in project.db.execute(
            "SELECT id FROM maps WHERE interview IN (SELECT value FROM json_each(?))", [wanted]
        )
    ]
    answers = project.db.execute(
        "SELECT COUNT(*) FROM answers WHERE interview IN (SELECT value FROM json_each(?))", [wanted]
    ).fetchone()[0]
    attachments = project.db.execute(
        "SELECT COUNT(*) FROM attachments WHERE interview IN (SELECT value FROM json_each(?))",
        [wanted],
    ).fetchone()[0]
    erasure_id = new_id()
    with project.atomic():
        for map_id in map_ids:
            _delete_map(project, map_id)
        for interview_id in interview_ids:
            _delete_interview(project, interview_id)
        project.audit.record(
            "respondents",
            erasure_id,
            "erase-respondent",
            interviews=len(interview_ids),
            maps=len(map_ids),
            answers=answers,
            attachments=attachments,
        )
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    holding = backups.list_backups(project.path)
    purged = 0
    if purge_backups:
        for b in holding:
            b.path.unlink(missing_ok=True)
            purged += 1
    return ErasureReport(
        erasure_id, len(interview_ids), len(map_ids), attachments, answers, len(holding), purged
    )


def _json_list(values: list[str]) -> str:
    import json

    return json.dumps(values)


def apply_tombstone(project: Project, tomb: dict[str, Any]) -> bool:
    """An erasure made on another machine: delete the record here too. True if one went."""
    record_id, kind = tomb.get("record_id"), tomb.get("kind")
    if not isinstance(record_id, str) or kind not in ("interviews", "maps"):
        return False
    exists = project.db.execute(f"SELECT 1 FROM {kind} WHERE id = ?", [record_id]).fetchone()
    known = project.db.execute("SELECT 1 FROM erasures WHERE record_id = ?", [record_id]).fetchone()
    if kind == "interviews" and exists:
        for (map_id,) in project.db.execute(
            "SELECT id FROM maps WHERE interview = ?", [record_id]
        ).fetchall():
            _delete_map(project, map_id)
        _delete_interview(project, record_id)
    elif kind == "maps" and exists:
        _delete_map(project, record_id)
    elif not known:
        project.db.execute(
            "INSERT OR IGNORE INTO erasures (record_id, kind, erased) VALUES (?, ?, ?)",
            [record_id, kind, tomb.get("erased") or now_iso()],
        )
    return bool(exists)


def erased_count(project: Project) -> int:
    return project.db.execute("SELECT COUNT(*) FROM erasures").fetchone()[0]
