"""Every finalized revision is kept when an interview is reopened, and travels in bundles."""

from fieldkit.store.bundles import export_bundle, import_bundle
from tests.store.team_helpers import coordinator, interview, kit_for, laptop, reopen_and_set


def test_reopen_keeps_the_finalized_revision(tmp_path):
    project = coordinator(tmp_path)
    iid = interview(project, {"people": 3, "water": "well"}, code="R-1")
    assert project.interviews.revisions(iid) == []
    reopen_and_set(project, iid, {"people": 4})
    revisions = project.interviews.revisions(iid)
    assert [r["revision"] for r in revisions] == [1]
    assert revisions[0]["answers"] == {"people": 3, "water": "well"}
    assert project.interviews.answers(iid) == {"people": 4, "water": "well"}
    reopen_and_set(project, iid, {"water": "tap"})
    assert [r["answers"] for r in project.interviews.revisions(iid)] == [
        {"people": 3, "water": "well"},
        {"people": 4, "water": "well"},
    ]
    project.close()


def test_revisions_travel_in_bundles_and_import_twice_changes_nothing(tmp_path):
    hub = coordinator(tmp_path)
    kit = kit_for(hub, tmp_path)
    field = laptop(tmp_path, kit, "laptop-a")
    iid = interview(field, {"people": 2}, code="R-7")
    reopen_and_set(field, iid, {"people": 5})
    bundle = tmp_path / "a.fkb"
    export_bundle(field, bundle)
    import_bundle(hub, bundle)
    import_bundle(hub, bundle)
    assert hub.interviews.answers(iid) == {"people": 5}
    assert [r["answers"] for r in hub.interviews.revisions(iid)] == [{"people": 2}]
    field.close()
    hub.close()
