"""The demo project: two Manchester/Salford sites, two rounds, about sixty interviews and twenty
relationship maps, made through the same engine as real entry.

Seeded, so every run builds the same figures; the sites differ (Cheetham Hill has strong
community groups and weak public-commercial ties; Broughton the reverse) and the follow-up round
shows change (joint work at Cheetham Hill strengthened the cross-sector relationships).
Sensitive fields (organisation, contact, comments, map notes) hold obviously fictional values
so tests can prove they never reach a pack.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fieldkit.errors import FieldkitError
from fieldkit.fieldwork import ensure_shipped_forms
from fieldkit.forms.interview import Interview
from fieldkit.indicators.framework import Framework, load_framework
from fieldkit.mapping.layout import apply_positions, layout_positions
from fieldkit.mapping.model import Actor, Map, Tie
from fieldkit.mapping.persist import save_map, vocabulary_for

if TYPE_CHECKING:
    from fieldkit.store import Project

DEMO_NAME = "Demo project"
DEMO_LANGUAGE = "English (en)"
SEED = 2026
SITES = ("Cheetham Hill", "Broughton")
ROUNDS = ("Baseline", "Follow-up")
FIELDWORKERS = ("Amina Rahman", "Tomasz Nowak", "Grace Okafor", "Dan Whitfield")
# Respondents per site and round, by sector (15 each: 60 scored interviews in all). Public and
# social respondents reach the low-base threshold, so their perception gap shows; commercial
# and residents stay low base, as small groups do in real fieldwork.
SECTOR_MIX = ("public",) * 5 + ("social",) * 5 + ("commercial",) * 3 + ("residents",) * 2

# The "true" level of each indicator on the 1-5 scale, per site and round.
LEVELS = {
    ("Cheetham Hill", "Baseline"): dict(
        pub=2.6,
        com=3.3,
        soc=3.9,
        pwr=2.7,
        pub_soc=2.5,
        pub_com=2.1,
        com_soc=2.6,
        com_res=3.6,
        net=3.0,
        adapt=3.1,
    ),
    ("Cheetham Hill", "Follow-up"): dict(
        pub=2.8,
        com=3.4,
        soc=4.0,
        pwr=3.1,
        pub_soc=3.4,
        pub_com=2.5,
        com_soc=3.5,
        com_res=3.7,
        net=3.5,
        adapt=3.5,
    ),
    ("Broughton", "Baseline"): dict(
        pub=3.4,
        com=2.4,
        soc=2.8,
        pwr=2.5,
        pub_soc=3.2,
        pub_com=3.3,
        com_soc=2.2,
        com_res=2.4,
        net=2.7,
        adapt=2.6,
    ),
    ("Broughton", "Follow-up"): dict(
        pub=3.2,
        com=2.5,
        soc=3.0,
        pwr=2.6,
        pub_soc=3.1,
        pub_com=3.4,
        com_soc=2.4,
        com_res=2.6,
        net=2.8,
        adapt=2.7,
    ),
}
# How each sector sees things differently (perception gaps).
SECTOR_BIAS = {
    "public": dict(pub=0.6, pub_soc=0.7, pub_com=0.4, pwr=0.3),
    "social": dict(pub_soc=-0.5, soc=0.3, pub=-0.3),
    "commercial": dict(com=0.3, pub_com=-0.6, com_res=0.3),
    "residents": dict(pwr=-0.4, pub=-0.2, com_res=-0.3),
}
ROLES = {
    "public": ("Neighbourhood officer", "Health visitor", "Police community support officer"),
    "social": ("Food bank coordinator", "Mosque trustee", "Youth worker", "Volunteer"),
    "commercial": ("Shop owner", "Cafe manager", "Market trader", "Pharmacist"),
    "residents": ("Parent", "Retired resident", "Tenant", "Student"),
}
COMMENTS = (
    "Told us about a neighbour by name (fictional: Zoë Łódź-Smith)",
    "Mentioned a private phone number 07700 900000 (fictional)",
    "Long story about the council's planning office",
)

ROSTERS = {
    "Cheetham Hill": [
        ("Manchester City Council", "public", "organisation"),
        ("Greater Manchester Police", "public", "organisation"),
        ("Cheetham Hill Medical Centre", "public", "organisation"),
        ("Abraham Moss school", "public", "organisation"),
        ("One Manchester housing", "public", "organisation"),
        ("Cheetham Hill mosque", "social", "group"),
        ("North Manchester food bank", "social", "organisation"),
        ("Bangladeshi women's group", "social", "group"),
        ("Cheetham youth club", "social", "group"),
        ("Cheetham Hill traders' association", "commercial", "group"),
        ("Strangeways market traders", "commercial", "group"),
        ("Cash and carry on Bury Old Road", "commercial", "organisation"),
        ("Tenants' association", "residents", "group"),
        ("Residents' WhatsApp group", "residents", "group"),
        ("Lancashire Community Fund", "other", "organisation"),
    ],
    "Broughton": [
        ("Salford City Council", "public", "organisation"),
        ("Broughton health centre", "public", "organisation"),
        ("Salix Homes", "public", "organisation"),
        ("Broughton primary school", "public", "organisation"),
        ("Broughton Hub", "social", "organisation"),
        ("St John's church", "social", "group"),
        ("Salford food bank", "social", "organisation"),
        ("Jewish community centre", "social", "organisation"),
        ("Great Clowes Street shops", "commercial", "group"),
        ("Broughton builders' merchant", "commercial", "organisation"),
        ("Broughton traders", "commercial", "group"),
        ("Friends of Albert Park", "residents", "group"),
        ("Kersal Vale residents", "residents", "group"),
        ("Greater Manchester Combined Authority", "other", "organisation"),
    ],
}


# How likely a tie is between two sectors, per site and round (drives coverage and bridging).
def _tie_chance(site: str, round_: str, a: str, b: str) -> float:
    if a == b:
        return 0.35
    pair = frozenset((a, b))
    base = 0.22
    if site == "Cheetham Hill":
        if pair == frozenset(("public", "commercial")):
            base = 0.08
        if pair == frozenset(("social", "residents")):
            base = 0.4
        if round_ == "Follow-up" and pair in (
            frozenset(("public", "social")),
            frozenset(("commercial", "social")),
        ):
            base += 0.25
    else:
        if pair == frozenset(("commercial", "social")):
            base = 0.07
        if pair == frozenset(("public", "commercial")):
            base = 0.35
    return base


@dataclass
class _Ctx:
    project: Project
    rng: random.Random
    forms: dict[str, dict]
    framework: Framework


def create_demo(data_dir: Path, name: str = DEMO_NAME, seed: int = SEED) -> Project:
    """Build the demo project in `data_dir` (refused if a project of that name exists)."""
    from fieldkit.store import create_project

    project = create_project(data_dir, name)
    try:
        populate(project, seed)
    except Exception:
        project.close()
        for leftover in project.path.parent.glob(f"{project.path.name}*"):
            leftover.unlink(missing_ok=True)
        raise
    return project


def populate(project: Project, seed: int = SEED) -> None:
    """Fill an empty project with the demo's sites, rounds, interviews, maps and actions."""
    if project.interviews.list() or project.sites.list():
        raise FieldkitError("the demo fills an empty project only")
    rng = random.Random(seed)
    with project.atomic():
        ctx = _Ctx(project, rng, ensure_shipped_forms(project), load_framework())
        for site in SITES:
            project.sites.add(site)
        for round_ in ROUNDS:
            project.rounds.add(round_)
        number = 0
        for site in SITES:
            for round_ in ROUNDS:
                for sector in SECTOR_MIX:
                    number += 1
                    _interview(ctx, site, round_, sector, FIELDWORKERS[number % len(FIELDWORKERS)])
                for index in range(5):
                    _map(ctx, site, round_, index)
        _drafts(ctx)
        _actions(project)
        project.maps.confirm_alias("MCC", "Manchester City Council")


def _consent(ctx: _Ctx, site: str, round_: str, sector: str, fieldworker: str) -> str:
    form_pk = ctx.forms["consent_profile"]["id"]
    row = ctx.project.interviews.create(
        form_pk, site=site, round=round_, fieldworker=fieldworker, language=DEMO_LANGUAGE
    )
    engine = Interview(
        ctx.project.forms.load(form_pk), meta={"username": fieldworker, "deviceid": "demo"}
    )
    engine.set("consent", "yes")
    engine.set("sector", sector)
    engine.set("role", ctx.rng.choice(ROLES[sector]))
    if sector != "residents":
        engine.set("organisation", f"Fictional organisation {ctx.rng.randint(1, 99)}")
    engine.set("years_in_area", ctx.rng.randint(0, 40))
    if ctx.rng.random() < 0.3:
        engine.set("contact", f"demo.contact{ctx.rng.randint(100, 999)}@example.invalid")
    values = engine.finalize()
    ctx.project.interviews.finalize(
        row.id, values, respondent_code=values["respondent_code"], respondent_sector=sector
    )
    return row.id


def _answer(rng: random.Random, level: float) -> str:
    if rng.random() < 0.06:
        return "dk"
    return str(min(5, max(1, round(rng.gauss(level, 0.8)))))


def _interview(ctx: _Ctx, site: str, round_: str, sector: str, fieldworker: str) -> None:
    consent = _consent(ctx, site, round_, sector, fieldworker)
    form_pk = ctx.forms["community_dna"]["id"]
    row = ctx.project.interviews.create(
        form_pk, consent=consent, fieldworker=fieldworker, language=DEMO_LANGUAGE
    )
    engine = Interview(
        ctx.project.forms.load(form_pk), meta={"username": fieldworker, "deviceid": "demo"}
    )
    levels = LEVELS[(site, round_)]
    for indicator in ctx.framework.indicators:  # the items and reverse items are the framework's
        level = levels[indicator.id] + SECTOR_BIAS[sector].get(indicator.id, 0.0)
        for item in indicator.items:
            engine.set(item.name, _answer(ctx.rng, 6 - level if item.reverse else level))
        if ctx.rng.random() < 0.05:
            engine.set(f"{indicator.id}_comment", ctx.rng.choice(COMMENTS))
    ctx.project.interviews.finalize(row.id, engine.finalize())


COUNCIL_NAMES = (
    "Manchester City Council",
    "MCC",
    "Manchester City Council",
    "the council",
    "Manchester City Council",
)


def _map(ctx: _Ctx, site: str, round_: str, index: int) -> None:
    rng = ctx.rng
    vocabulary = vocabulary_for(ctx.project)
    the_map = Map(
        site=site,
        round=round_,
        focus_question="Who makes things happen here, and how are they linked?",
        vocabulary=vocabulary,
    )
    roster = rng.sample(ROSTERS[site], k=rng.randint(8, 11))
    council = ROSTERS[site][0]
    if council not in roster:  # the council is on every map: participants always name it
        roster[0] = council
    for name, sector, kind in roster:
        if name == "Manchester City Council":
            # Participants name it three ways; the coordinator confirms "MCC" in the demo and
            # leaves "the council" as a suggestion to look at.
            name = COUNCIL_NAMES[index % len(COUNCIL_NAMES)]
        the_map.add_actor(
            Actor(
                name,
                sector,
                kind,
                influence=rng.randint(2, 10),
                notes="fictional private note" if rng.random() < 0.1 else "",
            )
        )
    actors = list(the_map.actors.values())
    types = vocabulary.link_type_names()
    for i, a in enumerate(actors):
        for b in actors[i + 1 :]:
            if rng.random() < _tie_chance(site, round_, a.sector, b.sector):
                source, target = (a, b) if rng.random() < 0.5 else (b, a)
                the_map.add_tie(
                    Tie(
                        source.id,
                        target.id,
                        rng.choice(types),
                        "mutual" if rng.random() < 0.4 else "one-way",
                        rng.randint(1, 3),
                    )
                )
    # Placed by sector, as "Arrange by sector" would: readable, and the same on every build.
    apply_positions(the_map, layout_positions(the_map, "sector"))
    ctx.project.maps.create(
        site=site,
        round=round_,
        focus_question=the_map.focus_question,
        map_id=the_map.id,
        vocabulary=vocabulary.to_dict(),
    )
    save_map(ctx.project, the_map)


def _drafts(ctx: _Ctx) -> None:
    """A few interviews left unfinished, as a real week would leave them."""
    form_pk = ctx.forms["consent_profile"]["id"]
    draft = ctx.project.interviews.create(
        form_pk, site="Broughton", round="Follow-up", fieldworker=FIELDWORKERS[1]
    )
    ctx.project.interviews.set_answers(draft.id, {"consent": "yes"})
    consent = _consent(ctx, "Cheetham Hill", "Follow-up", "residents", FIELDWORKERS[2])
    main = ctx.project.interviews.create(
        ctx.forms["community_dna"]["id"], consent=consent, fieldworker=FIELDWORKERS[2]
    )
    ctx.project.interviews.set_answers(
        main.id, {"pub_1": "4", "pub_2": "3", "pub_3": "dk", "com_1": "2"}
    )
    ctx.project.interviews.set_position(main.id, "com")


def _actions(project: Project) -> None:
    project.actions.add(
        "Cheetham Hill",
        "Baseline",
        "Joint council-traders forum on Bury Old Road",
        indicators="pub_com",
        lead_sector="public",
        partners="Traders' association",
        due="2026-03-31",
        status="done",
    )
    project.actions.add(
        "Cheetham Hill",
        "Follow-up",
        "Shared small-grants pot for community groups and businesses",
        indicators="com_soc soc",
        lead_sector="social",
        partners="Food bank, mosque, cash and carry",
        due="2027-01-31",
        status="in_progress",
    )
    project.actions.add(
        "Broughton",
        "Baseline",
        "Buy-local pledge for public bodies",
        indicators="com_res pub_com",
        lead_sector="public",
        partners="Salix Homes, Broughton traders",
        due="2026-06-30",
        status="in_progress",
    )
    project.actions.add(
        "Broughton",
        "Follow-up",
        "Community hub opening hours shared with local shops",
        indicators="com_soc",
        lead_sector="commercial",
        partners="Broughton Hub",
        due="2027-05-01",
        status="planned",
    )
