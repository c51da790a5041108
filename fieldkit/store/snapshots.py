"""Portable snapshots of records and their content hashes: the unit bundles carry and compare.

A snapshot names what a record points at by meaning, not by local id (site and round by name,
the form by form_id + SHA-256 of its source), because two laptops that each added "Broughton"
gave it different ids. The content hash covers what the fieldworker recorded and leaves out
bookkeeping (`updated`, screen position, revision counter), so the same content hashes the same
on every machine. Sync decisions are made on these hashes and on `sync_history`, the set of
hashes a record has been exchanged in (see fieldkit.store.merge).
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldkit.store.project import Project

KINDS = ("interviews", "maps", "actions")
_VOLATILE = {
    "interviews": {"updated", "position", "revision", "history", "sealed", "hash", "revisions"},
    "maps": {"updated", "history", "hash"},
    "actions": {"updated", "history", "hash"},
}
_REF_COLUMNS = ("site", "round", "fieldworker")
ACTOR_SKIP = {"map", "updated"}
TIE_SKIP = {"map", "updated"}


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode(
        "utf-8"
    )


def content_hash(kind: str, snapshot: dict[str, Any]) -> str:
    """SHA-256 of what matters in a snapshot; names compared case-insensitively."""
    body = {k: v for k, v in snapshot.items() if k not in _VOLATILE[kind]}
    for ref in _REF_COLUMNS:
        if isinstance(body.get(ref), str):
            body[ref] = body[ref].casefold()
    if kind == "interviews":
        body["attachments"] = [
            {k: a[k] for k in ("id", "key", "filename", "sha256")}
            for a in body.get("attachments", [])
        ]
    return hashlib.sha256(canonical(body)).hexdigest()


def columns(project: Project, table: str) -> list[str]:
    return [r[1] for r in project.db.execute(f"PRAGMA table_info({table})").fetchall()]


def _names(project: Project, row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for ref, table in (("site", "sites"), ("round", "rounds"), ("fieldworker", "fieldworkers")):
        if ref in row:
            rid = row[ref]
            hit = (
                project.db.execute(f"SELECT name FROM {table} WHERE id = ?", [rid]).fetchone()
                if rid
                else None
            )
            out[ref] = hit[0] if hit else None
    return out


def _one(project: Project, sql: str, params: list[Any]) -> dict[str, Any] | None:
    return next(iter(project.db.query(sql, params)), None)


def interview_snapshot(
    project: Project, interview_id: str, with_data: bool = False
) -> dict[str, Any] | None:
    """The interview as a portable dict; `with_data` embeds attachment bytes (base64)."""
    row = _one(project, "SELECT * FROM interviews WHERE id = ?", [interview_id])
    if row is None:
        return None
    form = _one(project, "SELECT form_id, source_hash FROM forms WHERE id = ?", [row["form"]])
    snap = {k: v for k, v in row.items() if k != "form"} | _names(project, row)
    snap["form"] = {"form_id": form["form_id"], "source_hash": form["source_hash"]}
    snap["answers"] = {
        key: json.loads(value)
        for key, value in project.db.execute(
            "SELECT key, value FROM answers WHERE interview = ? ORDER BY key", [interview_id]
        )
    }
    attachments = []
    for a in project.db.query(
        "SELECT id, key, filename, size, sha256, created"
        + (", data" if with_data else "")
        + " FROM attachments WHERE interview = ? ORDER BY id",
        [interview_id],
    ):
        if with_data:
            a["data"] = base64.b64encode(a["data"]).decode("ascii")
        attachments.append(a)
    snap["attachments"] = attachments
    snap["revisions"] = project.interviews.revisions(interview_id)
    return snap


def map_snapshot(project: Project, map_id: str) -> dict[str, Any] | None:
    row = _one(project, "SELECT * FROM maps WHERE id = ?", [map_id])
    if row is None:
        return None
    snap = dict(row) | _names(project, row)
    snap["actors"] = [
        {k: v for k, v in a.items() if k not in ACTOR_SKIP}
        for a in project.db.query("SELECT * FROM map_actors WHERE map = ? ORDER BY id", [map_id])
    ]
    snap["ties"] = [
        {k: v for k, v in t.items() if k not in TIE_SKIP}
        for t in project.db.query("SELECT * FROM map_ties WHERE map = ? ORDER BY id", [map_id])
    ]
    return snap


def action_snapshot(project: Project, action_id: str) -> dict[str, Any] | None:
    row = _one(project, "SELECT * FROM actions WHERE id = ?", [action_id])
    if row is None:
        return None
    return dict(row) | _names(project, row)


def snapshot(project: Project, kind: str, record_id: str) -> dict[str, Any] | None:
    return {"interviews": interview_snapshot, "maps": map_snapshot, "actions": action_snapshot}[
        kind
    ](project, record_id)


def sealed_hash(project: Project, interview_id: str) -> str | None:
    row = project.db.execute(
        "SELECT hash FROM sealed WHERE interview = ?", [interview_id]
    ).fetchone()
    return row[0] if row else None


def local_hash(project: Project, kind: str, record_id: str) -> str | None:
    """The hash of the local copy (a sealed interview keeps the hash taken when sealed)."""
    if kind == "interviews":
        sealed = sealed_hash(project, record_id)
        if sealed:
            return sealed
    snap = snapshot(project, kind, record_id)
    return content_hash(kind, snap) if snap is not None else None
