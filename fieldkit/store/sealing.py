"""Finalized interviews at rest, encrypted to the coordinator on fieldworkers' laptops.

When a project joined from a kit carries the coordinator's public key (`encrypt_at_rest`), a
finalized interview's answers and attached files are moved into one envelope (see
fieldkit.store.crypto) and the plain rows are deleted (secure_delete is on, and the WAL is
checkpointed, so the bytes are overwritten, not just unlinked). The interview's metadata stays
readable (form, site, round, status, respondent code) so lists, counts, retention and erasure
still work; its content can only be read by the coordinator after import.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fieldkit.errors import FieldkitError
from fieldkit.store import crypto
from fieldkit.store.clock import now_iso
from fieldkit.store.snapshots import canonical, content_hash, interview_snapshot

if TYPE_CHECKING:
    from fieldkit.store.project import Project


def encrypts_at_rest(project: Project) -> bool:
    settings = project.settings
    return bool(settings.get("public_key")) and bool(settings.get("encrypt_at_rest"))


def is_sealed(project: Project, interview_id: str) -> bool:
    return (
        project.db.execute("SELECT 1 FROM sealed WHERE interview = ?", [interview_id]).fetchone()
        is not None
    )


def seal_interview(project: Project, interview_id: str) -> str:
    """Encrypt a finalized interview's content in place; returns its content hash."""
    public_pem = project.settings.get("public_key")
    if not public_pem:
        raise FieldkitError("this project has no public key to encrypt to")
    snap = interview_snapshot(project, interview_id, with_data=True)
    if snap is None:
        raise FieldkitError(f"no interview with id {interview_id}")
    if snap["status"] != "finalized":
        raise FieldkitError(f"interview {interview_id} is a draft: only finalized ones are sealed")
    digest = content_hash("interviews", snap)
    envelope = crypto.seal(
        public_pem, canonical(snap), kind="interview", project=project.id, record=interview_id
    )
    with project.atomic():
        project.db.execute(
            "INSERT OR REPLACE INTO sealed (interview, hash, key_id, envelope, sealed) "
            "VALUES (?, ?, ?, ?, ?)",
            [interview_id, digest, crypto.key_id(public_pem), envelope, now_iso()],
        )
        project.db.execute("DELETE FROM answers WHERE interview = ?", [interview_id])
        project.db.execute("DELETE FROM attachments WHERE interview = ?", [interview_id])
        project.db.execute("DELETE FROM interview_revisions WHERE interview = ?", [interview_id])
    return digest


def seal_if_required(project: Project, interview_id: str) -> bool:
    """Called when an interview is finalized: seal it if the project says so."""
    if not encrypts_at_rest(project):
        return False
    seal_interview(project, interview_id)
    return True


def seal_all_finalized(project: Project) -> int:
    """Seal finalized interviews left plain (e.g. finalized before the key was installed)."""
    ids = [
        r[0]
        for r in project.db.execute(
            "SELECT id FROM interviews WHERE status = 'finalized' "
            "AND id NOT IN (SELECT interview FROM sealed)"
        )
    ]
    for interview_id in ids:
        seal_interview(project, interview_id)
    if ids:
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return len(ids)


def envelope(project: Project, interview_id: str) -> tuple[str, bytes] | None:
    row = project.db.execute(
        "SELECT hash, envelope FROM sealed WHERE interview = ?", [interview_id]
    ).fetchone()
    return (row[0], row[1]) if row else None


def open_sealed(
    key: crypto.PrivateKey, data: bytes, declared_hash: str, where: str
) -> dict[str, Any]:
    """Decrypt an interview envelope and check it is what its hash says it is."""
    snap = json.loads(crypto.open_envelope(key, data, where).decode("utf-8"))
    if content_hash("interviews", snap) != declared_hash:
        raise FieldkitError(f"{where}: sealed interview does not match its declared hash; refused")
    return snap
