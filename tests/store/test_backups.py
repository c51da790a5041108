import pytest

from fieldkit.errors import FieldkitError
from fieldkit.store import backups, open_project


def test_backup_on_open_and_restore(data_dir, project):
    project.sites.add("Before")
    path = project.path
    project.close()
    with open_project(data_dir, "test-project") as p:  # open takes a backup
        p.sites.add("After")
    found = backups.list_backups(path)
    assert found, "opening a project keeps a backup"
    oldest_with_before = found[0]
    safety = backups.restore(path, oldest_with_before)
    with open_project(data_dir, "test-project") as p:
        names = [s["name"] for s in p.sites.list()]
    assert names == ["Before"]
    assert safety.path.exists()


def test_unchanged_project_not_backed_up_twice(data_dir, project):
    path = project.path
    project.close()
    open_project(data_dir, "test-project").close()
    count = len(backups.list_backups(path))
    open_project(data_dir, "test-project").close()
    assert len(backups.list_backups(path)) == count


def test_keeps_last_n(data_dir, project):
    path = project.path
    project.close()
    for _ in range(backups.KEEP + 3):
        backups.take(path, "manual")
    assert len(backups.list_backups(path)) == backups.KEEP


def test_restore_unknown_backup_refused(project):
    with pytest.raises(FieldkitError, match="no backup named"):
        backups.find(project.path, "nope")
