"""What every repository shares: its project, and lookups that refuse clearly."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fieldkit.errors import FieldkitError

if TYPE_CHECKING:
    from fieldkit.store.project import Project


class Repo:
    table: str = ""
    what: str = "record"

    def __init__(self, project: Project):
        self.project = project

    @property
    def db(self):
        return self.project.db

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        return next(iter(self.db.query(sql, params)), None)

    def get(self, record_id: str) -> dict[str, Any]:
        row = self._one(f"SELECT * FROM {self.table} WHERE id = ?", [record_id])
        if row is None:
            raise FieldkitError(f"no {self.what} with id {record_id}")
        return row
