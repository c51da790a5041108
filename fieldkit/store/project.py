"""A project: one SQLite file, opened safely, with one repository per kind of record.

The GUI and the CLI both act through these repositories; nothing outside fieldkit.store
speaks SQL. Every write is its own transaction unless grouped with `project.atomic()`.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fieldkit.errors import FieldkitError, Problem
from fieldkit.store import backups, registry
from fieldkit.store._sqlite_utils import Database
from fieldkit.store.clock import new_id, now_iso
from fieldkit.store.connection import connect, inspect
from fieldkit.store.schema import SCHEMA_VERSION, migrations


class Project:
    """An open project file. Use as a context manager or call close()."""

    def __init__(self, path: Path, db: Database, data_dir: Path):
        from fieldkit.store.repos import (
            ActionsRepo,
            AuditRepo,
            FieldworkersRepo,
            FormsRepo,
            InterviewsRepo,
            MapsRepo,
            RoundsRepo,
            SitesRepo,
        )

        self.path = path
        self.db = db
        self.data_dir = data_dir
        self.device = registry.device_id(data_dir)
        self.audit = AuditRepo(self)
        self.sites = SitesRepo(self)
        self.rounds = RoundsRepo(self)
        self.fieldworkers = FieldworkersRepo(self)
        self.forms = FormsRepo(self)
        self.interviews = InterviewsRepo(self)
        self.maps = MapsRepo(self)
        self.actions = ActionsRepo(self)
        self._fieldworker_id: str | None = None

    # -- identity -------------------------------------------------------------------------
    @property
    def _row(self) -> dict[str, Any]:
        return next(self.db.query("SELECT * FROM project LIMIT 1"))

    @property
    def id(self) -> str:
        return self._row["id"]

    @property
    def name(self) -> str:
        return self._row["name"]

    @property
    def slug(self) -> str:
        return self.path.stem

    @property
    def settings(self) -> dict[str, Any]:
        return json.loads(self._row["settings"])

    def update_settings(self, **changes: Any) -> dict[str, Any]:
        settings = self.settings | changes
        with self.atomic():
            self.db.execute(
                "UPDATE project SET settings = ?, updated = ?",
                [json.dumps(settings), now_iso()],
            )
        return settings

    @property
    def fieldworker_name(self) -> str:
        return registry.fieldworker_name(self.data_dir)

    @property
    def fieldworker_id(self) -> str:
        """The current fieldworker's id, registered on first use."""
        if self._fieldworker_id is None:
            self._fieldworker_id = self.fieldworkers.ensure(self.fieldworker_name)["id"]
        return self._fieldworker_id

    @property
    def schema_version(self) -> int:
        return len(migrations.applied(self.db))

    # -- transactions ---------------------------------------------------------------------
    @contextmanager
    def atomic(self):
        """One transaction (nested calls become savepoints).

        A write the disk refuses (full, read-only, I/O error) is rolled back and reported as a
        refusal naming the file: what was saved before stays saved, and nothing half-written
        remains.
        """
        try:
            with self.db.atomic():
                yield self
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if any(
                word in text for word in ("full", "readonly", "read-only", "disk i/o", "locked")
            ):
                raise FieldkitError(
                    Problem(
                        f"could not save to the project file ({exc}); nothing was changed",
                        file=str(self.path),
                    )
                ) from exc
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def create_project(data_dir: Path, name: str) -> Project:
    name = registry.validate_name(name)
    path = registry.project_path(data_dir, name)
    if path.exists():
        raise FieldkitError(Problem(f"a project named '{name}' already exists", file=str(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    try:
        migrations.apply(db)
        with db.atomic():
            stamp = now_iso()
            db["project"].insert(
                {"id": new_id(), "name": name, "created": stamp, "updated": stamp, "settings": "{}"}
            )
    except Exception:
        db.close()
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    registry.write_state(data_dir, last_project=path.stem)
    return Project(path, db, data_dir)


def open_project_file(path: Path, data_dir: Path, *, backup: bool = True) -> Project:
    """Open an existing project file: inspect, back up, migrate, then connect for writing."""
    if not path.exists():
        raise FieldkitError(Problem("no such project file", file=str(path)))
    version = inspect(path)
    if backup and backups.changed_since_last(path):
        backups.take(path, reason="open")
    if version < SCHEMA_VERSION:
        backups.take(path, reason=f"before-migration-{version}")
    db = connect(path)
    try:
        migrations.apply(db)
    except Exception as exc:
        db.close()
        raise FieldkitError(
            Problem(
                f"could not update the project's schema ({exc}); a backup was kept", file=str(path)
            )
        ) from exc
    project = Project(path, db, data_dir)
    if not project.db["project"].exists() or project.db["project"].count == 0:
        project.close()
        raise FieldkitError(Problem("not a fieldkit project (no project record)", file=str(path)))
    registry.write_state(data_dir, last_project=path.stem)
    return project


def open_project(data_dir: Path, name: str) -> Project:
    info = registry.resolve_project(data_dir, name)
    return open_project_file(info.path, data_dir)


def open_default_project(data_dir: Path, name: str | None = None) -> Project:
    info = registry.resolve_project(data_dir, name)
    return open_project_file(info.path, data_dir)
