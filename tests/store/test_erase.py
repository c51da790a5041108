"""Erasing a respondent removes their data everywhere and records only that it happened."""

import json

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.store import erase
from fieldkit.store.bundles import export_bundle, import_bundle
from fieldkit.store.erase import erase_respondent
from tests.store.team_helpers import add_form, coordinator, interview, kit_for, laptop


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
    before = backups.take(coord.path, reason="manual")  # holds no respondent yet
    interview(coord, {"q": "R1-SECRET"}, code="R-1")
    holding = backups.take(coord.path, reason="manual")
    report = erase_respondent(coord, "R-1")
    assert report.backups_holding_data == 1 and report.backups_purged == 0
    assert erase.backups_holding_erased(coord) == [holding.path]
    interview(coord, {"q": 1}, code="R-3")
    report = erase_respondent(coord, "R-3", purge_backups=True)
    # the backup still holding R-1 (an earlier erasure) goes too; the clean one stays
    assert report.backups_holding_data == 1 and report.backups_purged == 1
    assert not holding.path.exists()
    left = backups.list_backups(coord.path)
    assert before.path in [b.path for b in left]
    [fresh] = [b for b in left if b.reason == "erased"]
    assert b"R1-SECRET" not in fresh.path.read_bytes()
    assert erase.backups_holding_erased(coord) == []
    assert erase.purge_erased_backups(coord) == 0  # nothing left to purge
    coord.close()


def test_tombstone_of_a_consent_erases_the_interviews_it_opened(tmp_path):
    """Another laptop made an interview from a consent the coordinator has since erased."""
    coord = coordinator(tmp_path)
    add_form(coord, "consent_profile")
    kit = kit_for(coord, tmp_path)
    lap = laptop(tmp_path, kit, "a")
    consent = lap.interviews.create(lap.forms.latest("consent_profile")["id"], site="Broughton")
    lap.interviews.finalize(
        consent.id, {"consent": "yes"}, respondent_code="R-1", respondent_sector="public"
    )
    first = lap.interviews.create(lap.forms.latest("household")["id"], consent=consent.id)
    lap.interviews.finalize(first.id, {"q": "FIRST"})
    export_bundle(lap, tmp_path / "one.fkb")
    import_bundle(coord, tmp_path / "one.fkb")
    # meanwhile the laptop opens another interview from the same consent ...
    later = lap.interviews.create(lap.forms.latest("household")["id"], consent=consent.id)
    lap.interviews.finalize(later.id, {"q": "LATER-SECRET"})
    m = lap.maps.create(site="Broughton", interview_id=later.id)
    # ... while the coordinator erases the respondent
    assert erase_respondent(coord, "R-1").interviews == 2
    export_bundle(coord, tmp_path / "coord.fkb")
    export_bundle(lap, tmp_path / "two.fkb", since="last")

    report = import_bundle(coord, tmp_path / "two.fkb")  # nothing of R-1 comes back
    assert report.counts["new"] == 0 and report.counts["erased"] == 2  # the interview, its map
    assert coord.interviews.list() == [] and coord.maps.list() == []
    assert import_bundle(coord, tmp_path / "two.fkb").counts["erased"] == 0  # idempotent

    report = import_bundle(lap, tmp_path / "coord.fkb")  # the laptop learns of the erasure
    assert report.counts["erased"] == 4  # consent, both interviews it opened, the map
    assert lap.interviews.list() == [] and lap.maps.list() == []
    assert m["id"] not in {x["id"] for x in lap.maps.list()}
    wal = lap.path.with_name(lap.path.name + "-wal")
    raw = lap.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"LATER-SECRET" not in raw
    for p in (coord, lap):
        p.close()
