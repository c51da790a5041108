"""Erasing a respondent removes their data everywhere and records only that it happened."""

import json

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.store.bundles import export_bundle, import_bundle
from fieldkit.store.erase import erase_respondent
from tests.store.team_helpers import coordinator, interview, kit_for, laptop


@pytest.fixture
def coord(tmp_path):
    p = coordinator(tmp_path)
    yield p
    p.close()


def _raw(project):
    wal = project.path.with_name(project.path.name + "-wal")
    return project.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_erase_removes_interviews_answers_files_and_maps(coord, tmp_path):
    photo = tmp_path / "face.jpg"
    photo.write_bytes(b"FACE-OF-RESPONDENT" * 20)
    gone = interview(coord, {"story": "ERASE-ME-PLEASE"}, finalize=False)
    coord.interviews.attach(gone, "photo", photo)
    coord.interviews.finalize(gone, coord.interviews.answers(gone), respondent_code="R-7")
    second = interview(coord, {"q": "ALSO-R7"}, code="R-7")
    kept = interview(coord, {"story": "KEEP-ME"}, code="R-8")
    m = coord.maps.create(site="Broughton", interview_id=gone)
    coord.maps.upsert_actor(
        m["id"], {"id": "a1", "name": "ACTOR-BY-R7", "sector": "public", "kind": "person"}
    )
    other_map = coord.maps.create(site="Broughton", interview_id=kept)

    report = erase_respondent(coord, "R-7")
    assert (report.interviews, report.maps, report.attachments) == (2, 1, 1)
    ids = {r.id for r in coord.interviews.list()}
    assert ids == {kept}
    assert [x["id"] for x in coord.maps.list()] == [other_map["id"]]
    for table in ("answers", "attachments"):
        assert (
            coord.db.execute(
                f"SELECT COUNT(*) FROM {table} WHERE interview IN (?, ?)", [gone, second]
            ).fetchone()[0]
            == 0
        )
    raw = _raw(coord)
    for secret in (b"ERASE-ME-PLEASE", b"FACE-OF-RESPONDENT", b"ALSO-R7", b"ACTOR-BY-R7"):
        assert secret not in raw, secret
    assert b"KEEP-ME" in raw
    [entry] = [e for e in coord.audit.list() if e["action"] == "erase-respondent"]
    assert entry["detail"]["interviews"] == 2
    assert "R-7" not in json.dumps(entry) and "ERASE-ME" not in json.dumps(entry)


def test_unknown_code_refused(coord):
    interview(coord, {"q": 1}, code="R-1")
    with pytest.raises(FieldkitError, match="no interview with respondent code 'R-2'"):
        erase_respondent(coord, "R-2")
    with pytest.raises(FieldkitError, match="give the respondent code"):
        erase_respondent(coord, " ")
    assert len(coord.interviews.list()) == 1


def test_erased_data_never_comes_back_and_erasure_travels(tmp_path):
    coord = coordinator(tmp_path)
    kit = kit_for(coord, tmp_path)
    lap = laptop(tmp_path, kit, "a")
    other = laptop(tmp_path, kit, "b")
    gone = interview(lap, {"q": 1}, code="R-1")
    interview(lap, {"q": 2}, code="R-2")
    export_bundle(lap, tmp_path / "old.fkb")
    import_bundle(coord, tmp_path / "old.fkb")
    import_bundle(other, tmp_path / "old.fkb")
    erase_respondent(coord, "R-1")
    result = import_bundle(coord, tmp_path / "old.fkb")  # the old bundle again
    assert result.counts["new"] == 0 and gone not in {r.id for r in coord.interviews.list()}
    export_bundle(coord, tmp_path / "coord.fkb")
    report = import_bundle(other, tmp_path / "coord.fkb")  # the tombstone erases it there too
    assert report.counts["erased"] == 1
    assert gone not in {r.id for r in other.interviews.list()}
    for p in (coord, lap, other):
        p.close()


def test_purge_backups(tmp_path):
    from fieldkit.store import backups

    coord = coordinator(tmp_path)
    interview(coord, {"q": 1}, code="R-1")
    backups.take(coord.path, reason="manual")
    report = erase_respondent(coord, "R-1")
    assert report.backups_holding_data == 1 and report.backups_purged == 0
    interview(coord, {"q": 1}, code="R-3")
    report = erase_respondent(coord, "R-3", purge_backups=True)
    assert report.backups_purged == 1 and backups.list_backups(coord.path) == []
    coord.close()
