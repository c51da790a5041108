"""The Excel pack: sheets, headers, real types, counts against the store, personal data."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pytest

from fieldkit.packs.collect import form_exports, site_networks
from fieldkit.packs.excel import ExcelPackInput, write_excel_pack
from fieldkit.packs.formdata import ExportOptions
from fieldkit.packs.progress import ExportCancelled
from tests.packs.conftest import (
    SECRET_COMMENT,
    SECRET_NAMES,
    make_actions,
    make_network,
    make_summary,
)
from tests.workbook_text import all_text


def build(project, path, options=None, summary=None, **kw):
    options = options or ExportOptions()
    forms, codebook = form_exports(project, options=options, **kw)
    data = ExcelPackInput(
        project_name=project.name,
        summary=summary or make_summary(),
        forms=forms,
        codebook_forms=codebook,
        networks=[make_network()],
        actions=project.actions.list(),
        options=options,
    )
    return write_excel_pack(path, data)


def header(ws):
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


def table(ws):
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=False)) for r in rows[1:]]


def test_sheets_and_counts_match_the_store(filled_project, tmp_path):
    out = build(filled_project, tmp_path / "pack.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [
        "About",
        "Indicators",
        "By sector",
        "household",
        "household-kids",
        "Codebook",
        "Actors",
        "Ties",
        "Network metrics",
        "Actions",
    ]
    finalized = filled_project.interviews.list(status="finalized")
    rows = table(wb["household"])
    assert len(rows) == len(finalized) == 3  # the draft is not exported
    assert {r["uuid"] for r in rows} == {i.id for i in finalized}
    kids = table(wb["household-kids"])
    assert [(k["kid_name"], k["kid_age"], k["instance"]) for k in kids] == [
        ("Ola", 7, 1),
        ("Jan", 3, 2),
    ]
    parent = next(r for r in rows if r["age"] == 41)
    assert {k["parent_uuid"] for k in kids} == {parent["uuid"]}
    assert len(table(wb["Indicators"])) >= 40  # 2 sites x 2 rounds x 10 indicators
    assert len(table(wb["Actions"])) == 1
    assert len(table(wb["Actors"])) == 8 and len(table(wb["Ties"])) == 7


def test_real_types_labels_and_choice_columns(filled_project, tmp_path):
    wb = openpyxl.load_workbook(build(filled_project, tmp_path / "pack.xlsx"))
    ws = wb["household"]
    assert header(ws)[:10] == [
        "uuid",
        "site",
        "round",
        "fieldworker",
        "respondent_code",
        "respondent_sector",
        "language",
        "form_version",
        "started",
        "finalized",
    ]
    assert ["help", "help/food", "help/money", "help/advice"] == [
        h for h in header(ws) if h.startswith("help")
    ]
    row = next(r for r in table(ws) if r["age"] == 41)
    assert isinstance(row["age"], int)
    assert row["visit"] == dt.datetime(2026, 10, 2)  # a real date cell
    assert isinstance(row["finalized"], dt.datetime)
    assert row["sector"] == "Public sector"
    assert row["pub_1"] == "Strongly agree"
    assert row["help"] == "Food; Advice"
    assert (row["help/food"], row["help/money"], row["help/advice"]) == (1, 0, 1)
    assert row["site"] == "Łódź" and row["form_version"] == "3"
    assert (
        ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:{ws.auto_filter.ref.split(':')[1]}"
    )
    unanswered = next(r for r in table(ws) if r["age"] == 63)
    assert unanswered["help/food"] is None  # not asked: blank, not 0


def test_every_table_has_a_frozen_filtered_header_and_fitting_widths(filled_project, tmp_path):
    wb = openpyxl.load_workbook(build(filled_project, tmp_path / "pack.xlsx"))
    for ws in wb.worksheets[1:]:  # all but About (a list of key and value)
        named = [h for h in header(ws) if h is not None]  # Indicators: the chart block is apart
        last = openpyxl.utils.get_column_letter(len(named))
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref == f"A1:{last}{len(table(ws)) + 1}", ws.title

    def width(ws, name):
        letter = openpyxl.utils.get_column_letter(header(ws).index(name) + 1)
        return ws.column_dimensions[letter].width

    assert width(wb["household"], "uuid") >= 36  # a whole uuid shows
    assert width(wb["household-kids"], "parent_uuid") >= 36
    longest = max(len(r["indicator"]) for r in table(wb["Indicators"]) if r["indicator"])
    assert width(wb["Indicators"], "indicator") >= longest  # "Shared assets and adaptive ..."
    assert width(wb["Actors"], "Label") >= max(len(r["Label"]) for r in table(wb["Actors"]))
    tables = wb.worksheets[1:]
    assert all(ws.column_dimensions[c].width <= 60 for ws in tables for c in ws.column_dimensions)


def test_values_and_language(filled_project, tmp_path):
    options = ExportOptions(labels=False)
    row = next(
        r
        for r in table(
            openpyxl.load_workbook(build(filled_project, tmp_path / "v.xlsx", options))["household"]
        )
        if r["age"] == 41
    )
    assert row["sector"] == "public" and row["pub_1"] == 5 and row["help"] == "food advice"
    options = ExportOptions(language="pl")
    row = next(
        r
        for r in table(
            openpyxl.load_workbook(build(filled_project, tmp_path / "pl.xlsx", options))[
                "household"
            ]
        )
        if r["age"] == 41
    )
    assert row["sector"] == "Sektor publiczny" and row["help"] == "Jedzenie; Porady"


def test_unknown_language_is_refused(filled_project, tmp_path):
    from fieldkit.errors import FieldkitError

    with pytest.raises(FieldkitError, match="no language 'Klingon'"):
        build(filled_project, tmp_path / "x.xlsx", ExportOptions(language="Klingon"))
    assert not (tmp_path / "x.xlsx").exists()


def test_sensitive_columns_absent_by_default(filled_project, tmp_path):
    wb = openpyxl.load_workbook(build(filled_project, tmp_path / "pack.xlsx"))
    assert "full_name" not in header(wb["household"])
    assert "comment" not in header(wb["household"])
    text = all_text(wb)
    for secret in (*SECRET_NAMES, SECRET_COMMENT):
        assert secret not in text
    about = dict((r[0], r[1]) for r in wb["About"].iter_rows(values_only=True) if r and r[0])
    assert about["Personal data"] == "left out"
    codebook = table(wb["Codebook"])
    assert next(r for r in codebook if r["name"] == "full_name")["in this pack"] == "left out"


def test_sensitive_columns_present_with_the_flag(filled_project, tmp_path):
    options = ExportOptions(include_personal_data=True)
    wb = openpyxl.load_workbook(build(filled_project, tmp_path / "pack.xlsx", options))
    assert {"full_name", "comment"} <= set(header(wb["household"]))
    text = all_text(wb)
    assert SECRET_NAMES[0] in text and SECRET_COMMENT in text
    about = dict((r[0], r[1]) for r in wb["About"].iter_rows(values_only=True) if r and r[0])
    assert about["Personal data"] == "INCLUDED"
    assert "PERSONAL DATA" in about["Data protection"]


def test_indicator_sheet_figures_bands_and_chart(filled_project, tmp_path):
    summary = make_summary()
    wb = openpyxl.load_workbook(build(filled_project, tmp_path / "pack.xlsx", summary=summary))
    ws = wb["Indicators"]
    rows = [r for r in table(ws) if r["site"]]
    fig = summary["sites"]["Łódź"]["Follow-up"]["indicators"]["pub"]
    row = next(
        r
        for r in rows
        if (r["site"], r["round"], r["indicator_id"]) == ("Łódź", "Follow-up", "pub")
    )
    assert (row["score"], row["ci_low"], row["ci_high"], row["n"]) == (
        fig["score"],
        fig["ci_low"],
        fig["ci_high"],
        fig["n"],
    )
    assert row["band"] == "Resilient" and row["change"] == fig["change"]["delta"]
    low = next(r for r in rows if r["indicator_id"] == "com_res")
    assert low["band"] == "Low base" and low["low_base"] == "yes"
    rules = [rule for cf in ws.conditional_formatting for rule in cf.rules]
    assert len(rules) == 5 and any('"Brittle"' in rule.formula[0] for rule in rules)
    with zipfile.ZipFile(tmp_path / "pack.xlsx") as archive:  # the native radar chart
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "radarChart" in chart
    # The chart reads the block right of the table: titles on row 2, ten indicators below.
    block = [r[19:23] for r in ws.iter_rows(min_row=2, max_row=12, values_only=True)]
    assert block[0][0] == "indicator" and block[0][1] == "Łódź Baseline"
    assert block[1][0] == "Public services" and block[1][2] == fig["score"]
    assert "'Indicators'!$T$3:$T$12" in chart and "'Indicators'!U2" in chart


def test_network_and_actions_sheets(filled_project, tmp_path):
    wb = openpyxl.load_workbook(build(filled_project, tmp_path / "pack.xlsx"))
    actors = table(wb["Actors"])
    assert header(wb["Actors"])[:2] == ["Label", "Type"]
    food = next(a for a in actors if a["Label"] == "Food Bank")
    assert food["Broker"] == "yes" and food["Single point of failure"] == "yes"
    assert header(wb["Ties"])[:4] == ["From", "To", "Type", "Direction"]
    metrics = table(wb["Network metrics"])[0]
    assert metrics["brokers"] == "Food Bank; City Council" and metrics["actors"] == 8
    action = table(wb["Actions"])[0]
    assert action["due"] == dt.datetime(2027, 1, 31) and action["status"] == "Planned"


def test_progress_and_cancel(filled_project, tmp_path):
    seen = []
    forms, codebook = form_exports(filled_project)
    data = ExcelPackInput("P", make_summary(), forms, codebook, actions=make_actions())
    write_excel_pack(tmp_path / "a.xlsx", data, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]
    forms, codebook = form_exports(filled_project)
    data = ExcelPackInput("P", make_summary(), forms, codebook)
    with pytest.raises(ExportCancelled):
        write_excel_pack(tmp_path / "b.xlsx", data, cancel=lambda: True)
    assert not (tmp_path / "b.xlsx").exists()
    assert not list(tmp_path.glob(".b.xlsx*"))


def test_real_site_network_from_maps(filled_project):
    the_map = filled_project.maps.create(site="Łódź", round="Baseline", title="m1")
    for actor_id, name, sector in (
        ("a", "Council", "public"),
        ("b", "Food Bank", "social"),
        ("c", "Bakery", "commercial"),
    ):
        filled_project.maps.upsert_actor(
            the_map["id"],
            {
                "id": actor_id,
                "name": name,
                "sector": sector,
                "kind": "organisation",
                "influence": 3,
            },
        )
    for tie_id, s, t in (("t1", "a", "b"), ("t2", "b", "c")):
        filled_project.maps.upsert_tie(
            the_map["id"],
            {
                "id": tie_id,
                "source": s,
                "target": t,
                "type": "support",
                "direction": "mutual",
                "strength": 2,
            },
        )
    views = site_networks(filled_project, with_layout=True)
    assert [(v["site"], v["round"]) for v in views] == [("Łódź", "Baseline")]
    view = views[0]
    assert view["metrics"]["articulation_points"] == ["food bank"]
    assert set(view["positions"]) == {"council", "food bank", "bakery"}


def test_demo_workbook_counts_and_personal_data(demo, tmp_path):
    from fieldkit.packs.collect import excel_input
    from tests.packs.conftest import sensitive_values

    secrets = sensitive_values(demo)
    assert secrets
    wb = openpyxl.load_workbook(write_excel_pack(tmp_path / "demo.xlsx", excel_input(demo)))
    for form_id in ("community_dna", "consent_profile"):
        expected = len(demo.interviews.list(status="finalized", form_id=form_id))
        assert len(table(wb[form_id])) == expected
    text = all_text(wb)
    assert [s for s in secrets if s in text] == []
    summary = excel_input(demo).summary
    rows = table(wb["Indicators"])
    assert len([r for r in rows if r["site"]]) == sum(
        len(e["indicators"]) for rounds in summary["sites"].values() for e in rounds.values()
    )
    options = ExportOptions(include_personal_data=True)
    wb = openpyxl.load_workbook(
        write_excel_pack(tmp_path / "all.xlsx", excel_input(demo, options=options))
    )
    answers_only = {s for s in secrets if s in all_text(wb)}
    assert answers_only  # the sensitive answers are there when asked for


def test_people_on_maps_are_personal_data(tmp_path):
    network = make_network()
    network["actors"][6] |= {"kind": "person", "name": "Jan Kowalski-Secret"}
    for include, expected in ((False, "Person 1 (Residents)"), (True, "Jan Kowalski-Secret")):
        data = ExcelPackInput(
            "P",
            make_summary(),
            networks=[network],
            options=ExportOptions(include_personal_data=include),
        )
        wb = openpyxl.load_workbook(write_excel_pack(tmp_path / f"{include}.xlsx", data))
        labels = [a["Label"] for a in table(wb["Actors"])]
        assert expected in labels
        assert ("Jan Kowalski-Secret" in all_text(wb)) is include
        assert any(expected in (t["From"], t["To"]) for t in table(wb["Ties"]))
