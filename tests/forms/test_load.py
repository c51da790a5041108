"""load_form: what an XLSForm means, read through pyxform into fieldkit's Form."""

from __future__ import annotations

import hashlib

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.forms.load import load_form, read_form
from fieldkit.forms.model import DEFAULT_LANG

HEADER = [
    "type",
    "name",
    "label::English (en)",
    "label::Urdu (ur)",
    "hint::English (en)",
    "required",
    "required_message::English (en)",
    "relevant",
    "constraint",
    "constraint_message::English (en)",
    "constraint_message::Urdu (ur)",
    "calculation",
    "repeat_count",
    "appearance",
    "parameters",
    "sensitive",
    "indicator",
]
YN = [["yn", "yes", "Yes", "ہاں", "a"], ["yn", "no", "No", "نہیں", "b"]]
YN_HEADER = ["list_name", "name", "label::English (en)", "label::Urdu (ur)", "filter"]
SETTINGS = {
    "form_title": "Test form",
    "form_id": "test_form",
    "version": "7",
    "default_language": "English (en)",
}


def rich_form(write_form):
    rows = [
        ["start", "start"],
        ["select_one yn", "consent", "Consent?", "رضامندی", "Say yes or no", "yes", "Needed"],
        [
            "begin group",
            "g",
            "Group",
            "",
            "",
            "",
            "",
            "${consent} = 'yes'",
            "",
            "",
            "",
            "",
            "",
            "field-list",
        ],
        [
            "integer",
            "age",
            "Age",
            "عمر",
            "",
            "yes",
            "",
            "",
            ". >= 0 and . < 120",
            "Too old",
            "عمر غلط",
            "",
            "",
            "",
            "",
            "yes",
            "I1",
        ],
        ["begin repeat", "kids", "Kids", "", "", "", "", "", "", "", "", "", "2"],
        ["text", "kid_name", "Name", "", "", "", "", "", "", "", "", "", "", "", "", "yes"],
        [
            "range",
            "score",
            "Score",
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
            "start=1 end=5 step=1",
        ],
        ["end repeat"],
        ["end group"],
        ["calculate", "double", "", "", "", "", "", "", "", "", "", "${age} * 2"],
    ]
    return write_form(HEADER, rows, YN, YN_HEADER, SETTINGS)


def test_settings_languages_and_hash(write_form):
    path = rich_form(write_form)
    form = load_form(path)
    assert (form.form_id, form.title, form.version) == ("test_form", "Test form", "7")
    assert form.default_language == "English (en)"
    assert form.languages == ["English (en)", "Urdu (ur)"]
    assert form.settings["form_id"] == "test_form"
    assert form.source == str(path)
    assert form.source_hash == hashlib.sha256(path.read_bytes()).hexdigest()


def test_questions_groups_repeats_and_parents(write_form):
    form = load_form(rich_form(write_form))
    assert [n.name for n in form.walk()] == [
        "start",
        "consent",
        "g",
        "age",
        "kids",
        "kid_name",
        "score",
        "double",
    ]
    group = form.node("g")
    assert group.type == "group" and group.field_list
    assert group.relevant == "${consent} = 'yes'"
    kids = form.node("kids")
    assert kids.type == "repeat" and kids.repeat_count == "2"
    assert kids.parent is group and form.node("kid_name").parent is kids
    assert form.node("kid_name").repeat is kids
    assert form.node("age").path == ("g", "age")
    assert form.node("consent").parent is None
    assert form.node("score").parameters == {"start": "1", "end": "5", "step": "1"}
    assert form.node("double").calculation == "${age} * 2"
    assert form.node("start").type == "start"


def test_rows_are_survey_sheet_rows(write_form):
    form = load_form(rich_form(write_form))
    rows = {n.name: n.row for n in form.walk()}
    # header is row 1; "end repeat"/"end group" take rows 9 and 10
    assert rows == {
        "start": 2,
        "consent": 3,
        "g": 4,
        "age": 5,
        "kids": 6,
        "kid_name": 7,
        "score": 8,
        "double": 11,
    }


def test_translations_and_required(write_form):
    form = load_form(rich_form(write_form))
    consent = form.node("consent")
    assert consent.label == {"English (en)": "Consent?", "Urdu (ur)": "رضامندی"}
    assert consent.hint == {"English (en)": "Say yes or no"}
    assert consent.required == "true()"
    assert consent.required_message == {"English (en)": "Needed"}
    assert consent.text("Urdu (ur)") == "رضامندی"
    age = form.node("age")
    assert age.constraint == ". >= 0 and . < 120"
    assert age.constraint_message == {"English (en)": "Too old", "Urdu (ur)": "عمر غلط"}
    assert form.node("kid_name").required is None


def test_extra_columns_are_kept(write_form):
    form = load_form(rich_form(write_form))
    age = form.node("age")
    assert age.extra == {"sensitive": "yes", "indicator": "I1"}
    assert age.sensitive
    assert form.node("kid_name").sensitive
    assert not form.node("consent").sensitive


def test_choices_with_extra_columns(write_form):
    form = load_form(rich_form(write_form))
    yn = form.choices["yn"]
    assert [c.name for c in yn.choices] == ["yes", "no"]
    assert yn.get("no").label == {"English (en)": "No", "Urdu (ur)": "نہیں"}
    assert yn.get("yes").extra == {"filter": "a"}
    assert form.node("consent").list_name == "yn"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yes", "true()"),
        ("TRUE", "true()"),
        ("true()", "true()"),
        ("no", None),
        ("${a} > 1", "${a} > 1"),
    ],
)
def test_required_normalised(write_form, value, expected):
    path = write_form(
        ["type", "name", "label", "required"], [["integer", "a", "A"], ["text", "b", "B", value]]
    )
    assert load_form(path).node("b").required == expected


def test_form_without_languages_uses_default_key(write_form):
    form = load_form(write_form(["type", "name", "label", "hint"], [["text", "t", "T", "H"]]))
    assert form.node("t").label == {DEFAULT_LANG: "T"}
    assert form.languages == [DEFAULT_LANG]
    assert form.default_language is None
    assert form.form_id == "form"  # pyxform's fallback: the file name


TYPE_ROWS = [
    ("text", "text"),
    ("integer", "integer"),
    ("int", "integer"),
    ("decimal", "decimal"),
    ("note", "note"),
    ("acknowledge", "acknowledge"),
    ("trigger", "acknowledge"),
    ("date", "date"),
    ("time", "time"),
    ("dateTime", "dateTime"),
    ("datetime", "dateTime"),
    ("geopoint", "geopoint"),
    ("gps", "geopoint"),
    ("geotrace", "geotrace"),
    ("geoshape", "geoshape"),
    ("image", "image"),
    ("photo", "image"),
    ("audio", "audio"),
    ("video", "video"),
    ("file", "file"),
    ("barcode", "barcode"),
    ("hidden", "hidden"),
    ("start", "start"),
    ("end", "end"),
    ("today", "today"),
    ("deviceid", "deviceid"),
    ("imei", "deviceid"),
    ("username", "username"),
    ("phonenumber", "phonenumber"),
    ("email", "email"),
    ("start-geopoint", "start-geopoint"),
    ("background-audio", "background-audio"),
    ("select_one yn", "select_one"),
    ("select one yn", "select_one"),
    ("select_multiple yn", "select_multiple"),
    ("select all that apply yn", "select_multiple"),
    ("rank yn", "rank"),
    ("select_one_from_file things.csv", "select_one_from_file"),
    ("select_multiple_from_file things.csv", "select_multiple_from_file"),
]


def test_every_question_type_has_a_meaning(write_form, tmp_path):
    (tmp_path / "things.csv").write_text("name,label,colour\na,Apple,red\nb,Banana,yellow\n")
    rows = [[t, f"q{i}", f"Q{i}"] for i, (t, _) in enumerate(TYPE_ROWS)]
    rows.append(["calculate", "c", "", "1 + 1"])
    rows.append(["audit", "audit"])
    form = load_form(
        write_form(["type", "name", "label", "calculation"], rows, [["yn", "yes", "Yes"]])
    )
    by_name = {n.name: n for n in form.walk()}
    for i, (_, expected) in enumerate(TYPE_ROWS):
        assert by_name[f"q{i}"].type == expected, TYPE_ROWS[i]
    assert by_name["c"].type == "calculate"
    assert by_name["audit"].type == "audit" and by_name["audit"].row == len(rows) + 1
    things = form.choices["things.csv"]
    assert [c.name for c in things.choices] == ["a", "b"]
    assert things.get("a").label == {DEFAULT_LANG: "Apple"}
    assert things.get("b").extra == {"colour": "yellow"}
    assert "instanceID" not in by_name and "meta" not in by_name


def test_convenience_types_keep_their_builtin_constraint(write_form):
    form = load_form(write_form(["type", "name", "label"], [["percentage", "p", "P"]]))
    assert form.node("p").type == "integer"
    assert form.node("p").constraint == "0 <= . and . <= 100"


def test_missing_choices_file_is_a_warning(write_form):
    form = load_form(
        write_form(["type", "name", "label"], [["select_one_from_file gone.csv", "q", "Q"]])
    )
    assert any("gone.csv" in w for w in form.warnings)


def test_repeat_count_reference_kept(write_form):
    form = load_form(
        write_form(
            ["type", "name", "label", "repeat_count"],
            [
                ["integer", "n", "N"],
                ["begin repeat", "r", "R", "${n}"],
                ["text", "t", "T"],
                ["end repeat"],
            ],
        )
    )
    assert form.node("r").repeat_count == "${n}"
    assert [n.name for n in form.walk()] == ["n", "r", "t"]  # no generated r_count


def test_or_other_adds_pyxform_question_and_choice(write_form):
    form = load_form(
        write_form(
            ["type", "name", "label"],
            [["select_one yn or_other", "pick", "Pick"], ["text", "after", "After"]],
            [["yn", "yes", "Yes"]],
        )
    )
    other = form.node("pick_other")
    assert other.type == "text" and other.relevant == "selected(../pick, 'other')"
    assert other.row == form.node("pick").row == 2
    assert form.choices["yn"].get("other") is not None
    assert [n.name for n in form.walk()] == ["pick", "pick_other", "after"]


def test_loop_expands_to_one_group_per_choice(corpus_dir):
    form = load_form(corpus_dir / "loop.xlsx")
    loop = form.node("loop_toilet_types")
    assert loop.type == "group"
    names = [g.name for g in loop.children]
    assert names[:3] == ["pit_latrine_with_slab", "open_pit_latrine", "bucket_system"]
    first = loop.children[0].children[0]
    assert first.name == "number" and first.parent is loop.children[0]
    assert first.text("english") == "How many Pit latrine with slab are on the premises?"


@pytest.mark.parametrize(
    ("type_cell", "feature"),
    [
        ("osm tags", "osm"),
        ("csv-external", "csv-external"),
        ("xml-external", "xml-external"),
        ("background-geopoint", "background-geopoint"),
    ],
)
def test_unsupported_features_are_refused_with_row(write_form, type_cell, feature):
    rows = [["text", "a", "A"], [type_cell, "x", "X"]]
    if feature == "background-geopoint":
        rows = [["text", "a", "A"], [type_cell, "x", "", "${a}"]]
    path = write_form(["type", "name", "label", "trigger"], rows, [["tags", "t", "T"]])
    with pytest.raises(FieldkitError) as err:
        load_form(path)
    problem = err.value.problems[0]
    assert problem.message.startswith(f"unsupported: {feature}")
    assert (problem.sheet, problem.row) == ("survey", 3)


def test_all_three_file_formats_load(corpus_dir):
    assert load_form(corpus_dir / "calculate.xls").node("calculate_test").calculation == "2+2"
    assert load_form(corpus_dir / "text_and_integer.xlsx").questions()


def test_pyxform_warnings_are_kept(corpus_dir):
    form = read_form(corpus_dir / "xlsform_spec_test.xlsx")
    assert any("max-pixels" in w for w in form.warnings)


def test_not_a_form_file_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(FieldkitError, match="not an XLSForm file"):
        load_form(path)


def test_garbage_xlsx_is_refused_cleanly(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FieldkitError) as err:
        load_form(path)
    assert err.value.problems[0].file == str(path)


def test_choices_from_a_non_csv_file_are_unsupported(write_form):
    path = write_form(
        ["type", "name", "label"], [["select_one_from_file places.geojson", "p", "P"]]
    )
    with pytest.raises(FieldkitError) as err:
        load_form(path)
    [problem] = err.value.problems
    assert problem.message.startswith("unsupported: select_one_from_file from 'places.geojson'")
    assert problem.row == 2


def test_entities_sheet_is_unsupported(tmp_path, markdown_sheet):
    path = tmp_path / "ent.md"
    path.write_text(
        markdown_sheet("survey", ["type", "name", "label"], [["text", "a", "A"]])
        + markdown_sheet("entities", ["list_name", "label"], [["people", "${a}"]])
    )
    with pytest.raises(FieldkitError) as err:
        load_form(path)
    assert [(p.sheet, p.message.split(" (")[0]) for p in err.value.problems] == [
        ("entities", "unsupported: entities sheet")
    ]
