"""Erasing a respondent: their interviews, answers, files and map contributions, everywhere.

Rows are deleted with secure_delete on (freed pages are zeroed) and the WAL is checkpointed and
truncated afterwards, so the content does not linger in the file. What remains is a tombstone
per erased record id (`erasures`, so an older bundle cannot bring the data back, and so the
erasure travels to other machines in bundles) and one audit entry that records the erasure -
how many records, when, by whom - but not the respondent code or any of the data.
Backups taken before the erasure still hold the data: `erase_respondent` checks each backup
and says how many still hold any erased record; `purge_erased_backups` (also run on its own,
after an erasure made without it) overwrites and deletes those, then takes a fresh backup
without the erased data so a restore point remains. Copies that left this machine (bundles,
exports, other laptops until they import the erasure) are out of its reach: the command says so.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
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
    holding = backups_holding_erased(project)
    purged = purge_erased_backups(project) if purge_backups else 0
    return ErasureReport(
        erasure_id, len(interview_ids), len(map_ids), attachments, answers, len(holding), purged
    )


def backups_holding_erased(project: Project) -> list[Path]:
    """This project's backups that still hold any erased record (of this or earlier erasures)."""
    erased = [r[0] for r in project.db.execute("SELECT record_id FROM erasures")]
    if not erased:
        return []
    return [b.path for b in backups.list_backups(project.path) if _holds_any(b.path, erased)]


def purge_erased_backups(project: Project) -> int:
    """Overwrite and delete the backups holding erased data; then take a clean one.

    The fresh backup keeps the rolling safety net (a restore point) without the erased data.
    Returns how many backups were deleted.
    """
    holding = backups_holding_erased(project)
    for path in holding:
        _overwrite_and_delete(path)
    if holding:
        backups.take(project.path, reason="erased")
    return len(holding)


def _holds_any(path: Path, record_ids: list[str]) -> bool:
    """Whether a backup file still holds any of these records (unreadable: assume it does)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            for table in ("interviews", "maps"):
                if conn.execute(
                    f"SELECT 1 FROM {table} WHERE id IN (SELECT value FROM json_each(?)) LIMIT 1",
                    [_json_list(record_ids)],
                ).fetchone():
                    return True
        finally:
            conn.close()
    except sqlite3.Error:
        return True
    return False


def _overwrite_and_delete(path: Path) -> None:
    """Zero the file before unlinking it (best effort: flash storage may keep old blocks)."""
    try:
        size = path.stat().st_size
        with path.open("r+b") as fh:
            for start in range(0, size, 1024 * 1024):
                fh.write(b"\0" * min(1024 * 1024, size - start))
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        pass  # deleting it is what matters most
    path.unlink(missing_ok=True)


def _json_list(values: list[str]) -> str:
    import json

    return json.dumps(values)


def apply_tombstone(project: Project, tomb: dict[str, Any]) -> int:
    """An erasure made on another machine: delete the record here too.

    Returns how many records went (the record, the interviews opened from it if it was a
    consent interview, and the maps linked to those): 0 when it was not here.
    """
    record_id, kind = tomb.get("record_id"), tomb.get("kind")
    if not isinstance(record_id, str) or kind not in ("interviews", "maps"):
        return 0
    exists = project.db.execute(f"SELECT 1 FROM {kind} WHERE id = ?", [record_id]).fetchone()
    known = project.db.execute("SELECT 1 FROM erasures WHERE record_id = ?", [record_id]).fetchone()
    removed = 1 if exists else 0
    if kind == "interviews" and exists:
        # interviews opened from an erased consent interview go with it (before the link is
        # cleared by ON DELETE SET NULL): no interview data without its consent record
        for (linked,) in project.db.execute(
            "SELECT id FROM interviews WHERE consent = ?", [record_id]
        ).fetchall():
            removed += apply_tombstone(project, {"record_id": linked, "kind": "interviews"})
        for (map_id,) in project.db.execute(
            "SELECT id FROM maps WHERE interview = ?", [record_id]
        ).fetchall():
            _delete_map(project, map_id)
            removed += 1
        _delete_interview(project, record_id)
    elif kind == "maps" and exists:
        _delete_map(project, record_id)
    elif not known:
        project.db.execute(
            "INSERT OR IGNORE INTO erasures (record_id, kind, erased) VALUES (?, ?, ?)",
            [record_id, kind, tomb.get("erased") or now_iso()],
        )
    return removed


def erased_count(project: Project) -> int:
    return project.db.execute("SELECT COUNT(*) FROM erasures").fetchone()[0]
