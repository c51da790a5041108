"""The fieldworker's operations over engine + store: durable answers, consent first, resume."""

import pytest

from fieldkit import fieldwork
from fieldkit.errors import FieldkitError


@pytest.fixture
def site_round(project):
    project.sites.add("Cheetham Hill")
    project.rounds.add("Baseline")
    return project


def give_consent(project, sector="public", consent="yes"):
    s = fieldwork.start_interview(project, "consent_profile", "Cheetham Hill", "Baseline")
    s.set("consent", consent)
    if consent == "yes":
        s.set("sector", sector)
        s.set("role", "officer")
        s.set("years_in_area", 4)
    return s


def test_every_accepted_answer_is_in_the_store_at_once(site_round):
    s = give_consent(site_round)
    stored = site_round.interviews.answers(s.id)
    assert stored["consent"] == "yes" and stored["years_in_area"] == 4
    assert stored["respondent_code"].startswith("R-")


def test_refused_input_changes_nothing(site_round):
    s = give_consent(site_round)
    changes = s.set("years_in_area", "lots")
    assert changes.errors
    assert site_round.interviews.answers(s.id)["years_in_area"] == 4


def test_consent_first(site_round):
    with pytest.raises(FieldkitError, match="consent first"):
        fieldwork.start_interview(site_round, "community_dna", "Cheetham Hill", "Baseline")
    refused = give_consent(site_round, consent="no")
    refused.finalize()
    # no consent, no data beyond the consent record (the profile group is irrelevant)
    assert site_round.interviews.answers(refused.id) == {"consent": "no"}
    with pytest.raises(FieldkitError, match="not given consent"):
        fieldwork.start_interview(site_round, "community_dna", consent=refused.id)


def test_main_interview_carries_respondent(site_round):
    consent = give_consent(site_round, sector="social")
    row = consent.finalize()
    main = fieldwork.start_interview(site_round, "community_dna", consent=consent.id)
    assert main.row.respondent_code == row.respondent_code
    assert main.row.respondent_sector == "social"
    assert main.row.site_name == "Cheetham Hill"


def test_resume_exactly_where_it_stopped(site_round):
    consent = give_consent(site_round)
    consent.finalize()
    main = fieldwork.start_interview(site_round, "community_dna", consent=consent.id)
    screens = main.engine.relevant_screens()
    main.set_language("Urdu (ur)")
    main.remember_position(screens[3])
    again = fieldwork.InterviewSession(site_round, main.id)
    assert again.resume_screen() == screens[3]
    assert again.engine.language == "Urdu (ur)"


def test_finalize_refused_while_invalid_then_read_only(site_round):
    s = fieldwork.start_interview(site_round, "consent_profile", "Cheetham Hill", "Baseline")
    with pytest.raises(FieldkitError) as err:
        s.finalize()
    assert any(p.name == "consent" or "consent" in str(p) for p in err.value.problems)
    s.set("consent", "yes")
    s.set("sector", "commercial")
    s.set("role", "trader")
    s.set("years_in_area", 12)
    s.finalize()
    assert s.read_only
    with pytest.raises(FieldkitError, match="finalized"):
        s.set("role", "baker")
    s.reopen("spelling")
    s.set("role", "baker")
    assert site_round.interviews.answers(s.id)["role"] == "baker"


def test_shipped_forms_imported_once(project):
    first = fieldwork.ensure_shipped_forms(project)
    second = fieldwork.ensure_shipped_forms(project)
    assert set(first) == {"consent_profile", "community_dna", "relationship_map"}
    assert {k: v["id"] for k, v in first.items()} == {k: v["id"] for k, v in second.items()}
    assert len(project.forms.list()) == 3
