"""Relationship maps: one row per actor and per tie, so each canvas edit is one small write.

The repository speaks plain dicts (the shape of `fieldkit.mapping.Map.to_dict()`): keys
`id, interview_id, site, round, focus_question, title, actors[], ties[]`; actor keys
`id, name, sector, kind, influence (None until asked), goals, notes, notes_sensitive, x, y`; tie keys
`id, source, target, type, direction, strength, note`. Site and round are ids in the rows and
names in the dicts the repository returns (`site_name`, `round_name` beside the ids).
"""

from __future__ import annotations

import json
from typing import Any

from fieldkit.errors import FieldkitError
from fieldkit.store.clock import new_id, now_iso
from fieldkit.store.repos.base import Repo

ACTOR_FIELDS = (
    "id",
    "name",
    "sector",
    "kind",
    "influence",
    "goals",
    "notes",
    "notes_sensitive",
    "x",
    "y",
)
TIE_FIELDS = ("id", "source", "target", "type", "direction", "strength", "note")

_MAP_SELECT = """
SELECT m.*, s.name AS site_name, r.name AS round_name,
       (SELECT COUNT(*) FROM map_actors a WHERE a.map = m.id) AS actor_count,
       (SELECT COUNT(*) FROM map_ties t WHERE t.map = m.id) AS tie_count
FROM maps m LEFT JOIN sites s ON s.id = m.site LEFT JOIN rounds r ON r.id = m.round
"""


def _actor_value(key: str, value: Any) -> Any:
    if key == "goals":
        return json.loads(value)
    if key == "notes_sensitive":
        return bool(value)
    return value


class MapsRepo(Repo):
    table = "maps"
    what = "map"

    def create(
        self,
        site: str | None = None,
        round: str | None = None,
        interview_id: str | None = None,
        focus_question: str = "",
        title: str = "",
        map_id: str | None = None,
        vocabulary: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        stamp = now_iso()
        row = {
            "id": map_id or new_id(),
            "interview": interview_id,
            "site": self.project.sites.find(site)["id"] if site else None,
            "round": self.project.rounds.find(round)["id"] if round else None,
            "fieldworker": self.project.fieldworker_id,
            "device": self.project.device,
            "focus_question": focus_question or "",
            "title": title or "",
            "vocabulary": json.dumps(vocabulary or {}),
            "created": stamp,
            "updated": stamp,
        }
        with self.project.atomic():
            self.db["maps"].insert(row)
        return self.load(row["id"])

    def exists(self, map_id: str) -> bool:
        return self._one("SELECT 1 AS found FROM maps WHERE id = ?", [map_id]) is not None

    def list(self, site: str | None = None, round: str | None = None) -> list[dict[str, Any]]:
        where, params = [], []
        if site:
            where.append("m.site = ?")
            params.append(self.project.sites.find(site)["id"])
        if round:
            where.append("m.round = ?")
            params.append(self.project.rounds.find(round)["id"])
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        return list(self.db.query(_MAP_SELECT + clause + " ORDER BY m.created", params))

    def load(self, map_id: str) -> dict[str, Any]:
        row = self._one(_MAP_SELECT + " WHERE m.id = ?", [map_id])
        if row is None:
            raise FieldkitError(f"no map with id {map_id}")
        actors = [
            {k: _actor_value(k, a[k]) for k in ACTOR_FIELDS}
            for a in self.db.query(
                "SELECT * FROM map_actors WHERE map = ? ORDER BY rowid", [map_id]
            )
        ]
        ties = [
            {k: t[k] for k in TIE_FIELDS}
            for t in self.db.query("SELECT * FROM map_ties WHERE map = ? ORDER BY rowid", [map_id])
        ]
        return {
            "id": row["id"],
            "interview_id": row["interview"],
            "site": row["site_name"],
            "round": row["round_name"],
            "site_id": row["site"],
            "round_id": row["round"],
            "focus_question": row["focus_question"],
            "title": row["title"],
            "vocabulary": json.loads(row["vocabulary"] or "{}"),
            "created": row["created"],
            "updated": row["updated"],
            "actors": actors,
            "ties": ties,
        }

    def load_many(self, site: str | None = None, round: str | None = None) -> list[dict[str, Any]]:
        return [self.load(r["id"]) for r in self.list(site, round)]

    # -- fine-grained edits (autosave from the canvas) ----------------------------------
    def _touch(self, map_id: str) -> None:
        self.db.execute("UPDATE maps SET updated = ? WHERE id = ?", [now_iso(), map_id])

    def upsert_actor(self, map_id: str, actor: dict[str, Any]) -> None:
        row = {k: actor.get(k) for k in ACTOR_FIELDS}
        row["goals"] = json.dumps(list(actor.get("goals") or []))
        row["notes"] = actor.get("notes") or ""
        influence = actor.get("influence")
        row["influence"] = None if influence is None else int(influence)
        row["notes_sensitive"] = 1 if actor.get("notes_sensitive", True) else 0
        row |= {"map": map_id, "updated": now_iso()}
        with self.project.atomic():
            self.db["map_actors"].upsert(row, pk="id")
            self._touch(map_id)

    def delete_actor(self, map_id: str, actor_id: str) -> None:
        """Removes the actor and (by cascade) its ties."""
        with self.project.atomic():
            self.db.execute(
                "DELETE FROM map_ties WHERE map = ? AND (source = ? OR target = ?)",
                [map_id, actor_id, actor_id],
            )
            self.db.execute("DELETE FROM map_actors WHERE map = ? AND id = ?", [map_id, actor_id])
            self._touch(map_id)

    def upsert_tie(self, map_id: str, tie: dict[str, Any]) -> None:
        row = {k: tie.get(k) for k in TIE_FIELDS} | {"map": map_id, "updated": now_iso()}
        row["note"] = tie.get("note") or ""
        with self.project.atomic():
            self.db["map_ties"].upsert(row, pk="id")
            self._touch(map_id)

    def delete_tie(self, map_id: str, tie_id: str) -> None:
        with self.project.atomic():
            self.db.execute("DELETE FROM map_ties WHERE map = ? AND id = ?", [map_id, tie_id])
            self._touch(map_id)

    def update_meta(
        self, map_id: str, focus_question: str | None = None, title: str | None = None
    ) -> None:
        with self.project.atomic():
            if focus_question is not None:
                self.db.execute(
                    "UPDATE maps SET focus_question = ? WHERE id = ?", [focus_question, map_id]
                )
            if title is not None:
                self.db.execute("UPDATE maps SET title = ? WHERE id = ?", [title, map_id])
            self._touch(map_id)

    def save(self, data: dict[str, Any]) -> None:
        """Write a whole map (import, merge): actors and ties replaced in one transaction."""
        map_id = data["id"]
        with self.project.atomic():
            if self._one("SELECT id FROM maps WHERE id = ?", [map_id]) is None:
                self.create(
                    site=data.get("site"),
                    round=data.get("round"),
                    interview_id=data.get("interview_id"),
                    focus_question=data.get("focus_question", ""),
                    title=data.get("title", ""),
                    map_id=map_id,
                    vocabulary=data.get("vocabulary"),
                )
            else:
                self.update_meta(map_id, data.get("focus_question", ""), data.get("title", ""))
            self.db.execute("DELETE FROM map_ties WHERE map = ?", [map_id])
            self.db.execute("DELETE FROM map_actors WHERE map = ?", [map_id])
            for actor in data.get("actors", []):
                self.upsert_actor(map_id, actor)
            for tie in data.get("ties", []):
                self.upsert_tie(map_id, tie)

    def delete(self, map_id: str) -> None:
        with self.project.atomic():
            self.db.execute("DELETE FROM maps WHERE id = ?", [map_id])
            self.project.audit.record("maps", map_id, "delete")

    def roster(self, site: str) -> list[dict[str, Any]]:
        """The site's known actors (from all its maps): pick instead of retyping."""
        site_id = self.project.sites.find(site)["id"]
        rows = self.db.query(
            "SELECT a.name, a.sector, a.kind, COUNT(DISTINCT a.map) AS maps FROM map_actors a "
            "JOIN maps m ON m.id = a.map WHERE m.site = ? GROUP BY a.name COLLATE NOCASE "
            "ORDER BY maps DESC, a.name",
            [site_id],
        )
        return list(rows)

    # -- aliases confirmed by the coordinator (site network merge) ----------------------
    def aliases(self) -> dict[str, str]:
        return {r["alias"]: r["canonical"] for r in self.db.query("SELECT * FROM aliases")}

    def confirm_alias(self, alias: str, canonical: str) -> None:
        with self.project.atomic():
            self.db["aliases"].upsert(
                {"alias": alias, "canonical": canonical, "confirmed": now_iso()}, pk="alias"
            )

    def remove_alias(self, alias: str) -> None:
        with self.project.atomic():
            self.db.execute("DELETE FROM aliases WHERE alias = ?", [alias])
