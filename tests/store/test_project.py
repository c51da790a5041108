import sqlite3

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.store import create_project, list_projects, open_default_project, open_project
from fieldkit.store.schema import SCHEMA_VERSION


def test_create_sets_durability_pragmas(project):
    conn = project.db.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert project.schema_version == SCHEMA_VERSION


def test_project_file_lives_in_data_dir(data_dir, project):
    assert project.path.parent == data_dir / "projects"
    assert [p.name for p in list_projects(data_dir)] == ["test-project"]


def test_duplicate_project_refused(data_dir, project):
    with pytest.raises(FieldkitError, match="already exists"):
        create_project(data_dir, "Test Project")


@pytest.mark.parametrize("bad", ["", "   ", "!!!"])
def test_bad_project_names_refused(data_dir, bad):
    with pytest.raises(FieldkitError):
        create_project(data_dir, bad)
    assert list_projects(data_dir) == []


def test_default_project_rules(data_dir):
    with pytest.raises(FieldkitError, match="no project yet"):
        open_default_project(data_dir)
    create_project(data_dir, "One").close()
    with open_default_project(data_dir) as p:
        assert p.name == "One"
    create_project(data_dir, "Two").close()
    with open_default_project(data_dir) as p:  # the last opened
        assert p.name == "Two"
    with open_project(data_dir, "one") as p:
        assert p.name == "One"
    with open_default_project(data_dir) as p:
        assert p.name == "One"
    with pytest.raises(FieldkitError, match="no project named 'three'"):
        open_default_project(data_dir, "three")


def test_sites_and_rounds(project):
    project.sites.add("Cheetham Hill")
    project.sites.add("Broughton")
    with pytest.raises(FieldkitError, match="already exists"):
        project.sites.add("cheetham hill")
    assert [s["name"] for s in project.sites.list()] == ["Broughton", "Cheetham Hill"]
    base = project.rounds.add("Baseline")
    follow = project.rounds.add("Follow-up")
    assert [r["name"] for r in project.rounds.list()] == ["Baseline", "Follow-up"]
    assert project.rounds.previous(follow["id"])["id"] == base["id"]
    assert project.rounds.previous(base["id"]) is None
    with pytest.raises(FieldkitError, match="no site 'Nowhere'"):
        project.sites.find("Nowhere")


def test_records_carry_ids_and_timestamps(project):
    site = project.sites.add("Salford")
    assert len(site["id"]) == 36 and site["created"].endswith("+00:00")


def test_foreign_keys_enforced(project):
    with pytest.raises(sqlite3.IntegrityError):
        project.db.execute(
            "INSERT INTO interviews (id, form, device, created, updated) VALUES ('x', 'nope', 'd', 't', 't')"
        )


def test_actions_validated(project):
    project.sites.add("A")
    project.rounds.add("R")
    action = project.actions.add("A", "R", "Joint funding bid", indicators="pub_soc com_soc", lead_sector="social")
    assert action["indicators"] == ["pub_soc", "com_soc"]
    assert action["status"] == "planned"
    updated = project.actions.update(action["id"], status="in_progress")
    assert updated["status"] == "in_progress"
    with pytest.raises(FieldkitError) as err:
        project.actions.add("A", "R", "", status="someday", due="next week", lead_sector="aliens")
    assert len(err.value.problems) == 4
    assert len(project.actions.list()) == 1


def _form_record(project, form_id="f"):
    from fieldkit.forms.model import Form, Node

    form = Form(form_id=form_id, title=form_id, children=[Node(name="q", type="text")])
    return project.forms.add(form, form_id.encode(), f"{form_id}.md")[0]


def test_answers_are_durable_rows_and_finalize_drops_irrelevant(project):
    record = _form_record(project)
    row = project.interviews.create(record["id"])
    project.interviews.set_answer(row.id, "q", "first")
    project.interviews.set_answer(row.id, "q", "second")
    project.interviews.set_answer(row.id, "rep[0]/x", 3)
    assert project.interviews.answers(row.id) == {"q": "second", "rep[0]/x": 3}
    final = project.interviews.finalize(row.id, {"q": "second"}, respondent_code="R1", respondent_sector="public")
    assert final.status == "finalized" and final.respondent_code == "R1"
    assert project.interviews.answers(row.id) == {"q": "second"}
    with pytest.raises(FieldkitError, match="finalized"):
        project.interviews.set_answer(row.id, "q", "third")
    reopened = project.interviews.reopen(row.id, reason="typo")
    assert reopened.status == "draft" and reopened.revision == 2
    actions = [e["action"] for e in project.audit.list(row.id)]
    assert actions == ["finalize", "edit-finalized"]


def test_consent_comes_first_and_carries_the_respondent(project):
    project.sites.add("S")
    consent_form = _form_record(project, "consent_profile")
    main_form = _form_record(project, "community_dna")
    consent = project.interviews.create(consent_form["id"], site="S")
    with pytest.raises(FieldkitError, match="consent interview must be finalized"):
        project.interviews.create(main_form["id"], consent=consent.id)
    project.interviews.finalize(consent.id, {"q": "yes"}, respondent_code="CH-7", respondent_sector="social")
    main = project.interviews.create(main_form["id"], consent=consent.id)
    assert (main.respondent_code, main.respondent_sector, main.site_name) == ("CH-7", "social", "S")
    done = project.interviews.finalize(main.id, {"q": "x"})
    assert done.respondent_code == "CH-7"


def test_discard_only_drafts(project):
    record = _form_record(project)
    row = project.interviews.create(record["id"])
    project.interviews.discard(row.id)
    assert project.interviews.list() == []
    row = project.interviews.create(record["id"])
    project.interviews.finalize(row.id, {})
    with pytest.raises(FieldkitError):
        project.interviews.discard(row.id)


def test_forms_versions_kept(project):
    from fieldkit.forms.model import Form

    first, created = project.forms.add(Form(form_id="f", title="F", version="1"), b"v1", "f.xlsx")
    again, created_again = project.forms.add(Form(form_id="f", title="F", version="1"), b"v1", "f.xlsx")
    second, _ = project.forms.add(Form(form_id="f", title="F", version="2"), b"v2", "f.xlsx")
    assert created and not created_again and again["id"] == first["id"]
    assert [r["version"] for r in project.forms.list()] == ["1", "2"]
    assert project.forms.latest("f")["id"] == second["id"]


def test_refused_write_is_a_clear_error_and_keeps_what_was_saved(project):
    record = _form_record(project)
    row = project.interviews.create(record["id"])
    project.interviews.set_answer(row.id, "q", "kept")
    pages = project.db.execute("PRAGMA page_count").fetchone()[0]
    project.db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is now "full"
    with pytest.raises(FieldkitError, match="could not save to the project file"):
        project.interviews.set_answer(row.id, "big", "x" * 200_000)
    project.db.execute("PRAGMA max_page_count = 1073741823")
    assert project.interviews.answers(row.id) == {"q": "kept"}


def test_data_dir_resolution(monkeypatch, tmp_path):
    import platformdirs

    from fieldkit import paths

    monkeypatch.delenv("FIELDKIT_DATA_DIR", raising=False)
    assert paths.data_dir() == __import__("pathlib").Path(platformdirs.user_data_dir("fieldkit", appauthor=False))
    monkeypatch.setenv("FIELDKIT_DATA_DIR", str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    assert paths.data_dir(tmp_path / "flag") == tmp_path / "flag"  # --data-dir wins


def test_no_transaction_left_open_and_answers_visible_to_others(project):
    """An autosave after a bulk read is committed: another connection sees it at once."""
    import sqlite3

    record = _form_record(project)
    row = project.interviews.create(record["id"])
    project.interviews.set_answers(row.id, {"q": "a", "rep[0]/x": [1, "two"], "n": 3.5})
    assert project.interviews.answers_for([row.id, "missing"]) == {
        row.id: {"q": "a", "rep[0]/x": [1, "two"], "n": 3.5},
        "missing": {},
    }
    assert not project.db.conn.in_transaction
    project.interviews.set_answer(row.id, "q", "after the read")
    assert not project.db.conn.in_transaction
    other = sqlite3.connect(project.path)
    try:
        value = other.execute("SELECT value FROM answers WHERE interview = ? AND key = 'q'", [row.id]).fetchone()
    finally:
        other.close()
    assert value == ('"after the read"',)
