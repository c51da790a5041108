"""A damaged, foreign or newer file is refused with a clear message and left byte-identical."""

import hashlib
import sqlite3

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.store import create_project, open_project
from fieldkit.store.connection import inspect


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make(data_dir):
    p = create_project(data_dir, "Sample")
    p.sites.add("Site A")
    for i in range(200):  # enough rows to span several pages
        p.audit.record("sites", f"id{i}", "touch", pad="x" * 200)
    path = p.path
    p.close()
    return path


def test_not_sqlite_refused_untouched(data_dir):
    path = data_dir / "projects" / "notes.fieldkit"
    path.parent.mkdir(parents=True)
    path.write_text("these are my notes, not a database\n")
    before = digest(path)
    with pytest.raises(FieldkitError, match="not an SQLite database"):
        open_project(data_dir, "notes")
    assert digest(path) == before


def test_empty_file_refused(data_dir):
    path = data_dir / "projects" / "empty.fieldkit"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    with pytest.raises(FieldkitError):
        open_project(data_dir, "empty")
    assert path.read_bytes() == b""


def test_corrupt_file_refused_untouched(data_dir):
    path = make(data_dir)
    raw = bytearray(path.read_bytes())
    page = 4096
    assert len(raw) > 4 * page
    for k in range(1, len(raw) // page):  # trash every b-tree page header after the first
        raw[k * page : k * page + 8] = b"\x42" * 8
    path.write_bytes(bytes(raw))
    before = digest(path)
    with pytest.raises(FieldkitError, match="damaged"):
        open_project(data_dir, "sample")
    assert digest(path) == before


def test_foreign_sqlite_refused(data_dir):
    path = data_dir / "projects" / "other.fieldkit"
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(FieldkitError, match="not a fieldkit project"):
        open_project(data_dir, "other")
    assert digest(path) == before


def test_newer_schema_refused_untouched(data_dir):
    path = make(data_dir)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('fieldkit', '9999_future', 'x')"
    )
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(FieldkitError, match="newer fieldkit"):
        open_project(data_dir, "sample")
    assert digest(path) == before
    assert inspect.__name__  # the check is the read-only inspect()
