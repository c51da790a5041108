"""Property tests: whatever a laptop records arrives at the coordinator exactly as it was."""

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.store.bundle_format import BundleReader, BundleWriter
from fieldkit.store.bundles import export_bundle, import_bundle
from fieldkit.store.snapshots import content_hash, interview_snapshot
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
