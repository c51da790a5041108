"""Property tests: whatever a laptop records arrives at the coordinator exactly as it was."""

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.store.bundle_format import BundleReader, BundleWriter
from fieldkit.store.bundles import export_bundle, import_bundle
from fieldkit.store.snapshots import content_hash, interview_snapshot, snapshot
from fieldkit.vocab import ACTOR_KINDS, DIRECTIONS, LINK_TYPES, SECTORS
from tests.store.team_helpers import coordinator, kit_for, laptop

keys = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
scalars = (
    st.text(max_size=40)
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
)
values = scalars | st.lists(st.text(max_size=10), max_size=5)
answer_sets = st.dictionaries(keys, values, max_size=12)


@settings(max_examples=15)
@given(
    interviews=st.lists(
        st.tuples(answer_sets, st.booleans(), st.none() | st.text(min_size=1, max_size=12)),
        min_size=1,
        max_size=4,
    ),
    attachment=st.none() | st.binary(min_size=0, max_size=2000),
)
def test_interviews_round_trip(interviews, attachment):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        coord = coordinator(root)
        lap = laptop(root, kit_for(coord, root), "lap")
        form = lap.forms.latest("household")["id"]
        ids = []
        for n, (answers, finalize, code) in enumerate(interviews):
            row = lap.interviews.create(form, site="Broughton", round="Baseline")
            lap.interviews.set_answers(row.id, answers)
            if attachment is not None and n == 0:
                (root / "file.bin").write_bytes(attachment)
                lap.interviews.attach(row.id, "file_q", root / "file.bin")
            if finalize:
                lap.interviews.finalize(
                    row.id, lap.interviews.answers(row.id), respondent_code=code
                )
            ids.append(row.id)
        export_bundle(lap, root / "b.fkb")
        report = import_bundle(coord, root / "b.fkb")
        assert report.counts["new"] == len(ids)
        for interview_id in ids:
            sent = interview_snapshot(lap, interview_id, with_data=True)
            got = interview_snapshot(coord, interview_id, with_data=True)
            assert got["answers"] == sent["answers"]
            assert got["attachments"] == sent["attachments"]
            assert content_hash("interviews", got) == content_hash("interviews", sent)
        assert import_bundle(coord, root / "b.fkb").counts["unchanged"] == len(ids)
        coord.close()
        lap.close()


member_names = st.sampled_from(
    ["records/interviews.json", "records/maps.json", "records/audit.json"]
) | st.builds(lambda b: f"files/{b.hex()}", st.binary(min_size=32, max_size=32))


@settings(max_examples=50)
@given(st.dictionaries(member_names, st.binary(max_size=3000), max_size=6), st.text(max_size=20))
def test_bundle_file_round_trip(members, note):
    writer = BundleWriter(
        {
            "format": "fieldkit-bundle",
            "format_version": 1,
            "kind": "data",
            "bundle_id": "b",
            "project_id": "p",
            "schema_version": 1,
            "note": note,
        }
    )
    for name, data in members.items():
        writer.add(name, data)
    reader = BundleReader(writer.to_bytes(), "test")
    assert sorted(reader.names()) == sorted(members)
    assert {n: reader.read(n) for n in reader.names()} == members
    assert reader.manifest["note"] == note


names = st.text(min_size=1, max_size=30).filter(lambda s: s.strip())
actors = st.lists(
    st.fixed_dictionaries(
        {
            "name": names,
            "sector": st.sampled_from(SECTORS),
            "kind": st.sampled_from(ACTOR_KINDS),
            "influence": st.none() | st.integers(1, 5),
            "goals": st.lists(st.text(max_size=15), max_size=3),
            "notes": st.text(max_size=40),
            "notes_sensitive": st.booleans(),
            "x": st.none() | st.floats(-1e4, 1e4, allow_nan=False),
        }
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15)
@given(
    maps=st.lists(st.tuples(names, actors, st.data()), min_size=1, max_size=3),
    action_titles=st.lists(names, max_size=3),
)
def test_maps_and_actions_round_trip(maps, action_titles):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        coord = coordinator(root)
        lap = laptop(root, kit_for(coord, root), "lap")
        map_ids, action_ids = [], []
        for title, people, data in maps:
            m = lap.maps.create(site="Broughton", round="Baseline", title=title)
            for n, actor in enumerate(people):
                lap.maps.upsert_actor(m["id"], actor | {"id": f"a{n}"})
            pairs = data.draw(
                st.lists(
                    st.tuples(
                        st.integers(0, len(people) - 1),
                        st.integers(0, len(people) - 1),
                        st.sampled_from(LINK_TYPES),
                        st.sampled_from(DIRECTIONS),
                        st.integers(1, 3),
                        st.text(max_size=20),
                    ),
                    max_size=6,
                )
            )
            for n, (s, t, kind, direction, strength, note) in enumerate(pairs):
                tie = {"id": f"t{n}", "source": f"a{s}", "target": f"a{t}", "type": kind}
                tie |= {"direction": direction, "strength": strength, "note": note}
                lap.maps.upsert_tie(m["id"], tie)
            map_ids.append(m["id"])
        for title in action_titles:
            action_ids.append(lap.actions.add("Cheetham Hill", "Baseline", title)["id"])
        export_bundle(lap, root / "b.fkb")
        report = import_bundle(coord, root / "b.fkb")
        assert report.counts["new"] == len(map_ids) + len(action_ids)
        for kind, ids in (("maps", map_ids), ("actions", action_ids)):
            for record_id in ids:
                sent, got = snapshot(lap, kind, record_id), snapshot(coord, kind, record_id)
                assert content_hash(kind, got) == content_hash(kind, sent)
                if kind == "maps":
                    assert got["actors"] == sent["actors"] and got["ties"] == sent["ties"]
                else:
                    assert got["title"] == sent["title"]
        again = import_bundle(coord, root / "b.fkb")
        assert again.counts["unchanged"] == len(map_ids) + len(action_ids)
        assert again.counts["new"] == again.counts["conflict"] == 0
        coord.close()
        lap.close()
