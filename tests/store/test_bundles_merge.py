"""The merge test: 5 laptops, 20 bundles, imported in random order, twice.

Full size (200 interviews per bundle, 4,000 in all) with FIELDKIT_MERGE_INTERVIEWS=200; `make
test` runs a smaller size (default 10 per bundle) so CI stays quick. The result must equal a
single-laptop reference, hold no duplicates, and show conflicts exactly where they were made.
"""

import os
import random
import time
import uuid

import pytest

from fieldkit.store import create_project
from fieldkit.store.bundles import export_bundle, import_bundle
from fieldkit.store.merge import Conflicts
from tests.store.team_helpers import add_form, coordinator, kit_for, laptop

PER_BUNDLE = int(os.environ.get("FIELDKIT_MERGE_INTERVIEWS", "10"))
LAPTOPS = 5
BATCHES = 4  # 5 laptops x 4 bundles = 20 bundles
SITES = ("Broughton", "Cheetham Hill")
CONFLICTS_PER_PAIR = 2
FAST_FORWARDS_PER_PAIR = 3
CONSENTED = 3  # per laptop: consent in the first bundle, the interview it opens in the last


def iid(lap: int, batch: int, n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fieldkit-merge/{lap}/{batch}/{n}"))


def answers(lap: int, batch: int, n: int) -> dict:
    return {
        "q_score": (lap * 7 + batch * 3 + n) % 5 + 1,
        "q_text": f"laptop {lap} batch {batch} number {n}",
        "q_multi": sorted({f"opt{(n + k) % 4}" for k in range(n % 3 + 1)}),
        "q_num": round(n * 1.5, 1),
    }


def make(project, lap, batch, n):
    form = project.forms.latest("household")["id"]
    row = project.interviews.create(
        form, site=SITES[n % 2], round="Baseline", interview_id=iid(lap, batch, n)
    )
    project.interviews.finalize(
        row.id, answers(lap, batch, n), respondent_code=f"R-{lap}-{batch}-{n}"
    )


def consent_id(lap: int, n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fieldkit-merge/consent/{lap}/{n}"))


def opened_id(lap: int, n: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fieldkit-merge/opened/{lap}/{n}"))


def give_consent(project, lap, n):
    form = project.forms.latest("consent_profile")["id"]
    row = project.interviews.create(
        form, site=SITES[n % 2], round="Baseline", interview_id=consent_id(lap, n)
    )
    project.interviews.finalize(
        row.id, {"consent": "yes"}, respondent_code=f"C-{lap}-{n}", respondent_sector="public"
    )


def open_from_consent(project, lap, n):
    form = project.forms.latest("household")["id"]
    row = project.interviews.create(
        form, interview_id=opened_id(lap, n), consent=consent_id(lap, n)
    )
    project.interviews.finalize(row.id, answers(lap, 9, n))


def edit(project, interview_id, changes):
    project.interviews.reopen(interview_id, reason="merge test")
    values = project.interviews.answers(interview_id) | changes
    project.interviews.finalize(interview_id, values)


def content(project):
    rows = project.db.execute(
        "SELECT i.id, i.status, i.respondent_code, s.name, f.form_id FROM interviews i "
        "JOIN forms f ON f.id = i.form LEFT JOIN sites s ON s.id = i.site"
    ).fetchall()
    return {
        r[0]: (r[1], r[2], r[3], r[4], tuple(sorted(project.interviews.answers(r[0]).items())))
        for r in rows
    }


@pytest.mark.slow
def test_twenty_bundles_from_five_laptops(tmp_path):
    started = time.perf_counter()
    coord = coordinator(tmp_path)
    add_form(coord, "consent_profile")
    kit = kit_for(coord, tmp_path)
    laptops = [laptop(tmp_path, kit, f"laptop{k}") for k in range(LAPTOPS)]
    reference = create_project(tmp_path / "reference", "Reference")
    add_form(reference)
    add_form(reference, "consent_profile")
    for site in SITES:
        reference.sites.add(site)
    reference.rounds.add("Baseline")

    bundles = []
    conflicted: set[str] = set()
    for batch in range(BATCHES):
        for k, lap in enumerate(laptops):
            for n in range(PER_BUNDLE):
                make(lap, k, batch, n)
                make(reference, k, batch, n)
            for n in range(CONSENTED):  # the interview comes 3 bundles after its consent
                for project in (lap, reference):
                    if batch == 0:
                        give_consent(project, k, n)
                    if batch == BATCHES - 1:
                        open_from_consent(project, k, n)
        if batch == 1:  # each laptop receives its neighbour's first bundle (laptop to laptop)
            for k, lap in enumerate(laptops):
                import_bundle(lap, bundles[(k + 1) % LAPTOPS])
        if batch == 2:
            for k, lap in enumerate(laptops):
                owner = (k + 1) % LAPTOPS
                for n in range(CONFLICTS_PER_PAIR):  # both edit: a conflict
                    target = iid(owner, 0, n)
                    edit(lap, target, {"q_text": f"edited by {k}"})
                    edit(laptops[owner], target, {"q_text": f"edited by owner {owner}"})
                    conflicted.add(target)
                for n in range(CONFLICTS_PER_PAIR, CONFLICTS_PER_PAIR + FAST_FORWARDS_PER_PAIR):
                    target = iid(owner, 0, n)  # only the neighbour edits: an update
                    edit(lap, target, {"q_score": 5, "q_note": f"checked by {k}"})
                    edit(reference, target, {"q_score": 5, "q_note": f"checked by {k}"})
        for k, lap in enumerate(laptops):
            out = tmp_path / f"laptop{k}-batch{batch}.fkb"
            export_bundle(lap, out, since="last")
            bundles.append(out)
    made = time.perf_counter()

    order = bundles[:]
    random.Random(8).shuffle(order)
    totals = {"new": 0, "updated": 0, "unchanged": 0, "conflict": 0}
    for path in order:
        report = import_bundle(coord, path)
        for key in totals:
            totals[key] += report.counts[key]
    random.Random(9).shuffle(order)
    again = {"new": 0, "updated": 0, "conflict": 0}
    for path in order:
        report = import_bundle(coord, path)
        for key in again:
            again[key] += report.counts[key]
    imported = time.perf_counter()

    expected_total = LAPTOPS * BATCHES * PER_BUNDLE + LAPTOPS * CONSENTED * 2
    assert len(bundles) == 20
    assert totals["new"] == expected_total
    assert again == {"new": 0, "updated": 0, "conflict": 0}
    ids = [r[0] for r in coord.db.execute("SELECT id FROM interviews")]
    assert len(ids) == len(set(ids)) == expected_total
    codes = coord.db.execute("SELECT respondent_code, form FROM interviews").fetchall()
    assert len(codes) == len(set(codes))  # zero duplicates, by respondent too
    for k in range(LAPTOPS):
        for n in range(CONSENTED):  # every opened interview still rests on its consent
            row = coord.interviews.get(opened_id(k, n))
            assert (row.consent, row.respondent_code) == (consent_id(k, n), f"C-{k}-{n}")

    conflicts = Conflicts(coord).list()
    assert {c["record_id"] for c in conflicts} == conflicted
    assert len(conflicts) == len(conflicted) == LAPTOPS * CONFLICTS_PER_PAIR
    assert totals["conflict"] == len(conflicted)

    got, want = content(coord), content(reference)
    assert set(got) == set(want)
    for key in set(want) - conflicted:
        assert got[key] == want[key], key
    for key in conflicted:  # either side's edit is the local copy, the other is kept aside
        text = dict(got[key][4])["q_text"]
        assert text.startswith("edited by")
    print(
        f"\nmerge: {expected_total} interviews in 20 bundles; made in {made - started:.1f}s, "
        f"imported twice in {imported - made:.1f}s"
    )
    for p in [coord, reference, *laptops]:
        p.close()
