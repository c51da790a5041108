"""Schema changes are numbered migrations; every older file is brought up to date on open."""

import sqlite3

from sqlite_utils import Database

from fieldkit.store import open_project_file
from fieldkit.store.backups import list_backups
from fieldkit.store.schema import KNOWN_MIGRATIONS, SCHEMA_VERSION, migrations


def test_migrations_are_numbered_in_order():
    numbers = [int(name.split("_", 1)[0]) for name in KNOWN_MIGRATIONS]
    assert numbers == list(range(1, len(numbers) + 1))
    assert SCHEMA_VERSION == len(numbers)


def _file_at_version(path, version):
    """A project file as a build with only the first `version` migrations would have left it."""
    db = Database(sqlite3.connect(path))
    stop = KNOWN_MIGRATIONS[version] if version < SCHEMA_VERSION else None
    migrations.apply(db, stop_before=stop)
    if version >= 1:
        db["project"].insert({"id": "p1", "name": "Old", "created": "t", "updated": "t", "settings": "{}"})
    db.close()


def test_every_older_version_migrates(tmp_path):
    data_dir = tmp_path / "data"
    for version in range(1, SCHEMA_VERSION + 1):
        path = data_dir / "projects" / f"v{version}.fieldkit"
        path.parent.mkdir(parents=True, exist_ok=True)
        _file_at_version(path, version)
        with open_project_file(path, data_dir) as project:
            assert project.schema_version == SCHEMA_VERSION
            assert project.name == "Old"
        if version < SCHEMA_VERSION:
            assert any(b.reason.startswith("before-migration") for b in list_backups(path))


def test_empty_sqlite_file_gets_full_schema(tmp_path):
    path = tmp_path / "data" / "projects" / "blank.fieldkit"
    path.parent.mkdir(parents=True)
    db = Database(sqlite3.connect(path))
    migrations.apply(db)
    db["project"].insert({"id": "p", "name": "Blank", "created": "t", "updated": "t", "settings": "{}"})
    db.close()
    with open_project_file(path, tmp_path / "data") as project:
        tables = set(project.db.table_names())
    assert {"project", "sites", "rounds", "fieldworkers", "forms", "interviews", "answers", "maps",
            "map_actors", "map_ties", "actions", "audit"} <= tables
