"""Rolling backups of a project file, made with SQLite's online backup API.

Taken when a project is opened and before any migration, so the last good state is always one
`fieldkit backup restore` away. The newest KEEP are kept.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fieldkit.errors import FieldkitError, Problem

KEEP = 10
SUFFIX = ".fieldkit"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime
    reason: str
    size: int

    @property
    def name(self) -> str:
        return self.path.name


def backup_dir(project_file: Path) -> Path:
    return project_file.parent.parent / "backups" / project_file.stem


def take(project_file: Path, reason: str = "open", keep: int = KEEP) -> Backup:
    """Copy the project file consistently (even while open elsewhere) and prune old copies."""
    folder = backup_dir(project_file)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{stamp}-{reason}{SUFFIX}"
    src = sqlite3.connect(f"{project_file.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    prune(project_file, keep)
    return _describe(target)


def changed_since_last(project_file: Path) -> bool:
    """Whether the file (or its WAL) changed since the newest backup: no point copying twice."""
    newest = list_backups(project_file)[:1]
    if not newest:
        return True
    stamp = newest[0].path.stat().st_mtime
    wal = Path(f"{project_file}-wal")
    wal_mtime = wal.stat().st_mtime if wal.exists() and wal.stat().st_size > 0 else 0
    modified = max(project_file.stat().st_mtime, wal_mtime)
    return modified > stamp


def prune(project_file: Path, keep: int = KEEP) -> None:
    for old in list_backups(project_file)[keep:]:
        old.path.unlink(missing_ok=True)


def list_backups(project_file: Path) -> list[Backup]:
    """Newest first."""
    folder = backup_dir(project_file)
    if not folder.is_dir():
        return []
    found = [_describe(p) for p in folder.glob(f"*{SUFFIX}")]
    return sorted(found, key=lambda b: b.path.name, reverse=True)


def _describe(path: Path) -> Backup:
    stamp, _, reason = path.stem.partition("-")
    try:
        taken = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        taken = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    return Backup(path=path, taken=taken, reason=reason or "manual", size=path.stat().st_size)


def find(project_file: Path, name: str) -> Backup:
    for backup in list_backups(project_file):
        if backup.name == name or backup.path.stem == name:
            return backup
    raise FieldkitError(
        Problem(f"no backup named '{name}' (see `fieldkit backup list`)", file=str(project_file))
    )


def restore(project_file: Path, backup: Backup) -> Backup:
    """Replace the project with a backup; the current state is itself backed up first.

    The backup is integrity-checked before anything is touched, and copied in with the backup
    API so the WAL of the current file is handled by SQLite, not by us.
    """
    from fieldkit.store.connection import inspect

    inspect(backup.path)
    safety = (
        take(project_file, reason="before-restore", keep=KEEP + 1)
        if project_file.exists()
        else None
    )
    src = sqlite3.connect(f"{backup.path.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(str(project_file))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return safety if safety else backup
