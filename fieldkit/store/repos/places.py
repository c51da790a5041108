"""Sites, rounds and fieldworkers: the small named things every record points at."""

from __future__ import annotations

from typing import Any

from fieldkit.errors import FieldkitError
from fieldkit.store.clock import new_id, now_iso
from fieldkit.store.registry import validate_name
from fieldkit.store.repos.base import Repo


class _Named(Repo):
    def list(self) -> list[dict[str, Any]]:
        return list(self.db.query(f"SELECT * FROM {self.table} ORDER BY {self._order}"))

    _order = "name"

    def find(self, name_or_id: str) -> dict[str, Any]:
        """By id or (case-insensitive) name; refuses clearly when there is none."""
        row = self._one(
            f"SELECT * FROM {self.table} WHERE id = ? OR name = ? COLLATE NOCASE",
            [name_or_id, name_or_id],
        )
        if row is None:
            known = ", ".join(r["name"] for r in self.list()) or "none yet"
            raise FieldkitError(f"no {self.what} '{name_or_id}' (known: {known})")
        return row

    def maybe(self, name_or_id: str | None) -> dict[str, Any] | None:
        return self.find(name_or_id) if name_or_id else None

    def _refuse_duplicate(self, name: str) -> None:
        if self._one(f"SELECT id FROM {self.table} WHERE name = ? COLLATE NOCASE", [name]):
            raise FieldkitError(f"{self.what} '{name}' already exists")


class SitesRepo(_Named):
    table = "sites"
    what = "site"

    def add(self, name: str) -> dict[str, Any]:
        name = validate_name(name, "site")
        with self.project.atomic():
            self._refuse_duplicate(name)
            stamp = now_iso()
            row = {"id": new_id(), "name": name, "created": stamp, "updated": stamp}
            self.db["sites"].insert(row)
        return row


class RoundsRepo(_Named):
    table = "rounds"
    what = "round"
    _order = "ordinal"

    def add(self, name: str) -> dict[str, Any]:
        """Rounds are ordered by when they were added: baseline first, then follow-ups."""
        name = validate_name(name, "round")
        with self.project.atomic():
            self._refuse_duplicate(name)
            last = self._one("SELECT MAX(ordinal) AS m FROM rounds", [])
            stamp = now_iso()
            row = {
                "id": new_id(),
                "name": name,
                "ordinal": (last["m"] or 0) + 1,
                "created": stamp,
                "updated": stamp,
            }
            self.db["rounds"].insert(row)
        return row

    def previous(self, round_id: str) -> dict[str, Any] | None:
        current = self.get(round_id)
        return self._one(
            "SELECT * FROM rounds WHERE ordinal < ? ORDER BY ordinal DESC LIMIT 1",
            [current["ordinal"]],
        )


class FieldworkersRepo(_Named):
    table = "fieldworkers"
    what = "fieldworker"

    def ensure(self, name: str) -> dict[str, Any]:
        name = validate_name(name, "fieldworker")
        row = self._one("SELECT * FROM fieldworkers WHERE name = ? COLLATE NOCASE", [name])
        if row:
            return row
        row = {"id": new_id(), "name": name, "created": now_iso()}
        with self.project.atomic():
            self.db["fieldworkers"].insert(row)
        return row
