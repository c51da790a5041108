"""Opening a project file safely: refuse what is not ours or is damaged, never overwrite it.

Order matters: the file is inspected read-only first (header, `PRAGMA quick_check`, schema
version), so a corrupt file or a file from a newer fieldkit is refused byte-identical; only
then is it opened for writing with the durability pragmas.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fieldkit.errors import FieldkitError, Problem
from fieldkit.store._sqlite_utils import Database
from fieldkit.store.schema import KNOWN_MIGRATIONS, MIGRATION_SET, SCHEMA_VERSION

SQLITE_MAGIC = b"SQLite format 3\x00"


def _refuse(path: Path, message: str) -> FieldkitError:
    return FieldkitError(Problem(message, file=str(path)))


def inspect(path: Path) -> int:
    """Check a project file without changing it; return its schema version (applied migrations).

    Raises FieldkitError when the file is not SQLite, fails quick_check, or is newer than us.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise _refuse(path, f"cannot read the project file: {exc.strerror}") from exc
    if header != SQLITE_MAGIC:
        raise _refuse(path, "not a fieldkit project file (not an SQLite database); left untouched")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _refuse(path, f"cannot open the project file: {exc}") from exc
    try:
        try:
            result = [row[0] for row in conn.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as exc:
            raise _refuse(
                path, f"the project file is damaged ({exc}); left untouched - restore a backup"
            ) from exc
        if result != ["ok"]:
            detail = "; ".join(result[:3])
            raise _refuse(
                path, f"the project file is damaged ({detail}); left untouched - restore a backup"
            )
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "_sqlite_migrations" not in tables:
            if tables:
                raise _refuse(path, "an SQLite file, but not a fieldkit project; left untouched")
            return 0
        applied = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
                [MIGRATION_SET],
            )
        ]
    finally:
        conn.close()
    unknown = [name for name in applied if name not in KNOWN_MIGRATIONS]
    if unknown:
        raise _refuse(
            path,
            f"this project was written by a newer fieldkit (schema {len(applied)}, this build "
            f"knows {SCHEMA_VERSION}); update fieldkit to open it - the file is left untouched",
        )
    return len(applied)


def connect(path: Path) -> Database:
    """Open for writing with the project's pragmas: WAL, foreign keys, synchronous=FULL."""
    # isolation_level=None: no implicit transactions. A statement outside `Project.atomic()`
    # commits at once, and a read can never leave a transaction open that would hold later
    # autosaves uncommitted.
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10.0, isolation_level=None)
    db = Database(conn, execute_plugins=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")
    return db
