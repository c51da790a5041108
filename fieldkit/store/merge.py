"""Merging records from other machines: new, newer, older, or edited on both sides (a conflict).

Every record carries the set of content hashes it has been exchanged in (`sync_history`). For an
incoming copy with hash I and history H_I, against the local copy with hash L and history H_L:

- no local copy: **new**; I == L or I in H_L (we already have it, or something newer):
  **unchanged**; L in H_I (the incoming copy was edited from ours): **updated**;
- otherwise both sides changed it since they last met: a **conflict**. The local copy stays;
  the incoming one is kept whole in `conflicts` until the coordinator picks one or merges
  answer by answer. Nothing is ever overwritten silently.

Because decisions depend only on hashes, import order does not matter and importing the same
bundle twice changes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldkit.errors import FieldkitError
from fieldkit.store.clock import new_id, now_iso
from fieldkit.store.snapshots import columns, content_hash, local_hash, snapshot

if TYPE_CHECKING:
    from fieldkit.store.project import Project

NEW, UPDATED, UNCHANGED, CONFLICT, ERASED = "new", "updated", "unchanged", "conflict", "erased"


# -- history --------------------------------------------------------------------------------
def history(project: Project, kind: str, record_id: str) -> set[str]:
    return {
        r[0]
        for r in project.db.execute(
            "SELECT hash FROM sync_history WHERE kind = ? AND record_id = ?", [kind, record_id]
        )
    }


def remember(project: Project, kind: str, record_id: str, hashes: Iterable[str]) -> None:
    project.db.conn.executemany(
        "INSERT OR IGNORE INTO sync_history (kind, record_id, hash) VALUES (?, ?, ?)",
        [(kind, record_id, h) for h in hashes if h],
    )


def is_erased(project: Project, record_id: str) -> bool:
    return (
        project.db.execute("SELECT 1 FROM erasures WHERE record_id = ?", [record_id]).fetchone()
        is not None
    )


def decide(
    project: Project, kind: str, record_id: str, incoming: str, incoming_history: set[str]
) -> str:
    if is_erased(project, record_id):
        return ERASED
    local = local_hash(project, kind, record_id)
    if local is None:
        return NEW
    if incoming == local or incoming in history(project, kind, record_id):
        return UNCHANGED
    if local in incoming_history:
        return UPDATED
    return CONFLICT


# -- writing a snapshot --------------------------------------------------------------------
def _ref_id(project: Project, table: str, name: str | None) -> str | None:
    if not name:
        return None
    row = project.db.execute(
        f"SELECT id FROM {table} WHERE name = ? COLLATE NOCASE", [name]
    ).fetchone()
    if row:
        return row[0]
    if table == "sites":
        return project.sites.add(name)["id"]
    if table == "rounds":
        return project.rounds.add(name)["id"]
    return project.fieldworkers.ensure(name)["id"]


def _refs(project: Project, snap: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for ref, table in (("site", "sites"), ("round", "rounds"), ("fieldworker", "fieldworkers")):
        if ref in snap:
            out[ref] = _ref_id(project, table, snap[ref])
    return out


def form_pk(project: Project, form_ref: dict[str, str]) -> str:
    row = project.db.execute(
        "SELECT id FROM forms WHERE form_id = ? AND source_hash = ?",
        [form_ref["form_id"], form_ref["source_hash"]],
    ).fetchone()
    if row is None:
        raise FieldkitError(
            f"form '{form_ref['form_id']}' ({form_ref['source_hash'][:12]}) is neither in the "
            "bundle nor in the project"
        )
    return row[0]


def _upsert(project: Project, table: str, row: dict[str, Any]) -> None:
    known = set(columns(project, table))
    row = {k: v for k, v in row.items() if k in known}
    names = list(row)
    updates = ", ".join(f"{n} = excluded.{n}" for n in names if n != "id")
    project.db.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}",
        [row[n] for n in names],
    )


def write_interview(project: Project, snap: dict[str, Any]) -> None:
    """Make the local copy exactly the snapshot (attachments must carry base64 `data`)."""
    interview_id = snap["id"]
    row = {
        k: v
        for k, v in snap.items()
        if k not in ("answers", "attachments", "form", "history", "hash", "sealed", "revisions")
    }
    row |= _refs(project, snap) | {"form": form_pk(project, snap["form"])}
    _upsert(project, "interviews", row)
    # earlier finalized revisions only accumulate: a revision is never rewritten
    project.db.conn.executemany(
        "INSERT OR IGNORE INTO interview_revisions (interview, revision, finalized, answers, recorded) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            (
                interview_id,
                r["revision"],
                r.get("finalized"),
                json.dumps(r.get("answers") or {}),
                r.get("recorded") or now_iso(),
            )
            for r in snap.get("revisions") or []
        ],
    )
    project.db.execute("DELETE FROM sealed WHERE interview = ?", [interview_id])
    project.db.execute("DELETE FROM answers WHERE interview = ?", [interview_id])
    project.db.conn.executemany(
        "INSERT INTO answers (interview, key, value, updated) VALUES (?, ?, ?, ?)",
        [
            (interview_id, k, json.dumps(v, ensure_ascii=False), snap.get("updated") or now_iso())
            for k, v in snap.get("answers", {}).items()
            if v is not None
        ],
    )
    project.db.execute("DELETE FROM attachments WHERE interview = ?", [interview_id])
    for a in snap.get("attachments", []):
        data = base64.b64decode(a["data"])
        if hashlib.sha256(data).hexdigest() != a["sha256"]:
            raise FieldkitError(f"attachment {a['filename']} does not match its checksum")
        project.db["attachments"].insert(
            {k: a[k] for k in ("id", "key", "filename", "size", "sha256", "created")}
            | {"interview": interview_id, "data": data}
        )


def write_sealed_interview(
    project: Project, meta: dict[str, Any], digest: str, key_id: str, envelope: bytes
) -> None:
    """Keep an interview still encrypted (laptop-to-laptop relay): metadata plain, content sealed."""
    row = {
        k: v
        for k, v in meta.items()
        if k not in ("answers", "attachments", "form", "history", "hash", "sealed", "revisions")
    }
    row |= _refs(project, meta) | {"form": form_pk(project, meta["form"])}
    _upsert(project, "interviews", row)
    project.db.execute("DELETE FROM answers WHERE interview = ?", [meta["id"]])
    project.db.execute("DELETE FROM attachments WHERE interview = ?", [meta["id"]])
    project.db.execute(
        "INSERT OR REPLACE INTO sealed (interview, hash, key_id, envelope, sealed) "
        "VALUES (?, ?, ?, ?, ?)",
        [meta["id"], digest, key_id, envelope, now_iso()],
    )


def write_map(project: Project, snap: dict[str, Any]) -> None:
    map_id = snap["id"]
    row = {k: v for k, v in snap.items() if k not in ("actors", "ties", "history", "hash")}
    row |= _refs(project, snap)
    if row.get("interview") and (
        project.db.execute("SELECT 1 FROM interviews WHERE id = ?", [row["interview"]]).fetchone()
        is None
    ):
        row["interview"] = None  # its interview was erased or never sent: keep the map
    _upsert(project, "maps", row)
    project.db.execute("DELETE FROM map_ties WHERE map = ?", [map_id])
    project.db.execute("DELETE FROM map_actors WHERE map = ?", [map_id])
    stamp = snap.get("updated") or now_iso()
    for actor in snap.get("actors", []):
        project.db["map_actors"].insert(dict(actor) | {"map": map_id, "updated": stamp})
    for tie in snap.get("ties", []):
        project.db["map_ties"].insert(dict(tie) | {"map": map_id, "updated": stamp})


def write_action(project: Project, snap: dict[str, Any]) -> None:
    row = {k: v for k, v in snap.items() if k not in ("history", "hash")} | _refs(project, snap)
    _upsert(project, "actions", row)


WRITERS = {"interviews": write_interview, "maps": write_map, "actions": write_action}


def record_conflict(
    project: Project,
    kind: str,
    snap: dict[str, Any],
    incoming_hash: str,
    source: dict[str, Any],
) -> bool:
    """Keep the incoming copy beside ours; False when this very copy is already recorded."""
    local = local_hash(project, kind, snap["id"]) or ""
    cursor = project.db.execute(
        "INSERT OR IGNORE INTO conflicts (id, kind, record_id, local_hash, incoming_hash, "
        "incoming, source_device, source_fieldworker, bundle, created) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            new_id(),
            kind,
            snap["id"],
            local,
            incoming_hash,
            json.dumps(snap, ensure_ascii=False),
            source.get("device"),
            source.get("fieldworker"),
            source.get("bundle_id"),
            now_iso(),
        ],
    )
    return cursor.rowcount > 0


# -- conflicts, for the coordinator -----------------------------------------------------------
@dataclass(frozen=True)
class AnswerDifference:
    key: str
    local: Any
    incoming: Any


class Conflicts:
    """Records edited on two machines: list them, compare them, resolve them."""

    def __init__(self, project: Project):
        self.project = project

    def list(self, include_resolved: bool = False) -> list[dict[str, Any]]:
        where = "" if include_resolved else "WHERE resolved IS NULL"
        rows = self.project.db.query(
            "SELECT id, kind, record_id, local_hash, incoming_hash, source_device, "
            f"source_fieldworker, bundle, created, resolved, resolution FROM conflicts {where} "
            "ORDER BY created, id"
        )
        return list(rows)

    def count(self) -> int:
        return self.project.db.execute(
            "SELECT COUNT(*) FROM conflicts WHERE resolved IS NULL"
        ).fetchone()[0]

    def get(self, conflict_id: str) -> dict[str, Any]:
        row = next(
            iter(self.project.db.query("SELECT * FROM conflicts WHERE id = ?", [conflict_id])),
            None,
        )
        if row is None:
            raise FieldkitError(f"no conflict with id {conflict_id}")
        return row | {"incoming": json.loads(row["incoming"])}

    def versions(self, conflict_id: str) -> tuple[dict[str, Any] | None, dict[str, Any]]:
        """(local snapshot now, incoming snapshot)."""
        row = self.get(conflict_id)
        return snapshot(self.project, row["kind"], row["record_id"]), row["incoming"]

    def differences(self, conflict_id: str) -> list[AnswerDifference]:
        """Answer by answer (interviews) or field by field (maps, actions): what differs."""
        local, incoming = self.versions(conflict_id)
        local = local or {}
        if self.get(conflict_id)["kind"] == "interviews":
            a, b = local.get("answers", {}), incoming.get("answers", {})
        else:
            skip = {"updated", "history", "hash"}
            a = {k: v for k, v in local.items() if k not in skip}
            b = {k: v for k, v in incoming.items() if k not in skip}
        return [
            AnswerDifference(k, a.get(k), b.get(k))
            for k in sorted(set(a) | set(b))
            if a.get(k) != b.get(k)
        ]

    def _open(self, conflict_id: str) -> dict[str, Any]:
        row = self.get(conflict_id)
        if row["resolved"]:
            raise FieldkitError(
                f"conflict {conflict_id} was already resolved ({row['resolution']})"
            )
        return row

    def _finish(self, row: dict[str, Any], resolution: str, result_hashes: Iterable[str]) -> None:
        kind, record_id = row["kind"], row["record_id"]
        remember(
            self.project,
            kind,
            record_id,
            [
                row["local_hash"],
                row["incoming_hash"],
                *result_hashes,
                *row["incoming"].get("history", []),
            ],
        )
        self.project.db.execute(
            "UPDATE conflicts SET resolved = ?, resolution = ? WHERE id = ?",
            [now_iso(), resolution, row["id"]],
        )
        self.project.audit.record(kind, record_id, "resolve-conflict", resolution=resolution)

    def resolve(self, conflict_id: str, keep: str) -> None:
        """keep='local' (ours stays) or 'incoming' (theirs replaces ours)."""
        if keep not in ("local", "incoming"):
            raise FieldkitError("resolve a conflict by keeping 'local' or 'incoming'")
        row = self._open(conflict_id)
        with self.project.atomic():
            self.project.db.execute("PRAGMA defer_foreign_keys = ON")
            current = local_hash(self.project, row["kind"], row["record_id"])
            if keep == "incoming":
                self._write(row["kind"], row["incoming"])
            self._finish(row, f"kept {keep}", [current or ""])

    def merge_answers(self, conflict_id: str, choices: dict[str, str]) -> dict[str, Any]:
        """Interview conflicts: take each differing answer from 'local' or 'incoming'.

        Answers not named keep the local value. Returns the merged snapshot.
        """
        row = self._open(conflict_id)
        if row["kind"] != "interviews":
            raise FieldkitError("only interviews merge answer by answer; pick one version")
        local, incoming = self.versions(conflict_id)
        if local is None:
            raise FieldkitError("the local copy no longer exists (erased?)")
        bad = {k: v for k, v in choices.items() if v not in ("local", "incoming")}
        if bad:
            raise FieldkitError(f"choose 'local' or 'incoming' for: {', '.join(sorted(bad))}")
        answers = dict(local["answers"])
        for key, side in choices.items():
            if side == "incoming":
                if key in incoming["answers"]:
                    answers[key] = incoming["answers"][key]
                else:
                    answers.pop(key, None)
        merged = dict(local) | {"answers": answers, "updated": now_iso()}
        # keep local attachment bytes
        full = {
            a["id"]: a
            for a in (
                self.project.db.query(
                    "SELECT id, data FROM attachments WHERE interview = ?", [row["record_id"]]
                )
            )
        }
        merged["attachments"] = [
            dict(a) | {"data": base64.b64encode(full[a["id"]]["data"]).decode("ascii")}
            for a in local["attachments"]
        ]
        with self.project.atomic():
            current = local_hash(self.project, "interviews", row["record_id"])
            self._write("interviews", merged)
            self._finish(
                row,
                "merged answers: " + ", ".join(f"{k}={v}" for k, v in sorted(choices.items())),
                [current or "", content_hash("interviews", merged)],
            )
        return merged

    def _write(self, kind: str, snap: dict[str, Any]) -> None:
        if kind == "interviews" and snap.get("sealed"):
            raise FieldkitError("this version is still encrypted: import it with the private key")
        WRITERS[kind](self.project, snap)
