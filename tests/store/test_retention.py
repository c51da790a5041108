"""Retention: a per-project period, and a check that lists what is older."""

from datetime import UTC, datetime, timedelta

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.store import retention
from tests.store.team_helpers import coordinator, interview


@pytest.fixture
def coord(tmp_path):
    p = coordinator(tmp_path)
    yield p
    p.close()


def test_setting_validated_and_kept(coord):
    assert retention.get_days(coord) is None
    with pytest.raises(FieldkitError, match="no retention period"):
        retention.check(coord)
    for bad in (0, -3, 10**9, True, "30"):
        with pytest.raises(FieldkitError, match="whole number of days"):
            retention.set_days(coord, bad)
    retention.set_days(coord, 365)
    assert retention.get_days(coord) == 365
    retention.set_days(coord, None)
    assert retention.get_days(coord) is None


def test_check_lists_records_past_retention(coord):
    old = interview(coord, {"q": 1}, code="R-OLD")
    new = interview(coord, {"q": 2}, code="R-NEW")
    long_ago = (datetime.now(UTC) - timedelta(days=400)).isoformat()
    coord.db.execute("UPDATE interviews SET created = ? WHERE id = ?", [long_ago, old])
    m = coord.maps.create(site="Broughton", interview_id=old)
    coord.db.execute("UPDATE maps SET created = ? WHERE id = ?", [long_ago, m["id"]])
    retention.set_days(coord, 365)
    found = retention.check(coord)
    assert [(r.kind, r.id) for r in found] == [("interview", old), ("map", m["id"])] or [
        (r.kind, r.id) for r in found
    ] == [("map", m["id"]), ("interview", old)]
    assert all(r.respondent_code == "R-OLD" and r.age_days >= 399 for r in found)
    assert new not in {r.id for r in found}
    later = datetime.now(UTC) + timedelta(days=400)
    assert {r.id for r in retention.check(coord, today=later)} >= {old, new}
