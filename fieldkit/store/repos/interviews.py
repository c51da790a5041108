"""Interviews and their answers: each answer is durable the moment it is written.

`set_answer` is one single-row UPSERT in its own transaction (synchronous=FULL), so what the
fieldworker saw accepted survives a power cut. Finalized interviews refuse edits unless
reopened through `reopen`, which writes the audit log.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fieldkit.errors import FieldkitError
from fieldkit.store.clock import new_id, now_iso
from fieldkit.store.repos.base import Repo

MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class InterviewRow:
    id: str
    form: str  # forms.id (a specific version)
    form_id: str
    form_title: str
    site: str | None
    site_name: str | None
    round: str | None
    round_name: str | None
    fieldworker: str | None
    fieldworker_name: str | None
    device: str
    status: str
    respondent_code: str | None
    respondent_sector: str | None
    language: str | None
    position: str | None
    revision: int
    created: str
    updated: str
    finalized: str | None
    consent: str | None  # the consent_profile interview that opened this one


_SELECT = """
SELECT i.*, f.form_id AS form_id, f.title AS form_title, s.name AS site_name,
       r.name AS round_name, w.name AS fieldworker_name
FROM interviews i
JOIN forms f ON f.id = i.form
LEFT JOIN sites s ON s.id = i.site
LEFT JOIN rounds r ON r.id = i.round
LEFT JOIN fieldworkers w ON w.id = i.fieldworker
"""


def _row(r: dict[str, Any]) -> InterviewRow:
    return InterviewRow(**{k: r[k] for k in InterviewRow.__dataclass_fields__})


class InterviewsRepo(Repo):
    table = "interviews"
    what = "interview"

    # -- lifecycle ------------------------------------------------------------------------
    def create(
        self,
        form_pk: str,
        site: str | None = None,
        round: str | None = None,
        language: str | None = None,
        interview_id: str | None = None,
        consent: str | None = None,
        fieldworker: str | None = None,
    ) -> InterviewRow:
        """A new draft. With `consent` (a finalized consent interview), the respondent's code and
        sector are carried over: consent comes first, and nothing else opens without it."""
        respondent_code = respondent_sector = None
        if consent:
            given = self.get(consent)
            if given.status != "finalized":
                raise FieldkitError(
                    "the consent interview must be finalized before the interview opens"
                )
            respondent_code, respondent_sector = given.respondent_code, given.respondent_sector
            site = site or given.site
            round = round or given.round
        site_id = self.project.sites.find(site)["id"] if site else None
        round_id = self.project.rounds.find(round)["id"] if round else None
        self.project.forms.record(form_pk)
        stamp = now_iso()
        row = {
            "id": interview_id or new_id(),
            "form": form_pk,
            "site": site_id,
            "round": round_id,
            "fieldworker": (
                self.project.fieldworkers.ensure(fieldworker)["id"]
                if fieldworker
                else self.project.fieldworker_id
            ),
            "device": self.project.device,
            "status": "draft",
            "language": language,
            "consent": consent,
            "respondent_code": respondent_code,
            "respondent_sector": respondent_sector,
            "created": stamp,
            "updated": stamp,
        }
        with self.project.atomic():
            self.db["interviews"].insert(row)
        return self.get(row["id"])

    def get(self, interview_id: str) -> InterviewRow:  # type: ignore[override]
        row = self._one(_SELECT + " WHERE i.id = ?", [interview_id])
        if row is None:
            raise FieldkitError(f"no interview with id {interview_id}")
        return _row(row)

    def list(
        self,
        site: str | None = None,
        round: str | None = None,
        fieldworker: str | None = None,
        status: str | None = None,
        form_id: str | None = None,
    ) -> list[InterviewRow]:
        where, params = [], []
        if site:
            where.append("i.site = ?")
            params.append(self.project.sites.find(site)["id"])
        if round:
            where.append("i.round = ?")
            params.append(self.project.rounds.find(round)["id"])
        if fieldworker:
            where.append("i.fieldworker = ?")
            params.append(self.project.fieldworkers.find(fieldworker)["id"])
        if status:
            where.append("i.status = ?")
            params.append(status)
        if form_id:
            where.append("f.form_id = ?")
            params.append(form_id)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        rows = self.db.query(_SELECT + clause + " ORDER BY i.updated DESC", params)
        return [_row(r) for r in rows]

    def drafts(self) -> list[InterviewRow]:
        return self.list(status="draft")

    # -- answers --------------------------------------------------------------------------
    def _require_draft(self, interview_id: str) -> InterviewRow:
        row = self.get(interview_id)
        if row.status != "draft":
            raise FieldkitError(
                f"interview {interview_id} is finalized: reopen it (edit finalized) to change it"
            )
        return row

    def set_answer(self, interview_id: str, key: str, value: Any) -> None:
        """Make one answer durable: one UPSERT, committed before returning."""
        self.set_answers(interview_id, {key: value})

    def set_answers(
        self, interview_id: str, values: dict[str, Any], cleared: tuple[str, ...] = ()
    ) -> None:
        """Several answers (and removals) in one transaction; None removes an answer."""
        self._require_draft(interview_id)
        stamp = now_iso()
        upserts = [
            (interview_id, k, json.dumps(v, ensure_ascii=False), stamp)
            for k, v in values.items()
            if v is not None
        ]
        removals = [(interview_id, k) for k, v in values.items() if v is None] + [
            (interview_id, k) for k in cleared
        ]
        with self.project.atomic():
            if upserts:
                self.db.conn.executemany(
                    "INSERT INTO answers (interview, key, value, updated) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (interview, key) DO UPDATE SET value = excluded.value, updated = excluded.updated",
                    upserts,
                )
            if removals:
                self.db.conn.executemany(
                    "DELETE FROM answers WHERE interview = ? AND key = ?", removals
                )
            self.db.execute("UPDATE interviews SET updated = ? WHERE id = ?", [stamp, interview_id])

    def clear_answer(self, interview_id: str, key: str) -> None:
        self.set_answers(interview_id, {}, cleared=(key,))

    def answers(self, interview_id: str) -> dict[str, Any]:
        rows = self.db.execute(
            "SELECT key, value FROM answers WHERE interview = ? ORDER BY key", [interview_id]
        ).fetchall()
        return {key: json.loads(value) for key, value in rows}

    def answers_for(self, interview_ids: list[str]) -> dict[str, dict[str, Any]]:
        """Answers of many interviews in one read (scoring, exports).

        SQLite groups each interview's answers into one JSON object, so Python decodes one
        document per interview instead of one value per answer; nothing is written.
        """
        result: dict[str, dict[str, Any]] = {i: {} for i in interview_ids}
        if not interview_ids:
            return result
        cursor = self.db.execute(
            "SELECT interview, json_group_object(key, json(value)) FROM answers "
            "WHERE interview IN (SELECT value FROM json_each(?)) GROUP BY interview",
            [json.dumps(list(interview_ids))],
        )
        for interview, document in cursor:
            result[interview] = json.loads(document)
        return result

    def set_position(
        self, interview_id: str, position: str | None, language: str | None = None
    ) -> None:
        """Where the fieldworker is (screen key) and in which language: resume returns there."""
        with self.project.atomic():
            self.db.execute(
                "UPDATE interviews SET position = ?, language = COALESCE(?, language) WHERE id = ?",
                [position, language, interview_id],
            )

    # -- finalize, reopen, discard ------------------------------------------------------
    def finalize(
        self,
        interview_id: str,
        values: dict[str, Any],
        respondent_code: str | None = None,
        respondent_sector: str | None = None,
    ) -> InterviewRow:
        """Replace the draft's answers by the engine's final values (irrelevant ones dropped)."""
        self._require_draft(interview_id)
        stamp = now_iso()
        with self.project.atomic():
            self.db.execute("DELETE FROM answers WHERE interview = ?", [interview_id])
            self.db.conn.executemany(
                "INSERT INTO answers (interview, key, value, updated) VALUES (?, ?, ?, ?)",
                [
                    (interview_id, k, json.dumps(v, ensure_ascii=False), stamp)
                    for k, v in values.items()
                    if v is not None
                ],
            )
            self.db.execute(
                "UPDATE interviews SET status = 'finalized', finalized = ?, updated = ?, "
                "respondent_code = COALESCE(?, respondent_code), "
                "respondent_sector = COALESCE(?, respondent_sector) WHERE id = ?",
                [stamp, stamp, respondent_code, respondent_sector, interview_id],
            )
            self.project.audit.record("interviews", interview_id, "finalize", answers=len(values))
            from fieldkit.store.sealing import seal_if_required  # encrypted at rest on laptops

            sealed = seal_if_required(self.project, interview_id)
        if sealed:  # old page images of the plain answers must not linger in the WAL
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return self.get(interview_id)

    def reopen(self, interview_id: str, reason: str = "") -> InterviewRow:
        """Edit a finalized interview: an explicit, audited step back to draft."""
        row = self.get(interview_id)
        if row.status != "finalized":
            raise FieldkitError(f"interview {interview_id} is not finalized")
        if self._one("SELECT 1 FROM sealed WHERE interview = ?", [interview_id]):
            raise FieldkitError(
                f"interview {interview_id} is encrypted for the coordinator: only they can reopen it"
            )
        with self.project.atomic():
            # the finalized revision is kept whole before it becomes editable again
            self.db.execute(
                "INSERT OR REPLACE INTO interview_revisions (interview, revision, finalized, answers, recorded) "
                "SELECT ?, ?, ?, COALESCE(json_group_object(key, json(value)), '{}'), ? "
                "FROM answers WHERE interview = ?",
                [interview_id, row.revision, row.finalized, now_iso(), interview_id],
            )
            self.db.execute(
                "UPDATE interviews SET status = 'draft', revision = revision + 1, updated = ? WHERE id = ?",
                [now_iso(), interview_id],
            )
            self.project.audit.record(
                "interviews",
                interview_id,
                "edit-finalized",
                reason=reason,
                revision=row.revision + 1,
            )
        return self.get(interview_id)

    def revisions(self, interview_id: str) -> list[dict[str, Any]]:
        """The earlier finalized revisions of an interview, oldest first (answers decoded)."""
        rows = self.db.execute(
            "SELECT revision, finalized, answers, recorded FROM interview_revisions "
            "WHERE interview = ? ORDER BY revision",
            [interview_id],
        ).fetchall()
        return [
            {"revision": r, "finalized": f, "answers": json.loads(a), "recorded": at}
            for r, f, a, at in rows
        ]

    def discard(self, interview_id: str) -> None:
        """Delete a draft (never a finalized interview: that is an erasure, audited elsewhere)."""
        self._require_draft(interview_id)
        with self.project.atomic():
            self.db.execute("DELETE FROM interviews WHERE id = ?", [interview_id])
            self.project.audit.record("interviews", interview_id, "discard-draft")

    # -- attachments ----------------------------------------------------------------------
    def attach(self, interview_id: str, key: str, file: Path) -> dict[str, Any]:
        """Copy a file into the project (the answer then names it); size-limited."""
        self._require_draft(interview_id)
        size = file.stat().st_size
        if size > MAX_ATTACHMENT_BYTES:
            raise FieldkitError(
                f"{file.name}: too large to attach ({size // 1_048_576} MB; 200 MB at most)"
            )
        data = file.read_bytes()
        row = {
            "id": new_id(),
            "interview": interview_id,
            "key": key,
            "filename": file.name,
            "size": size,
            "sha256": hashlib.sha256(data).hexdigest(),
            "data": data,
            "created": now_iso(),
        }
        with self.project.atomic():
            self.db["attachments"].insert(row)
            self.set_answer(interview_id, key, file.name)
        return {k: v for k, v in row.items() if k != "data"}

    def attachments(self, interview_id: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "SELECT id, interview, key, filename, size, sha256, created FROM attachments "
                "WHERE interview = ? ORDER BY created",
                [interview_id],
            )
        )

    def attachment_data(self, attachment_id: str) -> bytes:
        row = self._one("SELECT data FROM attachments WHERE id = ?", [attachment_id])
        if row is None:
            raise FieldkitError(f"no attachment with id {attachment_id}")
        return row["data"]

    def counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT status, COUNT(*) FROM interviews GROUP BY status").fetchall()
        return {status: n for status, n in rows}
