"""Imported forms: every version kept with its source file, so old interviews stay readable.

A form version is identified by (form_id, SHA-256 of its source file): re-importing the same file
is a no-op, a changed file becomes a new version beside the old one.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit.errors import FieldkitError
from fieldkit.store.clock import new_id, now_iso
from fieldkit.store.repos.base import Repo

if TYPE_CHECKING:
    from fieldkit.forms.model import Form

_COLUMNS = "id, form_id, version, title, source_name, source_hash, imported"


class FormsRepo(Repo):
    table = "forms"
    what = "form"

    def __init__(self, project):
        super().__init__(project)
        self._cache: dict[str, Form] = {}

    def add(self, form: Form, source: bytes, source_name: str) -> tuple[dict[str, Any], bool]:
        """Keep this form version; returns (record, created). Same file twice: not duplicated."""
        digest = hashlib.sha256(source).hexdigest()
        existing = self._one(
            f"SELECT {_COLUMNS} FROM forms WHERE form_id = ? AND source_hash = ?",
            [form.form_id, digest],
        )
        if existing:
            return existing, False
        row = {
            "id": new_id(),
            "form_id": form.form_id,
            "version": form.version or "",
            "title": form.title or form.form_id,
            "source_name": Path(source_name).name,
            "source_hash": digest,
            "source": source,
            "imported": now_iso(),
        }
        with self.project.atomic():
            self.db["forms"].insert(row)
        self._cache[row["id"]] = form
        return {k: v for k, v in row.items() if k != "source"}, True

    def list(self) -> list[dict[str, Any]]:
        return list(self.db.query(f"SELECT {_COLUMNS} FROM forms ORDER BY form_id, imported"))

    def record(self, form_pk: str) -> dict[str, Any]:
        row = self._one(f"SELECT {_COLUMNS} FROM forms WHERE id = ?", [form_pk])
        if row is None:
            raise FieldkitError(f"no imported form with id {form_pk}")
        return row

    def latest(self, form_id: str) -> dict[str, Any]:
        """The newest imported version of a form_id (or a form's record id)."""
        row = self._one(
            f"SELECT {_COLUMNS} FROM forms WHERE form_id = ? OR id = ? ORDER BY imported DESC LIMIT 1",
            [form_id, form_id],
        )
        if row is None:
            known = ", ".join(sorted({r["form_id"] for r in self.list()})) or "none yet"
            raise FieldkitError(f"no imported form '{form_id}' (imported: {known})")
        return row

    def source(self, form_pk: str) -> tuple[bytes, str]:
        row = self._one("SELECT source, source_name FROM forms WHERE id = ?", [form_pk])
        if row is None:
            raise FieldkitError(f"no imported form with id {form_pk}")
        return row["source"], row["source_name"]

    def load(self, form_pk: str) -> Form:
        """The Form of a stored version, parsed from its kept source (cached per project)."""
        if form_pk not in self._cache:
            from fieldkit.forms.load import load_form

            source, name = self.source(form_pk)
            with tempfile.TemporaryDirectory(prefix="fieldkit-form-") as tmp:
                path = Path(tmp) / name
                path.write_bytes(source)
                form = load_form(path)
                form.source = name  # the coordinator's file name, not the temporary copy
                self._cache[form_pk] = form
        return self._cache[form_pk]
