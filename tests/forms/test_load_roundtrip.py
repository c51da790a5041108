"""A form written by `forms template` (write_xlsform) loads back equal to the original."""

from __future__ import annotations

from importlib import resources

import pytest

from fieldkit import paths
from fieldkit.forms.load import load_form
from fieldkit.forms.model import Form
from fieldkit.forms.shipped import shipped_form_names
from fieldkit.forms.write import write_xlsform


def same_form(a: Form, b: Form) -> None:
    """Equal in everything but where it was read from (source, hash, pyxform's warnings)."""
    for attr in ("form_id", "title", "version", "default_language", "languages", "settings"):
        assert getattr(a, attr) == getattr(b, attr), attr
    assert a.choices == b.choices
    assert [n.path for n in a.walk()] == [n.path for n in b.walk()]
    for x, y in zip(a.walk(), b.walk(), strict=True):
        assert x == y, x.name
        assert (x.parent.name if x.parent else None) == (y.parent.name if y.parent else None)


@pytest.mark.parametrize("name", shipped_form_names())
def test_shipped_form_round_trips_through_xlsx(tmp_path, name):
    with resources.as_file(paths.instrument(name)) as path:
        original = load_form(path)
    out = write_xlsform(original, tmp_path / "template.xlsx")
    same_form(original, load_form(out))


def test_round_trip_keeps_every_field(tmp_path, write_form):
    (tmp_path / "fruit.csv").write_text("name,label\na,Apple\n")
    path = write_form(
        [
            "type",
            "name",
            "label::English (en)",
            "label::Polish (pl)",
            "hint::Polish (pl)",
            "required",
            "required_message::English (en)",
            "relevant",
            "constraint",
            "constraint_message::Polish (pl)",
            "calculation",
            "default",
            "choice_filter",
            "read_only",
            "repeat_count",
            "appearance",
            "parameters",
            "trigger",
            "image::English (en)",
            "sensitive",
            "indicator",
            "bind::odk:custom",
        ],
        [
            [
                "select_one yn",
                "ok",
                "OK?",
                "OK?",
                "Tak/Nie",
                "yes",
                "Needed",
                "",
                "",
                "",
                "",
                "yes",
                "",
                "",
                "",
                "minimal",
                "",
                "",
                "ok.png",
                "",
                "I2",
                "x",
            ],
            [
                "begin repeat",
                "r",
                "R",
                "R",
                "",
                "",
                "",
                "${ok} = 'yes'",
                "",
                "",
                "",
                "",
                "",
                "",
                "3",
                "field-list",
            ],
            ["select_one yn", "f", "F", "F", "", "", "", "", "", "", "", "", "flag = 'a'"],
            [
                "integer",
                "n",
                "N",
                "N",
                "",
                "${ok} = 'yes'",
                "",
                "",
                ". > 1",
                "Za mało",
                "",
                "",
                "",
                "${ok} = 'no'",
                "",
                "",
                "",
                "",
                "",
                "yes",
            ],
            [
                "range",
                "rg",
                "Rg",
                "Rg",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "start=0 end=10 step=2",
            ],
            ["end repeat"],
            ["select_one_from_file fruit.csv", "fr", "Fruit", "Owoc"],
            [
                "calculate",
                "c",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "${ok}",
                "",
                "",
                "",
                "",
                "",
                "",
                "${ok}",
            ],
            ["audit", "audit"],
        ],
        [["yn", "yes", "Yes", "Tak", "a"], ["yn", "no", "No", "Nie", "b"]],
        ["list_name", "name", "label::English (en)", "label::Polish (pl)", "flag"],
        {
            "form_id": "rt",
            "form_title": "Round trip",
            "version": "5",
            "default_language": "English (en)",
        },
    )
    original = load_form(path)
    out = write_xlsform(original, tmp_path / "rt.xlsx")
    again = load_form(out)
    same_form(original, again)
    n = again.node("n")
    assert (n.required, n.read_only, n.constraint_message) == (
        "${ok} = 'yes'",
        "${ok} = 'no'",
        {"Polish (pl)": "Za mało"},
    )
    assert again.node("ok").extra == {
        "image::English (en)": "ok.png",
        "indicator": "I2",
        "bind::odk:custom": "x",
    }
    assert again.node("r").repeat_count == "3"
    assert again.node("c").trigger == "${ok}"
    assert again.choices["fruit.csv"].get("a").label == {"default": "Apple"}


@pytest.mark.parametrize("kind", ["phone number", "percentage", "number of days in last year"])
def test_types_with_implied_constraint_are_written_back_as_authored(tmp_path, write_form, kind):
    """`phone number` implies a hint and a constraint: writing them out as a plain `text`
    with an untranslated hint would add a phantom "default" language to a translated form."""
    path = write_form(
        ["type", "name", "label::English (en)", "label::Urdu (ur)"],
        [[kind, "p", "Phone", "فون"]],
        settings={"form_id": "phones", "form_title": "Phones"},
    )
    original = load_form(path)
    out = write_xlsform(original, tmp_path / "template.xlsx")
    again = load_form(out)
    same_form(original, again)
    assert again.languages == ["English (en)", "Urdu (ur)"]
