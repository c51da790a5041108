"""The audit log: who changed a finalized record (or erased one), when, from which device."""

from __future__ import annotations

import json
from typing import Any

from fieldkit.store.clock import new_id, now_iso
from fieldkit.store.repos.base import Repo


class AuditRepo(Repo):
    table = "audit"
    what = "audit entry"

    def record(self, record_table: str, record_id: str, action: str, **detail: Any) -> str:
        entry_id = new_id()
        self.db["audit"].insert(
            {
                "id": entry_id,
                "at": now_iso(),
                "fieldworker": self.project.fieldworker_name,
                "device": self.project.device,
                "record_table": record_table,
                "record_id": record_id,
                "action": action,
                "detail": json.dumps(detail, ensure_ascii=False, default=str),
            }
        )
        return entry_id

    def list(self, record_id: str | None = None) -> list[dict[str, Any]]:
        where, params = ("WHERE record_id = ?", [record_id]) if record_id else ("", [])
        rows = self.db.query(f"SELECT * FROM audit {where} ORDER BY seq", params)
        return [r | {"detail": json.loads(r["detail"])} for r in rows]
