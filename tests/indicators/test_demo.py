"""The demo project: realistic, reproducible, and made through the real engine."""

import pytest

from fieldkit.indicators.demo import create_demo
from fieldkit.indicators.project_summary import project_summary


@pytest.fixture(scope="module")
def demo_pair(tmp_path_factory):
    first = create_demo(tmp_path_factory.mktemp("a") / "data")
    second = create_demo(tmp_path_factory.mktemp("b") / "data")
    yield first, second
    first.close()
    second.close()


def test_shape(demo_pair):
    project, _ = demo_pair
    scored = project.interviews.list(status="finalized", form_id="community_dna")
    assert len(scored) == 60
    assert {r.respondent_sector for r in scored} == {"public", "social", "commercial", "residents"}
    assert len({r.fieldworker_name for r in scored}) == 4
    assert len(project.maps.list()) == 20
    assert project.interviews.drafts()
    assert len(project.actions.list()) >= 3
    assert [s["name"] for s in project.sites.list()] == ["Broughton", "Cheetham Hill"]


def test_summary_reproducible_and_differs(demo_pair):
    a, b = demo_pair
    da, db = project_summary(a).to_dict(), project_summary(b).to_dict()
    assert da == db
    # not just equal after rounding to 2 digits: the same figures to 10
    assert project_summary(a).to_dict(ndigits=10) == project_summary(b).to_dict(ndigits=10)
    ch = da["sites"]["Cheetham Hill"]
    br = da["sites"]["Broughton"]
    assert ch["Baseline"]["indicators"]["soc"]["score"] > br["Baseline"]["indicators"]["soc"]["score"] + 10
    assert ch["Follow-up"]["indicators"]["com_soc"]["change"]["delta"] > 5
    assert ch["Baseline"]["network"] and not ch["Baseline"]["indicators"]["pub_soc"]["interviews_only"]
    assert ch["Baseline"]["indicators"]["pub_soc"]["gap"]["high_sector"] == "public"


def test_refuses_to_overwrite(demo_pair, tmp_path):
    from fieldkit.errors import FieldkitError

    create_demo(tmp_path / "d").close()
    with pytest.raises(FieldkitError, match="already exists"):
        create_demo(tmp_path / "d")
