"""Hand-made inputs for the pack builders: a summary dict in the shape of Summary.to_dict(),
a site network view, actions, and a small project with a form and finalized interviews."""

from __future__ import annotations

import pytest

from fieldkit.vocab import band_for

INDICATORS = {
    "pub": "Public services",
    "com": "Local economy",
    "soc": "Social sector",
    "pwr": "Community power",
    "pub_soc": "Public - social relationship",
    "pub_com": "Public - commercial relationship",
    "com_soc": "Commercial - social relationship",
    "com_res": "Local commerce - local people",
    "net": "Bonds and bridges",
    "adapt": "Shared assets and adaptive capacity",
}


def _estimate(score, n):
    low_base = n < 5
    band = None if low_base or score is None else band_for(score)
    return {
        "score": score,
        "n": n,
        "ci_low": None if score is None else round(score - 9.5, 2),
        "ci_high": None if score is None else round(score + 9.5, 2),
        "band": band.id if band else None,
        "low_base": low_base,
    }


def _figure(name, score, n, previous=None, gap=None):
    est = _estimate(score, n)
    band = None if est["low_base"] or score is None else band_for(score)
    return {
        "name": name,
        **est,
        "band_label": band.label if band else None,
        "interviews_only": True,
        "basis": "interviews only (no site network)",
        "components": {"interviews": {"score": score, "weight": 1.0}, "network": {}},
        "change": None
        if previous is None
        else {
            "previous_round": "Baseline",
            "previous_score": previous,
            "delta": round(score - previous, 2),
            "ci_overlap": False,
            "same_basis": True,
        },
        "gap": gap,
        "by_sector": {
            "public": _estimate(None if score is None else min(100.0, score + 12), 6),
            "social": _estimate(None if score is None else max(0.0, score - 15), 5),
            "residents": _estimate(score, 3),
        },
        "provenance": {
            "interviews": n,
            "interviews_unscored": 0,
            "maps": 0,
            "framework_version": "1",
        },
    }


def make_summary(site="Łódź", other="Zoë's Quarter"):
    base_scores = [72.5, 35.0, 58.25, 44.0, 61.0, 28.5, 49.0, 66.0, 55.0, 81.0]
    sites = {}
    for site_name, shift in ((site, 0.0), (other, -6.0)):
        rounds = {}
        for round_name, delta in (("Baseline", -5.0), ("Follow-up", 0.0)):
            indicators = {}
            for i, (iid, name) in enumerate(INDICATORS.items()):
                score = round(base_scores[i] + shift + delta, 2)
                n = 3 if iid == "com_res" else 24
                previous = None if round_name == "Baseline" else round(score + 5.0 - 2 * i, 2)
                gap = {
                    "high_sector": "public",
                    "high_score": round(score + 12, 2),
                    "low_sector": "social",
                    "low_score": round(score - 15 + i, 2),
                    "difference": round(27 - i, 2),
                }
                indicators[iid] = _figure(name, score, n, previous, gap)
            rounds[round_name] = {
                "n_interviews": 24,
                "maps": 3,
                "network": False,
                "indicators": indicators,
            }
        sites[site_name] = rounds
    return {
        "framework": {"id": "community_dna", "title": "Community DNA", "version": "1"},
        "rounds": ["Baseline", "Follow-up"],
        "sites": sites,
        "warnings": [],
    }


def make_network(site="Łódź", round_="Follow-up"):
    actors = [
        ("city council", "City Council", "public"),
        ("housing trust", "Housing Trust", "public"),
        ("food bank", "Food Bank", "social"),
        ("mosque", "Central Mosque", "social"),
        ("traders", "Traders' Association", "commercial"),
        ("bakery", "Zoë's Bakery", "commercial"),
        ("tenants", "Tenants Group", "residents"),
        ("loner", "Allotment Club", "other"),
    ]
    ties = [
        ("city council", "housing trust", "services", "mutual", 3),
        ("city council", "food bank", "money", "one-way", 2),
        ("food bank", "mosque", "support", "mutual", 3),
        ("mosque", "tenants", "information", "mutual", 1),
        ("traders", "bakery", "support", "mutual", 2),
        ("food bank", "traders", "money", "one-way", 1),
        ("city council", "traders", "influence", "one-way", 2),
    ]
    return {
        "site": site,
        "round": round_,
        "map_count": 3,
        "actors": [
            {
                "key": k,
                "name": n,
                "sector": s,
                "kind": "organisation",
                "influence": 5.0,
                "maps": 2,
                "names": [n],
            }
            for k, n, s in actors
        ],
        "ties": [
            {"source": a, "target": b, "type": t, "direction": d, "strength": s, "weight": 1}
            for a, b, t, d, s in ties
        ],
        "positions": {
            k: (float(i % 3) * 100.0, float(i // 3) * 80.0) for i, (k, _, _) in enumerate(actors)
        },
        "metrics": {
            "actors": 8,
            "ties": 7,
            "tied_pairs": 7,
            "density": 0.16,
            "ei_index": 0.43,
            "bridging": 71.4,
            "redundancy": 62.5,
            "brokers": ["food bank", "city council"],
            "articulation_points": ["food bank", "mosque", "traders"],
            "isolates": ["loner"],
            "components": [["a"], ["loner"]],
            "betweenness": {"food bank": 0.3, "city council": 0.2},
            "mixing": {"public": {"public": 1, "social": 1}},
            "names": {k: n for k, n, _ in actors},
        },
    }


def make_actions(site="Łódź", round_="Follow-up"):
    return [
        {
            "site_name": site,
            "round_name": round_,
            "title": "Quarterly traders and council breakfast",
            "indicators": ["pub_com"],
            "lead_sector": "public",
            "partners": "Traders' Association",
            "due": "2027-03-31",
            "status": "planned",
            "notes": "Book the community centre",
        }
    ]


@pytest.fixture
def summary():
    return make_summary()


@pytest.fixture
def network():
    return make_network()


FORM_MD = """
| survey | type | name | label::English (en) | label::Polski (pl) | sensitive | indicator |
|---|---|---|---|---|---|---|
| | text | full_name | Your name | Imię | yes | |
| | integer | age | Age | Wiek | | |
| | select_one sector | sector | Sector | Sektor | | |
| | select_multiple help | help | Help given | Pomoc | | |
| | select_one agree5 | pub_1 | Services are easy to reach | Usługi | | pub |
| | date | visit | Visit date | Data | | |
| | text | comment | Comment | Komentarz | yes | |
| | begin repeat | kids | Children | Dzieci | | |
| | text | kid_name | Child name | Imię dziecka | | |
| | integer | kid_age | Child age | Wiek dziecka | | |
| | end repeat | | | | | |

| choices | list_name | name | label::English (en) | label::Polski (pl) |
|---|---|---|---|---|
| | sector | public | Public sector | Sektor publiczny |
| | sector | social | Social sector | Sektor społeczny |
| | help | food | Food | Jedzenie |
| | help | money | Money | Pieniądze |
| | help | advice | Advice | Porady |
| | agree5 | 1 | Strongly disagree | Zdecydowanie nie |
| | agree5 | 5 | Strongly agree | Zdecydowanie tak |

| settings | form_id | form_title | version | default_language |
|---|---|---|---|---|
| | household | Household survey | 3 | English (en) |
"""

SECRET_NAMES = ("Agnieszka Wróbel-Secret", "Bartłomiej Private")
SECRET_COMMENT = "confidential remark about the landlord"


@pytest.fixture
def filled_project(project, tmp_path):
    """A project with one form, two sites, one round, three finalized interviews and a draft."""
    from fieldkit.forms.load import load_form

    source = tmp_path / "household.md"
    source.write_text(FORM_MD, encoding="utf-8")
    form = load_form(source)
    record, _ = project.forms.add(form, source.read_bytes(), source.name)
    project.sites.add("Łódź")
    project.sites.add("Zoë's Quarter")
    project.rounds.add("Baseline")
    answers = [
        (
            "Łódź",
            {
                "full_name": SECRET_NAMES[0],
                "age": 41,
                "sector": "public",
                "help": ["food", "advice"],
                "pub_1": "5",
                "visit": "2026-10-02",
                "comment": SECRET_COMMENT,
                "kids": 2,
                "kids[0]/kid_name": "Ola",
                "kids[0]/kid_age": 7,
                "kids[1]/kid_name": "Jan",
                "kids[1]/kid_age": 3,
            },
        ),
        (
            "Łódź",
            {
                "full_name": SECRET_NAMES[1],
                "age": 29,
                "sector": "social",
                "help": ["money"],
                "pub_1": "1",
                "visit": "2026-10-03",
            },
        ),
        ("Zoë's Quarter", {"age": 63, "sector": "social", "pub_1": "5"}),
    ]
    ids = []
    for site, values in answers:
        iv = project.interviews.create(record["id"], site=site, round="Baseline")
        project.interviews.finalize(
            iv.id, values, respondent_code=f"R-{len(ids)}", respondent_sector=values.get("sector")
        )
        ids.append(iv.id)
    draft = project.interviews.create(record["id"], site="Łódź", round="Baseline")
    project.interviews.set_answers(draft.id, {"age": 99})
    project.actions.add(
        "Łódź",
        "Baseline",
        "Open the hall on Saturdays",
        indicators=["adapt"],
        lead_sector="social",
        due="2027-01-31",
    )
    project.finalized_ids = ids
    return project


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The demo project (built once for the session; tests only read it)."""
    from fieldkit.indicators.demo import create_demo

    project = create_demo(tmp_path_factory.mktemp("demo-data"))
    yield project
    project.close()


def sensitive_values(project):
    """Every answer to a question marked sensitive, and every map note, in the project."""
    from fieldkit.packs.formdata import is_sensitive

    values = set()
    rows = project.interviews.list(status="finalized")
    answers = project.interviews.answers_for([r.id for r in rows])
    for row in rows:
        form = project.forms.load(row.form)
        sensitive = {n.name for n in form.walk() if is_sensitive(n)}
        for key, value in answers[row.id].items():
            if key.split("/")[-1] in sensitive and isinstance(value, str) and len(value) >= 4:
                values.add(value)
    for the_map in project.maps.load_many():
        for actor in the_map["actors"]:
            if actor.get("notes") and len(actor["notes"]) >= 4:
                values.add(actor["notes"])
        for tie in the_map["ties"]:
            if tie.get("note") and len(tie["note"]) >= 4:
                values.add(tie["note"])
    return values
