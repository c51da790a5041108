"""Imported forms: every version kept with its source file, so old interviews stay readable.

A form version is identified by (form_id, digest of its source file and the choices CSVs its
select_*_from_file questions read): re-importing the same files is a no-op, a changed form or
CSV becomes a new version beside the old one.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldkit.errors import FieldkitError
from fieldkit.store.clock import new_id, now_iso
from fieldkit.store.repos.base import Repo

if TYPE_CHECKING:
    from fieldkit.forms.model import Form


def form_digest(source: bytes, files: Mapping[str, bytes] | None = None) -> str:
    """SHA-256 of a form file, and of its choices CSVs when it has any (name and content)."""
    digest = hashlib.sha256(source)
    if not files:
        return digest.hexdigest()
    for name, content in sorted(files.items()):
        digest.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(content).digest())
    return digest.hexdigest()


_COLUMNS = "id, form_id, version, title, source_name, source_hash, imported"


class FormsRepo(Repo):
    table = "forms"
    what = "form"

    def __init__(self, project):
        super().__init__(project)
        self._cache: dict[str, Form] = {}

    def add(
        self,
        form: Form,
        source: bytes,
        source_name: str,
        files: Mapping[str, bytes] | None = None,
    ) -> tuple[dict[str, Any], bool]:
        """Keep this form version; returns (record, created). Same files twice: not duplicated."""
        files = dict(files or {})
        digest = form_digest(source, files)
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
            for name, content in sorted(files.items()):
                self.db["form_files"].insert({"form": row["id"], "name": name, "content": content})
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

    def files(self, form_pk: str) -> dict[str, bytes]:
        """The choices CSVs kept with a form version (name -> bytes)."""
        rows = self.db.execute(
            "SELECT name, content FROM form_files WHERE form = ? ORDER BY name", [form_pk]
        )
        return {name: content for name, content in rows}

    def load(self, form_pk: str) -> Form:
        """The Form of a stored version, parsed from its kept source (cached per project)."""
        if form_pk not in self._cache:
            from fieldkit.forms.load import load_form

            source, name = self.source(form_pk)
            with tempfile.TemporaryDirectory(prefix="fieldkit-form-") as tmp:
                path = Path(tmp) / name
                path.write_bytes(source)
                form = load_form(path, files=self.files(form_pk))
                form.source = name  # the coordinator's file name, not the temporary copy
                self._cache[form_pk] = form
        return self._cache[form_pk]
