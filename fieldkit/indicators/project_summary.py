"""The summary of a project: its finalized interviews and site networks, scored and aggregated.

The bridge between the store and the pure scoring: the store's rows become `InterviewRecord`s,
the stored maps become site networks, and `summarise` does the rest. The dashboard, the packs
and `fieldkit summary` all start here, so they cannot disagree.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fieldkit.indicators.aggregate import summarise
from fieldkit.indicators.blend import site_network_parts
from fieldkit.indicators.coordinator import check_against_form, stored_framework
from fieldkit.indicators.framework import Framework, load_framework
from fieldkit.indicators.scoring import InterviewRecord
from fieldkit.indicators.summary import Summary

if TYPE_CHECKING:
    from fieldkit.store import Project

SCORED_FORM = "community_dna"


def project_framework(project: Project, path: str | Path | None = None) -> Framework:
    """The framework to score with: a file given for this run (checked against its form), else
    the coordinator's framework saved in the project (`fieldkit framework set`), else the
    shipped one."""
    if path is not None:
        framework = load_framework(Path(path))
        check_against_form(project, framework)
        return framework
    return stored_framework(project) or load_framework()


def interview_records(
    project: Project, site: str | None = None, round: str | None = None, form_id: str = SCORED_FORM
) -> list[InterviewRecord]:
    rows = project.interviews.list(site=site, round=round, status="finalized", form_id=form_id)
    answers = project.interviews.answers_for([r.id for r in rows])
    return [
        InterviewRecord(
            uuid=r.id,
            site=r.site_name or "",
            round=r.round_name or "",
            fieldworker=r.fieldworker_name,
            respondent_sector=r.respondent_sector,
            values=answers[r.id],
            finalized_at=r.finalized,
        )
        for r in rows
    ]


def project_summary(
    project: Project,
    framework: Framework | None = None,
    *,
    site: str | None = None,
    round: str | None = None,
    with_networks: bool = True,
) -> Summary:
    """Every figure for the project (or one site / round of it).

    Change since the previous round needs the previous round's figures, so the whole site is
    summarised and then narrowed to the round asked for.
    """
    framework = framework or project_framework(project)
    records = interview_records(project, site=site, form_id=framework.form_id)
    networks = {}
    if with_networks:
        from fieldkit.mapping.persist import site_networks

        chosen = [n for n in site_networks(project) if site is None or n.site == site]
        networks = site_network_parts([n for n in chosen if n.actors], framework)
    rounds = [r["name"] for r in project.rounds.list()]
    summary = summarise(records, framework, networks=networks, rounds=rounds)
    if round is not None:
        summary = summary.select(round_=project.rounds.find(round)["name"])
    if site is not None:
        summary = summary.select(site=project.sites.find(site)["name"])
    return summary
