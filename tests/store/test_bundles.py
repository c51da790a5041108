"""Bundles between laptops and the coordinator: round trips, idempotency, conflicts, kits."""

import json
import zipfile

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.store.bundle_format import BundleReader
from fieldkit.store.bundles import describe, export_bundle, export_kit, import_bundle, join_kit
from fieldkit.store.merge import Conflicts
from fieldkit.store.schema import SCHEMA_VERSION
from tests.store.team_helpers import (
    add_form,
    coordinator,
    interview,
    kit_for,
    laptop,
    reopen_and_set,
    rewrite,
)


@pytest.fixture
def team(tmp_path):
    coord = coordinator(tmp_path)
    kit = kit_for(coord, tmp_path)
    a = laptop(tmp_path, kit, "a")
    b = laptop(tmp_path, kit, "b")
    yield tmp_path, coord, a, b
    for p in (coord, a, b):
        p.close()


def test_kit_gives_laptops_the_same_project(team):
    root, coord, a, b = team
    assert a.id == b.id == coord.id
    assert a.device != b.device != coord.device
    assert [s["name"] for s in a.sites.list()] == ["Broughton", "Cheetham Hill"]
    assert [r["name"] for r in a.rounds.list()] == ["Baseline"]
    assert (
        a.forms.latest("household")["source_hash"] == coord.forms.latest("household")["source_hash"]
    )


def test_joining_twice_refused(team):
    root, coord, a, b = team
    with pytest.raises(FieldkitError, match="already has the project"):
        join_kit(root / "a", root / "kit.fkb")


def test_data_bundle_is_not_a_kit(team):
    root, coord, a, b = team
    export_bundle(a, root / "a.fkb")
    with pytest.raises(FieldkitError, match="not a project kit"):
        join_kit(root / "c", root / "a.fkb")


def test_round_trip_everything(team, tmp_path):
    root, coord, a, b = team
    note = tmp_path / "photo.jpg"
    note.write_bytes(b"\xff\xd8 not really a jpeg" * 50)
    iid = interview(a, {"q1": 1, "q2": "yes", "multi": ["a", "b"]}, finalize=False)
    a.interviews.attach(iid, "photo", note)
    a.interviews.finalize(iid, a.interviews.answers(iid), respondent_code="R-001")
    draft = interview(a, {"q1": 9}, finalize=False)
    m = a.maps.create(site="Broughton", round="Baseline", interview_id=iid, title="Helpers")
    a.maps.upsert_actor(
        m["id"], {"id": "x1", "name": "Council", "sector": "public", "kind": "organisation"}
    )
    a.maps.upsert_actor(
        m["id"], {"id": "x2", "name": "Food bank", "sector": "social", "kind": "group"}
    )
    a.maps.upsert_tie(
        m["id"],
        {
            "id": "t1",
            "source": "x1",
            "target": "x2",
            "type": "money",
            "direction": "one-way",
            "strength": 2,
        },
    )
    act = a.actions.add("Broughton", "Baseline", "Open the hall", lead_sector="public")
    report = export_bundle(a, root / "a.fkb")
    assert report.counts["interviews"] == 2 and report.counts["maps"] == 1
    assert report.counts["attachments"] == 1 and report.counts["actions"] == 1

    result = import_bundle(coord, root / "a.fkb")
    assert (result.counts["new"], result.counts["conflict"]) == (4, 0)
    assert coord.interviews.answers(iid) == {
        "q1": 1,
        "q2": "yes",
        "multi": ["a", "b"],
        "photo": "photo.jpg",
    }
    assert coord.interviews.get(iid).respondent_code == "R-001"
    assert coord.interviews.get(draft).status == "draft"
    [att] = coord.interviews.attachments(iid)
    assert coord.interviews.attachment_data(att["id"]) == note.read_bytes()
    loaded = coord.maps.load(m["id"])
    assert {x["name"] for x in loaded["actors"]} == {"Council", "Food bank"}
    assert loaded["ties"][0]["type"] == "money" and loaded["interview_id"] == iid
    assert coord.actions.get(act["id"])["title"] == "Open the hall"
    audit_ids = {e["id"] for e in a.audit.list()}
    assert audit_ids <= {e["id"] for e in coord.audit.list()}


def test_import_twice_changes_nothing(team):
    root, coord, a, b = team
    for n in range(3):
        interview(a, {"q1": n})
    export_bundle(a, root / "a.fkb")
    first = import_bundle(coord, root / "a.fkb")
    assert first.counts["new"] == 3
    snapshot = (
        coord.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0],
        coord.db.execute("SELECT COUNT(*) FROM sync_history").fetchone()[0],
    )
    second = import_bundle(coord, root / "a.fkb")
    assert (second.counts["new"], second.counts["updated"], second.counts["unchanged"]) == (0, 0, 3)
    assert second.already_imported
    assert (
        coord.db.execute("SELECT COUNT(*) FROM audit").fetchone()[0],
        coord.db.execute("SELECT COUNT(*) FROM sync_history").fetchone()[0],
    ) == snapshot
    assert coord.db.execute("SELECT COUNT(*) FROM interviews").fetchone()[0] == 3


def test_later_edit_updates_and_older_copy_is_ignored(team):
    root, coord, a, b = team
    iid = interview(a, {"q1": 1, "q2": "x"})
    export_bundle(a, root / "a1.fkb")
    reopen_and_set(a, iid, {"q1": 2})
    export_bundle(a, root / "a2.fkb")
    assert import_bundle(coord, root / "a2.fkb").counts["new"] == 1
    assert import_bundle(coord, root / "a1.fkb").counts["unchanged"] == 1  # older: ignored
    assert coord.interviews.answers(iid)["q1"] == 2

    coord2_root = root / "fresh"
    fresh = join_kit(coord2_root, root / "kit.fkb", name="Fresh")
    assert import_bundle(fresh, root / "a1.fkb").counts["new"] == 1
    assert import_bundle(fresh, root / "a2.fkb").counts["updated"] == 1  # newer: fast-forward
    assert fresh.interviews.answers(iid)["q1"] == 2
    assert any(e["action"] == "import-update" for e in fresh.audit.list(iid))
    fresh.close()


def _conflict(team):
    root, coord, a, b = team
    iid = interview(a, {"q1": 1, "q2": "x", "q3": "same"})
    export_bundle(a, root / "a1.fkb")
    import_bundle(b, root / "a1.fkb")
    import_bundle(coord, root / "a1.fkb")
    reopen_and_set(a, iid, {"q1": 2})
    reopen_and_set(b, iid, {"q2": "y"})
    export_bundle(a, root / "a2.fkb", since="last")
    export_bundle(b, root / "b2.fkb", since="last")
    assert import_bundle(coord, root / "a2.fkb").counts["updated"] == 1
    report = import_bundle(coord, root / "b2.fkb")
    assert report.counts["conflict"] == 1
    return iid


def test_edit_on_two_laptops_is_a_conflict_never_overwritten(team):
    root, coord, a, b = team
    iid = _conflict(team)
    assert coord.interviews.answers(iid) == {"q1": 2, "q2": "x", "q3": "same"}  # local kept
    conflicts = Conflicts(coord)
    [c] = conflicts.list()
    assert c["record_id"] == iid
    assert [(d.key, d.local, d.incoming) for d in conflicts.differences(c["id"])] == [
        ("q1", 2, 1),
        ("q2", "x", "y"),
    ]
    again = import_bundle(coord, root / "b2.fkb")
    assert again.counts["conflict"] == 0 and len(conflicts.list()) == 1


def test_merge_answer_by_answer(team):
    root, coord, a, b = team
    iid = _conflict(team)
    conflicts = Conflicts(coord)
    [c] = conflicts.list()
    conflicts.merge_answers(c["id"], {"q2": "incoming"})
    assert coord.interviews.answers(iid) == {"q1": 2, "q2": "y", "q3": "same"}
    assert conflicts.list() == [] and conflicts.count() == 0
    assert any(e["action"] == "resolve-conflict" for e in coord.audit.list(iid))
    for name in ("a1", "a2", "b2"):  # nothing re-opens a settled conflict
        r = import_bundle(coord, root / f"{name}.fkb")
        assert r.counts["conflict"] == 0 and r.counts["updated"] == 0
    with pytest.raises(FieldkitError, match="already resolved"):
        conflicts.resolve(c["id"], "local")


@pytest.mark.parametrize(
    "keep,expected", [("local", {"q1": 2, "q2": "x"}), ("incoming", {"q1": 1, "q2": "y"})]
)
def test_pick_one_version(team, keep, expected):
    root, coord, a, b = team
    iid = _conflict(team)
    conflicts = Conflicts(coord)
    conflicts.resolve(conflicts.list()[0]["id"], keep)
    answers = coord.interviews.answers(iid)
    assert {k: answers[k] for k in ("q1", "q2")} == expected
    assert import_bundle(coord, root / "b2.fkb").counts["conflict"] == 0


def test_bad_resolution_refused(team):
    iid = _conflict(team)
    conflicts = Conflicts(team[1])
    cid = conflicts.list()[0]["id"]
    with pytest.raises(FieldkitError, match="'local' or 'incoming'"):
        conflicts.resolve(cid, "both")
    with pytest.raises(FieldkitError, match="choose 'local' or 'incoming'"):
        conflicts.merge_answers(cid, {"q1": "mine"})
    assert team[1].interviews.answers(iid)["q1"] == 2


def test_map_and_action_conflicts_pick_one(team):
    root, coord, a, b = team
    m = a.maps.create(site="Broughton", title="T")
    act = a.actions.add("Broughton", None, "Plan")
    export_bundle(a, root / "a1.fkb")
    import_bundle(b, root / "a1.fkb")
    import_bundle(coord, root / "a1.fkb")
    a.maps.update_meta(m["id"], title="From A")
    b.maps.update_meta(m["id"], title="From B")
    a.actions.update(act["id"], status="done")
    b.actions.update(act["id"], status="in_progress")
    export_bundle(a, root / "a2.fkb")
    export_bundle(b, root / "b2.fkb")
    import_bundle(coord, root / "a2.fkb")
    assert import_bundle(coord, root / "b2.fkb").counts["conflict"] == 2
    conflicts = Conflicts(coord)
    with pytest.raises(FieldkitError, match="only interviews"):
        conflicts.merge_answers(conflicts.list()[0]["id"], {})
    for c in conflicts.list():
        conflicts.resolve(c["id"], "incoming")
    assert coord.maps.load(m["id"])["title"] == "From B"
    assert coord.actions.get(act["id"])["status"] == "in_progress"
    again = import_bundle(coord, root / "a2.fkb")  # A's side was seen and set aside: settled
    assert again.counts["conflict"] == 0 and again.counts["unchanged"] == 2
    assert coord.maps.load(m["id"])["title"] == "From B"


def test_since_exports_only_changes(team):
    root, coord, a, b = team
    first = interview(a, {"q1": 1})
    export_bundle(a, root / "a1.fkb")
    second = interview(a, {"q1": 2})
    report = export_bundle(a, root / "a2.fkb", since="last")
    assert report.counts["interviews"] == 1
    ids = [
        r["id"]
        for r in BundleReader((root / "a2.fkb").read_bytes(), "a2").json("records/interviews.json")
    ]
    assert ids == [second]
    assert export_bundle(a, root / "a3.fkb", since=str(root / "a2.fkb")).counts["interviews"] == 0
    assert export_bundle(a, root / "a4.fkb", since="2000-01-01").counts["interviews"] == 2
    with pytest.raises(FieldkitError, match="--since takes"):
        export_bundle(a, root / "a5.fkb", since="yesterday")
    assert first


def test_site_filter(team):
    root, coord, a, b = team
    interview(a, {"q1": 1}, site="Broughton")
    other = interview(a, {"q1": 2}, site="Cheetham Hill")
    report = export_bundle(a, root / "a.fkb", site="Cheetham Hill")
    assert report.counts["interviews"] == 1
    import_bundle(coord, root / "a.fkb")
    assert [r.id for r in coord.interviews.list()] == [other]
    with pytest.raises(FieldkitError, match="no site"):
        export_bundle(a, root / "x.fkb", site="Atlantis")


def test_new_forms_sites_rounds_travel(team):
    root, coord, a, b = team
    add_form(coord, "shops")
    coord.sites.add("Salford")
    coord.rounds.add("Follow-up")
    export_kit(coord, root / "kit2.fkb")
    import_bundle(a, root / "kit2.fkb")
    assert {f["form_id"] for f in a.forms.list()} == {"household", "shops"}
    assert [r["name"] for r in a.rounds.list()] == ["Baseline", "Follow-up"]
    a.sites.add("Pendleton")  # a laptop may add a site: it arrives with the records
    interview(a, {"q1": 1}, site="Pendleton")
    export_bundle(a, root / "a.fkb")
    import_bundle(coord, root / "a.fkb")
    assert "Pendleton" in [s["name"] for s in coord.sites.list()]


def test_manifest_describes_bundle(team):
    root, coord, a, b = team
    interview(a, {"q1": 1})
    export_bundle(a, root / "a.fkb")
    info = describe(root / "a.fkb")
    assert info["project_id"] == a.id and info["device"] == a.device
    assert info["fieldworker"] == "Test Fieldworker" and info["schema_version"] == SCHEMA_VERSION
    assert info["counts"]["interviews"] == 1 and info["created"]
    with zipfile.ZipFile(root / "a.fkb") as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert set(manifest["members"]) == set(zf.namelist()) - {"manifest.json"}


def test_older_bundle_is_upgraded(team):
    """A bundle from schema 1 (no consent column, no sync history) still imports."""
    root, coord, a, b = team
    iid = interview(a, {"q1": 1})
    export_bundle(a, root / "a.fkb")

    def downgrade(members, manifest):
        records = json.loads(members["records/interviews.json"])
        for r in records:
            r.pop("consent", None)
            r.pop("history", None)
            r.pop("hash", None)
        members["records/interviews.json"] = json.dumps(records).encode()
        manifest["schema_version"] = 1

    rewrite(root / "a.fkb", root / "old.fkb", downgrade)
    report = import_bundle(coord, root / "old.fkb")
    assert report.counts["new"] == 1 and coord.interviews.answers(iid) == {"q1": 1}


# -- consent: every interview travels with (and rests on) its consent record ----------------
def _consented(project, code, site="Broughton", answers=None):
    """A finalized consent interview, and a household interview opened from it."""
    consent = project.interviews.create(
        project.forms.latest("consent_profile")["id"], site=site, round="Baseline"
    )
    project.interviews.finalize(
        consent.id, {"consent": "yes"}, respondent_code=code, respondent_sector="public"
    )
    main = project.interviews.create(
        project.forms.latest("household")["id"], site="Broughton", consent=consent.id
    )
    project.interviews.set_answers(main.id, answers or {"q1": 1})
    project.interviews.finalize(main.id, project.interviews.answers(main.id))
    return consent.id, main.id


def _consent_of(project, interview_id):
    return project.db.execute(
        "SELECT consent FROM interviews WHERE id = ?", [interview_id]
    ).fetchone()[0]


@pytest.fixture
def consent_team(tmp_path):
    coord = coordinator(tmp_path)
    add_form(coord, "consent_profile")
    kit = kit_for(coord, tmp_path)
    a = laptop(tmp_path, kit, "a")
    b = laptop(tmp_path, kit, "b")
    yield tmp_path, coord, a, b
    for p in (coord, a, b):
        p.close()


def test_consent_link_survives_the_round_trip_and_the_merge(consent_team):
    root, coord, a, b = consent_team
    ca, ia = _consented(a, "R-A")
    cb, ib = _consented(b, "R-B", answers={"q1": 1, "q2": "x"})
    export_bundle(a, root / "a.fkb")
    export_bundle(b, root / "b.fkb")
    import_bundle(coord, root / "a.fkb")
    import_bundle(coord, root / "b.fkb")
    assert (_consent_of(coord, ia), _consent_of(coord, ib)) == (ca, cb)
    assert _consent_of(coord, ca) is None  # the consent interview itself opens nothing
    # a conflict on ib, resolved both ways, keeps the link
    import_bundle(a, root / "b.fkb")
    reopen_and_set(a, ib, {"q1": 2})
    reopen_and_set(b, ib, {"q2": "y"})
    export_bundle(a, root / "a2.fkb", since="last")
    export_bundle(b, root / "b2.fkb", since="last")
    import_bundle(coord, root / "a2.fkb")
    assert import_bundle(coord, root / "b2.fkb").counts["conflict"] == 1
    [conflict] = Conflicts(coord).list()
    Conflicts(coord).merge_answers(conflict["id"], {"q2": "incoming"})
    assert coord.interviews.answers(ib) == {"q1": 2, "q2": "y"}
    assert _consent_of(coord, ib) == cb
    export_bundle(coord, root / "coord.fkb")  # and back to a fresh laptop from the coordinator
    c = laptop(root, root / "kit.fkb", "c")
    import_bundle(c, root / "coord.fkb")
    assert (_consent_of(c, ia), _consent_of(c, ib)) == (ca, cb)
    c.close()


def test_incremental_and_site_bundles_carry_the_consent(consent_team):
    """`--since` and `--site` would leave the consent out: it is carried all the same."""
    root, coord, a, b = consent_team
    consent = a.interviews.create(
        a.forms.latest("consent_profile")["id"], site="Cheetham Hill", round="Baseline"
    )
    a.interviews.finalize(
        consent.id, {"consent": "yes"}, respondent_code="R-1", respondent_sector="public"
    )
    export_bundle(a, root / "first.fkb")  # the consent only
    main = a.interviews.create(
        a.forms.latest("household")["id"], site="Broughton", consent=consent.id
    )
    a.interviews.set_answers(main.id, {"q1": 5})
    a.interviews.finalize(main.id, {"q1": 5})
    export_bundle(a, root / "later.fkb", since="last")
    export_bundle(a, root / "site.fkb", site="Broughton")
    for name in ("later.fkb", "site.fkb"):
        carried = {
            r["id"]
            for r in BundleReader((root / name).read_bytes(), name).json("records/interviews.json")
        }
        assert carried == {consent.id, main.id}, name
    report = import_bundle(coord, root / "later.fkb")  # before the first bundle: still whole
    assert report.counts["new"] == 2 and _consent_of(coord, main.id) == consent.id
    assert import_bundle(coord, root / "first.fkb").counts["unchanged"] == 1


def test_bundle_without_the_consent_is_refused_clearly(consent_team):
    root, coord, a, b = consent_team
    consent, main = _consented(a, "R-1")
    export_bundle(a, root / "a.fkb")

    def drop_consent(members, manifest):
        records = json.loads(members["records/interviews.json"])
        members["records/interviews.json"] = json.dumps(
            [r for r in records if r["id"] != consent]
        ).encode()

    rewrite(root / "a.fkb", root / "cut.fkb", drop_consent)
    with pytest.raises(FieldkitError, match="opened from consent interview .* neither in"):
        import_bundle(coord, root / "cut.fkb")
    assert coord.interviews.list() == []
    assert import_bundle(coord, root / "a.fkb").counts["new"] == 2
    assert import_bundle(coord, root / "cut.fkb").counts["unchanged"] == 1  # now it is here
