"""`bundle`, `conflicts`, `keys`, `respondent` and `retention` from the command line."""

import json

import pytest

from fieldkit.store import open_project
from tests.store.team_helpers import add_form, interview, reopen_and_set


@pytest.fixture
def coordinator(run, data_dir, tmp_path):
    assert run("project", "create", "Programme")[0] == 0
    run("site", "add", "Broughton")
    run("round", "add", "Baseline")
    with open_project(data_dir, "programme") as p:
        add_form(p)
    code, out, err = run("bundle", "kit", str(tmp_path / "kit.fkb"))
    assert code == 0, err
    assert "1 forms, 1 sites, 1 rounds" in out
    return tmp_path / "kit.fkb"


def _join(run, tmp_path, kit, name):
    lap = tmp_path / name
    code, out, err = run("--data-dir", str(lap), "bundle", "join", str(kit))
    assert code == 0, err
    assert "joined project 'Programme'" in out
    return lap


def test_kit_export_import_flow(run, coordinator, tmp_path, data_dir):
    lap = _join(run, tmp_path, coordinator, "lap")
    with open_project(lap, "programme") as p:
        first = interview(p, {"q1": 1}, code="R-1")
        interview(p, {"q1": 2}, code="R-2")
    out_file = tmp_path / "send.fkb"
    code, out, err = run("--data-dir", str(lap), "bundle", "export", str(out_file))
    assert code == 0, err
    assert "2 interviews" in out
    code, out, err = run("bundle", "import", str(out_file))
    assert code == 0, err
    assert "2 new, 0 updated, 0 unchanged, 0 conflicts" in out
    code, out, err = run("bundle", "import", str(out_file))
    assert "0 new, 0 updated, 2 unchanged, 0 conflicts (imported before)" in out
    code, out, _ = run(
        "--data-dir", str(lap), "bundle", "export", str(tmp_path / "n.fkb"), "--since", "last"
    )
    assert code == 0 and "nothing new" in out
    code, out, _ = run("bundle", "info", str(out_file))
    info = json.loads(out)
    assert info["counts"]["interviews"] == 2 and info["encrypted"] is False
    with open_project(data_dir, "programme") as p:
        assert p.interviews.get(first).respondent_code == "R-1"


def test_conflicts_from_the_command_line(run, coordinator, tmp_path, data_dir):
    a = _join(run, tmp_path, coordinator, "a")
    b = _join(run, tmp_path, coordinator, "b")
    with open_project(a, "programme") as p:
        iid = interview(p, {"q1": 1, "q2": "x"})
    run("--data-dir", str(a), "bundle", "export", str(tmp_path / "a1.fkb"))
    run("--data-dir", str(b), "bundle", "import", str(tmp_path / "a1.fkb"))
    run("bundle", "import", str(tmp_path / "a1.fkb"))
    with open_project(a, "programme") as p:
        reopen_and_set(p, iid, {"q1": 2})
    with open_project(b, "programme") as p:
        reopen_and_set(p, iid, {"q1": 3, "q2": "y"})
    run("--data-dir", str(a), "bundle", "export", str(tmp_path / "a2.fkb"))
    run("--data-dir", str(b), "bundle", "export", str(tmp_path / "b2.fkb"))
    code, out, err = run("bundle", "import", str(tmp_path / "a2.fkb"), str(tmp_path / "b2.fkb"))
    assert code == 0, err
    assert "1 conflicts" in out and "1 open conflict(s)" in out
    code, out, _ = run("conflicts", "list")
    cid = out.split("\t")[0]
    code, out, _ = run("conflicts", "show", cid)
    assert "q1\tlocal: 2\tincoming: 3" in out and "q2\tlocal: 'x'\tincoming: 'y'" in out
    code, _, err = run("conflicts", "merge", cid, "q1")
    assert code == 1 and "KEY=local" in err
    code, out, err = run("conflicts", "merge", cid, "q2=incoming")
    assert code == 0, err
    with open_project(data_dir, "programme") as p:
        assert p.interviews.answers(iid) == {"q1": 2, "q2": "y"}
    assert run("conflicts", "list")[1].strip() == "no conflicts"
    code, out, _ = run("conflicts", "list", "--all")
    assert "merged answers: q2=incoming" in out
    code, _, err = run("conflicts", "resolve", cid, "--keep", "local")
    assert code == 1 and "already resolved" in err


def test_keys_and_encrypted_bundles(run, data_dir, tmp_path, monkeypatch):
    run("project", "create", "Programme")
    run("site", "add", "Broughton")
    run("round", "add", "Baseline")
    with open_project(data_dir, "programme") as p:
        add_form(p)
    monkeypatch.setenv("COORD_PASS", "a long passphrase")
    code, out, err = run("keys", "create", "--passphrase-env", "COORD_PASS")
    assert code == 0, err
    key_file = data_dir / "keys" / "programme-private.pem"
    assert key_file.is_file() and (key_file.stat().st_mode & 0o077) == 0
    code, _, err = run("keys", "create", "--passphrase-env", "COORD_PASS")
    assert code == 1 and "already has a key" in err
    code, out, _ = run("keys", "show")
    assert "not encrypted at rest" in out
    run("bundle", "kit", str(tmp_path / "kit.fkb"))
    lap = _join(run, tmp_path, tmp_path / "kit.fkb", "lap")
    code, out, _ = run("--data-dir", str(lap), "keys", "show")
    assert "finalized interviews encrypted at rest" in out
    with open_project(lap, "programme") as p:
        iid = interview(p, {"q1": "SECRET"}, code="R-1")
        assert p.interviews.answers(iid) == {}
    run("--data-dir", str(lap), "bundle", "export", str(tmp_path / "lap.fkb"))
    monkeypatch.delenv("FIELDKIT_PASSPHRASE", raising=False)
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", "wrong passphrase!")
    code, _, err = run("bundle", "import", str(tmp_path / "lap.fkb"))
    assert code == 1 and "wrong passphrase" in err and "Traceback" not in err
    code, out, err = run(
        "bundle", "import", str(tmp_path / "lap.fkb"), "--passphrase-env", "COORD_PASS"
    )
    assert code == 0, err
    assert "1 new" in out
    with open_project(data_dir, "programme") as p:
        assert p.interviews.answers(iid) == {"q1": "SECRET"}
    code, out, _ = run("keys", "export-public", str(tmp_path / "pub.pem"))
    assert code == 0 and b"PUBLIC KEY" in (tmp_path / "pub.pem").read_bytes()


def test_keys_install_seals_existing(run, data_dir, tmp_path, monkeypatch, coordinator):
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", "a long passphrase")
    lap = _join(run, tmp_path, coordinator, "lap")
    with open_project(lap, "programme") as p:
        iid = interview(p, {"q1": "before the key"})
    assert run("keys", "create")[0] == 0
    run("keys", "export-public", str(tmp_path / "pub.pem"))
    code, out, err = run("--data-dir", str(lap), "keys", "install", str(tmp_path / "pub.pem"))
    assert code == 0, err
    assert "1 finalized interview(s) encrypted" in out
    with open_project(lap, "programme") as p:
        assert p.interviews.answers(iid) == {}
    code, _, err = run("--data-dir", str(lap), "keys", "install", str(tmp_path / "kit.fkb"))
    assert code == 1 and "not a public key" in err


def test_respondent_erase_and_retention(run, coordinator, data_dir):
    with open_project(data_dir, "programme") as p:
        interview(p, {"q1": 1}, code="R-1")
        old = interview(p, {"q1": 2}, code="R-2")
        p.db.execute(
            "UPDATE interviews SET created = '2001-01-01T00:00:00+00:00' WHERE id = ?", [old]
        )
    code, out, err = run("respondent", "erase", "R-1")
    assert code == 0, err
    assert "erased 1 interview(s)" in out and "not the data" in out
    code, _, err = run("respondent", "erase", "R-1")
    assert code == 1 and "no interview with respondent code" in err
    code, _, err = run("retention", "check")
    assert code == 1 and "no retention period" in err
    code, _, err = run("retention", "set", "soon")
    assert code == 1 and "number of days" in err
    assert run("retention", "set", "365")[0] == 0
    code, out, _ = run("retention", "check")
    assert code == 0 and old in out and "R-2" in out
    code, out, _ = run("retention", "check", "--json")
    assert [r["id"] for r in json.loads(out)] == [old]
    assert run("retention", "set", "off")[1].strip() == "retention: off"


def test_refusals_are_clean(run, coordinator, tmp_path):
    bad = tmp_path / "junk.fkb"
    bad.write_bytes(b"PK\x03\x04 not really")
    code, out, err = run("bundle", "import", str(bad))
    assert code == 1 and "not a readable bundle" in err and "Traceback" not in err
    code, _, err = run("bundle", "import", str(tmp_path / "missing.fkb"))
    assert code == 1 and "cannot read the bundle" in err
    code, _, err = run("bundle", "export", str(tmp_path / "nowhere" / "x.fkb"))
    assert code == 1 and "cannot write the bundle" in err
    code, _, err = run("bundle", "join", str(bad))
    assert code == 1
    code, _, err = run("bundle", "export", str(tmp_path / "x.fkb"), "--since", "someday")
    assert code == 1 and "--since takes" in err


def test_erase_is_honest_about_backups_and_copies(run, coordinator, data_dir):
    from fieldkit.store import backups

    with open_project(data_dir, "programme") as p:
        interview(p, {"q1": "R1-ONLY"}, code="R-1")
        interview(p, {"q1": "R2-ONLY"}, code="R-2")
        path = p.path
    code, out, err = run("respondent", "erase", "R-1")  # opening it took a backup first
    assert code == 0, err
    assert "1 older backup(s) of this project still hold erased data" in out
    assert "respondent purge-backups" in out
    assert "bundles and exports already written" in out and "other laptops" in out
    [holding] = [b for b in backups.list_backups(path) if b"R1-ONLY" in b.path.read_bytes()]
    others = [b.path for b in backups.list_backups(path) if b != holding]
    code, out, err = run("respondent", "purge-backups")
    assert code == 0, err
    assert "deleted 1 backup(s) that held erased data" in out
    assert not holding.path.exists() and all(o.exists() for o in others)  # the clean ones stay
    assert all(b"R1-ONLY" not in b.path.read_bytes() for b in backups.list_backups(path))
    assert run("respondent", "purge-backups")[1].strip() == "no backup holds erased data"
    code, out, err = run("respondent", "erase", "R-2", "--purge-backups")
    assert code == 0, err
    assert "older backup(s) that held erased data (overwritten first)" in out, out
    left = backups.list_backups(path)
    assert left and all(b"R2-ONLY" not in b.path.read_bytes() for b in left)
