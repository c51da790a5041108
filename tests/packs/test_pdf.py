"""The partner PDF: sections, figures against the summary, Unicode, no personal data."""

from __future__ import annotations

import re
import shutil
import subprocess

import pypdf
import pytest

from fieldkit.errors import FieldkitError
from fieldkit.packs.collect import pdf_input, project_summary_dict
from fieldkit.packs.pdf import PdfPackInput, write_pdf_pack
from fieldkit.packs.progress import ExportCancelled
from tests.packs.conftest import make_actions, make_network, make_summary, sensitive_values

SECTIONS = (
    "Community DNA",
    "Summary:",
    "The community DNA",
    "The indicators",
    "Perception gaps between sectors",
    "How the sectors connect",
    "Action plan",
    "How the figures were made",
)


def hand_made(**changes):
    network = make_network()
    network["actors"][6] |= {"kind": "person", "name": "Jan Kowalski-Secret"}
    data = PdfPackInput(
        project_name="Greater Łódź Resilience",
        summary=make_summary(),
        site="Łódź",
        round="Follow-up",
        networks={"Łódź": network},
        actions=make_actions(),
        interview_dates={"Łódź": ("2026-10-01", "2026-10-20")},
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def pages_text(path):
    """Each page's text with whitespace runs made single spaces (table cells come out one a
    line)."""
    reader = pypdf.PdfReader(path)
    return [" ".join(page.extract_text().split()) for page in reader.pages], reader


def test_sections_pages_and_footer(tmp_path):
    pages, reader = pages_text(write_pdf_pack(tmp_path / "r.pdf", hand_made()))
    text = "\n".join(pages)
    for heading in SECTIONS:
        assert heading in text, heading
    assert 6 <= len(pages) <= 12
    assert f"Page 2 of {len(pages)}" in pages[1]
    assert "Greater Łódź Resilience · Łódź · Follow-up" in pages[-1]
    assert "Zoë's Bakery" in text  # organisations by name, in an embedded Unicode font
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert fonts and all("DejaVuSans" in f for f in fonts)


def test_indicator_table_matches_the_summary(tmp_path):
    data = hand_made()
    pages, _ = pages_text(write_pdf_pack(tmp_path / "r.pdf", data))
    table_page = next(p for p in pages if p.startswith("The indicators"))
    for indicator_id, fig in data.summary["sites"]["Łódź"]["Follow-up"]["indicators"].items():
        band = "Low base †" if fig["low_base"] else fig["band_label"]
        expected = (
            f"{fig['name']} {fig['score']:.0f} {fig['ci_low']:.0f}–{fig['ci_high']:.0f} "
            f"{fig['n']} {band}"
        )
        assert expected in table_page, (indicator_id, expected)
    summary_page = pages[1]
    assert "Shared assets and adaptive capacity at 81 (Resilient)" in summary_page
    assert "rose by 13 points since Baseline" in summary_page


def test_no_person_names_or_action_notes(tmp_path):
    text = "\n".join(pages_text(write_pdf_pack(tmp_path / "r.pdf", hand_made()))[0])
    assert "Jan Kowalski-Secret" not in text
    assert "Person 1 (Residents)" in text
    assert make_actions()[0]["notes"] not in text  # free text never reaches a partner
    assert make_actions()[0]["title"] in text


def test_comparison_adds_the_other_site(tmp_path):
    one = len(pages_text(write_pdf_pack(tmp_path / "1.pdf", hand_made()))[0])
    pages, _ = pages_text(write_pdf_pack(tmp_path / "2.pdf", hand_made(compare=["Zoë's Quarter"])))
    assert len(pages) > one and len(pages) <= 12
    text = "\n".join(pages)
    assert "Compared with Zoë's Quarter" in text
    assert "How the sectors connect: Zoë's Quarter" in text
    assert "No relationship maps were made here" in text  # it has no network


def test_unknown_site_is_refused_and_nothing_written(tmp_path):
    with pytest.raises(FieldkitError, match="no figures for site 'Nowhere'"):
        write_pdf_pack(tmp_path / "r.pdf", hand_made(site="Nowhere"))
    assert list(tmp_path.iterdir()) == []


def test_progress_and_cancel(tmp_path):
    seen = []
    write_pdf_pack(tmp_path / "r.pdf", hand_made(), progress=lambda d, t: seen.append((d, t)))
    assert seen[-1][0] == seen[-1][1] and len(seen) >= 8
    calls = []

    def cancel_after_three():
        calls.append(1)
        return len(calls) > 3

    with pytest.raises(ExportCancelled):
        write_pdf_pack(tmp_path / "c.pdf", hand_made(), cancel=cancel_after_three)
    assert not (tmp_path / "c.pdf").exists()


def test_demo_figures_and_no_sensitive_value(demo, tmp_path):
    data = pdf_input(demo, "Cheetham Hill", "Follow-up")
    path = write_pdf_pack(tmp_path / "demo.pdf", data)
    pages, _ = pages_text(path)
    text = "\n".join(pages)
    summary = project_summary_dict(demo)
    entry = summary["sites"]["Cheetham Hill"]["Follow-up"]
    table_page = next(p for p in pages if p.startswith("The indicators"))
    assert f"Cheetham Hill, Follow-up: {entry['n_interviews']} interviews" in table_page
    for fig in entry["indicators"].values():
        row = re.search(re.escape(fig["name"]) + r" (\d+) (\d+)–(\d+) (\d+) ", table_page)
        assert row, fig["name"]
        assert [int(g) for g in row.groups()] == [
            round(fig["score"]),
            round(fig["ci_low"]),
            round(fig["ci_high"]),
            fig["n"],
        ]
    secrets = sensitive_values(demo)
    assert secrets, "the demo should hold sensitive values to look for"
    leaked = [s for s in secrets if s in text]
    assert leaked == []
    people = [
        a["name"] for m in demo.maps.load_many() for a in m["actors"] if a["kind"] == "person"
    ]
    assert not [p for p in people if p in text]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) absent")
def test_pages_render_to_png(tmp_path):
    path = write_pdf_pack(tmp_path / "r.pdf", hand_made(compare=["Zoë's Quarter"]))
    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "4", "-png", str(path), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 4
    assert all(image.stat().st_size > 2000 for image in images)


def test_fonts_ship_with_their_licence():
    from fieldkit import paths

    for name in ("fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"):
        assert paths.resource(name).is_file()
    licence = paths.resource("fonts/LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "Bitstream" in licence and "Permission is hereby granted" in licence


def test_change_and_gap_wording():
    from fieldkit.packs.pdf import _signed
    from fieldkit.packs.text import points

    assert _signed(-0.3) == "► 0"
    assert _signed(0.4) == "► 0"
    assert _signed(-12.4) == "▼ -12"
    assert _signed(20.6) == "▲ +21"
    assert points(1.2) == "1 point"
    assert points(25.0) == "25 points"


def test_isolated_actor_does_not_shrink_the_network_picture():
    from fieldkit.packs.charts import _place

    positions = {"a": (0.0, 0.0), "b": (1.0, 0.0), "c": (0.5, 1.0), "lonely": (40.0, -40.0)}
    ties = [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}]
    placed = _place(positions, ties, width=480, height=400, legend_h=70, margin=26)
    xs = [placed[k][0] for k in "abc"]
    ys = [placed[k][1] for k in "abc"]
    # The tied actors span the picture's height (the far-off isolate no longer sets the scale)
    assert max(ys) - min(ys) > 200
    assert max(xs) - min(xs) > 150
    # and the isolate sits in the strip below them, inside the picture.
    assert 70 < placed["lonely"][1] < min(ys)
    assert 0 < placed["lonely"][0] < 480


def test_logo_named_from_resources_reaches_the_cover(filled_project, tmp_path):
    filled_project.update_settings(logos=["fieldkit.png", str(tmp_path / "missing.png")])
    logos = pdf_input(filled_project, "Łódź", "Baseline").logos
    assert [p.name for p in logos] == ["fieldkit.png"]
    _, reader = pages_text(write_pdf_pack(tmp_path / "logo.pdf", hand_made(logos=logos)))
    xobjects = reader.pages[0]["/Resources"].get("/XObject") or {}
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
