"""The interview state machine on forms built from the model."""

from __future__ import annotations

import datetime as dt

import pytest

from fieldkit.errors import FieldkitError
from fieldkit.forms.interview import Interview, split_key
from fieldkit.forms.model import Choice, ChoiceList, Form, Node


def link(form: Form) -> Form:
    """Set Node.parent everywhere, as the loader does."""

    def visit(node: Node) -> None:
        for child in node.children:
            child.parent = node
            visit(child)

    for top in form.children:
        top.parent = None
        visit(top)
    return form


def choices(name: str, *items: str | tuple[str, dict[str, str], dict[str, str]]) -> ChoiceList:
    out = []
    for item in items:
        if isinstance(item, tuple):
            out.append(Choice(item[0], label=item[1], extra=item[2]))
        else:
            out.append(Choice(item, label={"English (en)": item.title()}))
    return ChoiceList(name, out)


def household_form() -> Form:
    """Consent gate, an age constraint, a select_multiple, a repeat with a sum."""
    en, pl = "English (en)", "Polish (pl)"
    return link(
        Form(
            form_id="household",
            title="Household",
            languages=[en, pl],
            default_language=en,
            children=[
                Node("start", "start"),
                Node("deviceid", "deviceid"),
                Node("consent", "select_one", list_name="yn", required="true()",
                     label={en: "Consent?", pl: "Zgoda?"}),
                Node("age", "integer", relevant="${consent} = 'yes'", required="true()",
                     constraint=". >= 18 and . < 120",
                     constraint_message={en: "Adults only", pl: "Tylko dorośli"},
                     required_message={en: "Age please"}),
                Node("pets", "select_multiple", list_name="pets",
                     relevant="${consent} = 'yes'"),
                Node("n_pets", "calculate", calculation="count-selected(${pets})"),
                Node("dog_name", "text", relevant="selected(${pets}, 'dog')"),
                Node("intro", "note", label={en: "Now the household"}),
                Node("grp", "group", appearance="field-list", relevant="${consent} = 'yes'",
                     children=[Node("town", "text"), Node("street", "text")]),
                Node("member", "repeat", relevant="${consent} = 'yes'", children=[
                    Node("m_name", "text", required="true()"),
                    Node("m_age", "integer"),
                    Node("m_pos", "calculate", calculation="position(..)"),
                    Node("m_adult", "calculate", calculation="if(${m_age} >= 18, 'yes', 'no')"),
                ]),
                Node("total_age", "calculate", calculation="sum(${m_age})"),
                Node("first_name", "calculate",
                     calculation="indexed-repeat(${m_name}, ${member}, 1)"),
                Node("consent_label", "calculate",
                     calculation="jr:choice-name(${consent}, '${consent}')"),
                Node("code", "calculate", calculation="once(concat('R-', ${deviceid}))"),
                Node("colour", "text", default="blue"),
            ],
            choices={
                "yn": ChoiceList("yn", [
                    Choice("yes", label={en: "Yes", pl: "Tak"}),
                    Choice("no", label={en: "No", pl: "Nie"}),
                ]),
                "pets": choices("pets", "dog", "cat", "fish"),
            },
        )
    )  # fmt: skip


NOW = dt.datetime(2025, 3, 4, 10, 0)
PL = "Polish (pl)"


def make(answers=None, **kwargs) -> Interview:
    return Interview(household_form(), answers, meta={"deviceid": "dev1"}, now=NOW, **kwargs)


def test_metadata_defaults_and_once() -> None:
    iv = make()
    assert iv.value("start") == "2025-03-04T10:00:00"
    assert iv.value("deviceid") == "dev1"
    assert iv.value("colour") == "blue"
    assert iv.value("code") == "R-dev1"
    assert iv.repeat_count("member") == 1


def test_relevance_follows_consent() -> None:
    iv = make()
    assert not iv.is_relevant("age")
    assert not iv.is_relevant("member[0]/m_name")  # inherited from the repeat
    changes = iv.set("consent", "yes")
    assert {"age", "pets", "grp", "town", "member", "member[0]/m_name"} <= changes.relevance
    assert iv.is_relevant("age") and iv.is_relevant("street")
    assert not iv.is_relevant("dog_name")
    iv.set("pets", "dog fish")
    assert iv.is_relevant("dog_name")
    assert iv.value("n_pets") == "2"


def test_bad_input_is_a_message_not_a_crash() -> None:
    iv = make()
    iv.set("consent", "yes")
    changes = iv.set("age", "twelve")
    assert changes.errors == {"age": "'twelve' is not a whole number"}
    assert iv.value("age") is None
    assert iv.validate("age") == "'twelve' is not a whole number"
    assert iv.set("consent", "maybe").errors == {"consent": "not a choice of yn: maybe"}
    with pytest.raises(FieldkitError, match="no such question"):
        iv.set("nope", 1)
    with pytest.raises(FieldkitError, match="has no instance 3"):
        iv.set("member[3]/m_name", "x")


def test_constraint_and_required_messages_are_translated() -> None:
    iv = make()
    iv.set("consent", "yes")
    assert iv.validate("age") == "Age please"
    assert iv.set("age", 12).message == "Adults only"
    iv.set_language(PL)
    assert iv.validate("age") == "Tylko dorośli"
    assert iv.set("age", 30).message is None
    assert iv.label("consent") == "Zgoda?"
    with pytest.raises(FieldkitError, match="no language"):
        iv.set_language("Klingon")


def test_language_switch_recomputes_choice_names() -> None:
    iv = make()
    iv.set("consent", "yes")
    assert iv.value("consent_label") == "Yes"
    changes = iv.set_language(PL)
    assert iv.value("consent_label") == "Tak"
    assert changes.values == {"consent_label"}


def test_repeats_sum_position_indexed_repeat() -> None:
    iv = make()
    iv.set("consent", "yes")
    iv.set("member[0]/m_name", "Ann")
    iv.set("member[0]/m_age", 30)
    index, changes = iv.add_repeat("member")
    assert index == 1 and changes.structure
    assert iv.value("member[1]/m_pos") == "2"
    iv.set("member[1]/m_age", 5)
    assert iv.value("total_age") == "35"
    assert iv.value("member[1]/m_adult") == "no"
    assert iv.value("first_name") == "Ann"
    iv.remove_repeat("member", 0)
    assert iv.repeat_count("member") == 1
    assert iv.value("member[0]/m_age") == 5
    assert iv.value("member[0]/m_pos") == "1"
    assert iv.value("total_age") == "5"
    assert iv.value("first_name") == "" or iv.value("first_name") is None


def test_incremental_recalculation_touches_only_dependents() -> None:
    iv = make()
    iv.set("consent", "yes")
    changes = iv.set("member[0]/m_age", 40)
    assert changes.values == {"member[0]/m_age", "member[0]/m_adult", "total_age"}
    assert changes.relevance == set()
    computed: list[str] = []
    original = iv._compute

    def spy(name, scope):
        computed.append(name)
        return original(name, scope)

    iv._compute = spy  # type: ignore[method-assign]
    iv.set("town", "Leeds")
    assert computed == []  # nothing reads ${town}
    iv.set("pets", "cat")
    assert sorted(computed) == ["dog_name", "n_pets"]


def test_screens_and_navigation_skip_irrelevant() -> None:
    iv = make()
    keys = [s.key for s in iv.screens()]
    assert keys[:5] == ["consent", "age", "pets", "dog_name", "intro"]
    assert "grp" in keys and "town" not in keys  # field-list: one screen
    assert "n_pets" not in keys and "start" not in keys
    assert [s.key for s in iv.relevant_screens()] == ["consent", "intro", "colour"]
    assert iv.next().key == "consent"
    assert iv.next().key == "intro"
    iv.set("consent", "yes")
    assert iv.previous().key == "pets"
    assert iv.next().key == "intro"
    assert iv.next().keys == ("town", "street")
    assert iv.next().key == "member[0]/m_name"
    iv.add_repeat("member")
    assert "member[1]/m_age" in [s.key for s in iv.screens()]


def test_finalize_lists_every_problem_then_excludes_irrelevant() -> None:
    iv = make()
    iv.set("consent", "yes")
    iv.set("age", 10)
    with pytest.raises(FieldkitError) as caught:
        iv.finalize()
    assert {p.name: p.message for p in caught.value.problems} == {
        "age": "Adults only",
        "member[0]/m_name": "Sorry, this response is required!",
    }
    iv.set("age", 40)
    iv.set("member[0]/m_name", "Bo")
    iv.set("pets", "dog")
    iv.set("dog_name", "Rex")
    iv.set("pets", "cat")  # dog_name becomes irrelevant but is kept while editing
    assert iv.value("dog_name") == "Rex"
    values = iv.finalize()
    assert "dog_name" not in values
    assert values["age"] == 40 and values["member[0]/m_name"] == "Bo"
    assert iv.status == "finalized"


def test_refused_consent_finalizes_with_only_the_gate() -> None:
    iv = make()
    iv.set("consent", "no")
    values = iv.finalize()
    assert "age" not in values and "member[0]/m_pos" not in values
    assert values["consent"] == "no"


def test_draft_resumes_exactly() -> None:
    iv = make()
    iv.set("consent", "yes")
    iv.set("pets", ["cat", "dog"])
    iv.add_repeat("member")
    iv.set("member[1]/m_name", "Cy")
    iv.remove_repeat("member", 0)
    iv.add_repeat("member")
    flat = iv.answers_flat()
    again = Interview(household_form(), flat, meta={"deviceid": "other"}, now=NOW)
    assert again.answers_flat() == flat
    assert again.value("code") == "R-dev1"  # once() keeps its first value
    assert again.repeat_count("member") == 2
    with pytest.raises(FieldkitError, match="no such question"):
        Interview(household_form(), {"ghost": 1})
    with pytest.raises(FieldkitError, match="not a whole number"):
        Interview(household_form(), {"age": "x"})


def test_runtime_error_is_a_message_on_the_question() -> None:
    form = link(
        Form(
            form_id="f",
            title="f",
            children=[
                Node("a", "text"),
                Node("b", "text", relevant="regex(${a}, '(')"),
                Node("c", "calculate", calculation="pulldata('x', 'y', 'z', ${a})"),
                Node("d", "integer", constraint="date(${a}) > today()"),
            ],
        )
    )
    iv = Interview(form, now=NOW)
    assert iv.is_relevant("b")
    assert "bad pattern" in iv.validate("b")
    assert "unsupported" in iv.validate("c")
    iv.set("a", "soon")
    assert "is not a date" in iv.set("d", 3).message


def test_repeat_count_and_choice_filter() -> None:
    form = link(
        Form(
            form_id="f",
            title="f",
            children=[
                Node("n", "integer"),
                Node("kids", "repeat", repeat_count="${n}", children=[Node("k", "text")]),
                Node("county", "select_one", list_name="counties"),
                Node("city", "select_one", list_name="cities", choice_filter="county=${county}"),
            ],
            choices={
                "counties": choices("counties", "a", "b"),
                "cities": choices(
                    "cities",
                    ("x", {}, {"county": "a"}),
                    ("y", {}, {"county": "b"}),
                    ("z", {}, {"county": "a"}),
                ),
            },
        )
    )
    iv = Interview(form, now=NOW)
    assert iv.repeat_count("kids") == 0
    changes = iv.set("n", 3)
    assert changes.structure and iv.repeat_count("kids") == 3
    iv.set("kids[2]/k", "third")
    iv.set("n", 2)
    assert iv.repeat_count("kids") == 2
    assert "kids[2]/k" not in iv.answers_flat()
    with pytest.raises(FieldkitError, match="repeat_count"):
        iv.add_repeat("kids")
    assert [c.name for c in iv.choices_for("city")] == []
    iv.set("county", "a")
    assert [c.name for c in iv.choices_for("city")] == ["x", "z"]


def test_nested_repeat_keys() -> None:
    form = link(
        Form(
            form_id="f",
            title="f",
            children=[
                Node("hh", "repeat", children=[
                    Node("p", "repeat", children=[Node("age", "integer")]),
                    Node("hh_total", "calculate", calculation="sum(${age})"),
                ]),
                Node("all", "calculate", calculation="sum(${age})"),
            ],
        )
    )  # fmt: skip
    iv = Interview(form, now=NOW)
    iv.add_repeat("hh[0]/p")
    iv.add_repeat("hh")
    iv.set("hh[0]/p[0]/age", 1)
    iv.set("hh[0]/p[1]/age", 2)
    iv.set("hh[1]/p[0]/age", 10)
    assert iv.value("hh[0]/hh_total") == "3"
    assert iv.value("hh[1]/hh_total") == "10"
    assert iv.value("all") == "13"
    assert split_key("hh[1]/p[0]/age") == ("age", (("hh", 1), ("p", 0)))
    assert Interview(form, iv.answers_flat(), now=NOW).answers_flat() == iv.answers_flat()


def test_trigger_recalculates_only_when_its_trigger_changes() -> None:
    form = link(
        Form(
            form_id="f",
            title="f",
            children=[
                Node("weight", "decimal"),
                Node("factor", "decimal"),
                Node("stamp", "text", trigger="${weight}", calculation="concat('w=', ${weight})"),
                Node("note_back", "text", trigger="${weight}"),
                Node("scaled", "decimal", calculation="${weight} * ${factor}"),
            ],
        )
    )
    iv = Interview(form, now=NOW)
    assert iv.value("stamp") is None  # not fired at start
    iv.set("note_back", "keep?")
    changes = iv.set("weight", 2)
    assert {"stamp", "note_back"} <= changes.values
    assert iv.value("stamp") == "w=2" and iv.value("note_back") is None
    iv.set("stamp", "edited")  # a triggered field stays editable
    iv.set("factor", 3)  # not its trigger: the edit survives
    assert iv.value("stamp") == "edited" and iv.value("scaled") == 6.0
    assert iv.set("scaled", 1).errors == {
        "scaled": "this value is calculated by the form, not answered"
    }
    iv.set("weight", 5)
    assert iv.value("stamp") == "w=5"


def test_metadata_from_clock_and_meta() -> None:
    form = link(
        Form(
            form_id="f",
            title="f",
            children=[
                Node("start", "start"),
                Node("end", "end"),
                Node("today", "today"),
                Node("user", "username"),
                Node("q", "text", hint={"default": "a hint"}),
                Node("rep", "repeat", children=[Node("inner", "repeat", children=[])]),
            ],
        )
    )
    iv = Interview(form, meta={"username": "amina"}, now=NOW)
    assert iv.value("today") == "2025-03-04"
    assert iv.value("user") == "amina"
    assert iv.value("end") is None
    assert iv.hint("q") == "a hint"
    assert iv.repeat_keys() == ["rep", "rep[0]/inner"]
    iv.remove_repeat("rep", 0)
    assert iv.repeat_keys() == ["rep"]
    assert iv.finalize()["end"] == "2025-03-04T10:00:00"
