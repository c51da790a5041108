"""The action plan: what partners will do about weak indicators, per site and round."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fieldkit.errors import FieldkitError, Problem
from fieldkit.store.clock import new_id, now_iso
from fieldkit.store.repos.base import Repo
from fieldkit.vocab import ACTION_STATUSES, SECTORS

EDITABLE = ("title", "indicators", "lead_sector", "partners", "due", "status", "notes")


def _validate(fields: dict[str, Any]) -> dict[str, Any]:
    problems = []
    if "title" in fields and not str(fields["title"] or "").strip():
        problems.append(Problem("an action needs a title", column="title"))
    if fields.get("status") is not None and fields["status"] not in ACTION_STATUSES:
        problems.append(
            Problem(
                f"status must be one of {', '.join(ACTION_STATUSES)}, not '{fields['status']}'",
                column="status",
            )
        )
    if fields.get("lead_sector") and fields["lead_sector"] not in SECTORS:
        problems.append(
            Problem(
                f"lead sector must be one of {', '.join(SECTORS)}, not '{fields['lead_sector']}'",
                column="lead_sector",
            )
        )
    if fields.get("due"):
        try:
            date.fromisoformat(str(fields["due"]))
        except ValueError:
            problems.append(
                Problem(f"due date must be YYYY-MM-DD, not '{fields['due']}'", column="due")
            )
    if problems:
        raise FieldkitError(problems)
    out = dict(fields)
    if "indicators" in out:
        inds = out["indicators"]
        if isinstance(inds, str):
            inds = [p for p in inds.replace(",", " ").split() if p]
        out["indicators"] = json.dumps(list(inds or []))
    return out


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"indicators": json.loads(row["indicators"] or "[]")}


class ActionsRepo(Repo):
    table = "actions"
    what = "action"

    def add(self, site: str | None, round: str | None, title: str, **fields: Any) -> dict[str, Any]:
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise FieldkitError(f"unknown action field(s): {', '.join(sorted(unknown))}")
        values = _validate({"title": title, "status": "planned"} | fields)
        stamp = now_iso()
        row = {
            "id": new_id(),
            "site": self.project.sites.find(site)["id"] if site else None,
            "round": self.project.rounds.find(round)["id"] if round else None,
            "created": stamp,
            "updated": stamp,
        } | values
        with self.project.atomic():
            self.db["actions"].insert(row)
        return self.get(row["id"])

    def get(self, action_id: str) -> dict[str, Any]:
        return _decode(super().get(action_id))

    def update(self, action_id: str, **fields: Any) -> dict[str, Any]:
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise FieldkitError(f"unknown action field(s): {', '.join(sorted(unknown))}")
        self.get(action_id)
        values = _validate(fields) | {"updated": now_iso()}
        with self.project.atomic():
            self.db["actions"].update(action_id, values)
        return self.get(action_id)

    def delete(self, action_id: str) -> None:
        self.get(action_id)
        with self.project.atomic():
            self.db.execute("DELETE FROM actions WHERE id = ?", [action_id])
            self.project.audit.record("actions", action_id, "delete")

    def list(self, site: str | None = None, round: str | None = None) -> list[dict[str, Any]]:
        where, params = [], []
        if site:
            where.append("a.site = ?")
            params.append(self.project.sites.find(site)["id"])
        if round:
            where.append("a.round = ?")
            params.append(self.project.rounds.find(round)["id"])
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        rows = self.db.query(
            "SELECT a.*, s.name AS site_name, r.name AS round_name FROM actions a "
            "LEFT JOIN sites s ON s.id = a.site LEFT JOIN rounds r ON r.id = a.round"
            + clause
            + " ORDER BY a.due IS NULL, a.due, a.created",
            params,
        )
        return [_decode(r) for r in rows]
