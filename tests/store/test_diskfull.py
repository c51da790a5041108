"""A full disk or a read-only file: the app says so and keeps what it had."""

import subprocess
import sys
import textwrap

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.store import open_project_file
from fieldkit.store.bundles import export_bundle, import_bundle
from tests.store.team_helpers import coordinator, digest, interview, kit_for, laptop


@pytest.fixture
def pair(tmp_path):
    coord = coordinator(tmp_path)
    lap = laptop(tmp_path, kit_for(coord, tmp_path), "lap")
    for n in range(30):
        interview(lap, {"q": n, "text": "some words " * 40})
    export_bundle(lap, tmp_path / "lap.fkb")
    yield tmp_path, coord, lap
    coord.close()
    lap.close()


def _reopen(project):
    path, data_dir = project.path, project.data_dir
    project.close()
    return path, data_dir


def test_import_on_a_full_disk_is_refused_and_rolled_back(pair):
    root, coord, lap = pair
    path, data_dir = _reopen(coord)
    before = digest(path)
    coord = open_project_file(path, data_dir, backup=False)
    pages = coord.db.execute("PRAGMA page_count").fetchone()[0]
    coord.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own 'disk full'
    with pytest.raises(FieldkitError, match="disk is full"):
        import_bundle(coord, root / "lap.fkb")
    assert coord.db.execute("SELECT COUNT(*) FROM interviews").fetchone()[0] == 0
    coord.close()
    assert digest(path) == before
    coord = open_project_file(path, data_dir, backup=False)  # space again: it imports
    assert import_bundle(coord, root / "lap.fkb").counts["new"] == 30
    coord.close()


def test_import_into_read_only_file_is_refused(pair):
    root, coord, lap = pair
    coord.db.execute("PRAGMA query_only = ON")
    with pytest.raises(FieldkitError, match="read-only|readonly|cannot be written"):
        import_bundle(coord, root / "lap.fkb")
    coord.db.execute("PRAGMA query_only = OFF")
    assert coord.db.execute("SELECT COUNT(*) FROM interviews").fetchone()[0] == 0


EXPORT_ON_FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from fieldkit.cli._context import handle_errors
    from fieldkit.store import open_project_file
    from fieldkit.store.bundles import export_bundle

    project = open_project_file(Path(sys.argv[1]), Path(sys.argv[2]), backup=False)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = int(sys.argv[4])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # writes past this fail: EFBIG
    code = handle_errors(lambda: export_bundle(project, Path(sys.argv[3])) and 0, sys.stderr)
    sys.exit(code)
    """
)


def test_export_to_a_full_disk_leaves_no_half_bundle(pair):
    root, coord, lap = pair
    settings_before = lap.settings
    path, data_dir = _reopen(lap)
    before = digest(path)
    out = root / "usb" / "send.fkb"
    out.parent.mkdir()
    full = (root / "lap.fkb").stat().st_size
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            EXPORT_ON_FULL_DISK,
            str(path),
            str(data_dir),
            str(out),
            str(full // 2),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "cannot write the bundle: File too large" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(out.parent.iterdir()) == []  # neither the bundle nor a temporary part
    assert digest(path) == before
    lap = open_project_file(path, data_dir, backup=False)
    assert lap.settings.get("last_export") == settings_before.get("last_export")
    lap.close()


def test_export_into_missing_or_unwritable_place(pair):
    root, coord, lap = pair
    with pytest.raises(FieldkitError, match="cannot write the bundle: No such file"):
        export_bundle(lap, root / "no-such-stick" / "send.fkb")
    blocker = root / "a-file"
    blocker.write_text("x")
    with pytest.raises(FieldkitError, match="cannot write the bundle: Not a directory"):
        export_bundle(lap, blocker / "send.fkb")
