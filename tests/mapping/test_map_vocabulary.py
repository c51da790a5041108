import pytest

from fieldkit import vocab
from fieldkit.errors import FieldkitError
from fieldkit.forms.model import Choice, ChoiceList, Form
from fieldkit.mapping.model import Actor, Map, Tie
from fieldkit.mapping.vocabulary import MapVocabulary


def relationship_form(colour_column="colour", colour="#112233") -> Form:
    return Form(
        form_id="relationship_map",
        title="Relationship map",
        source="relationship_map.md",
        choices={
            "link_type": ChoiceList(
                "link_type",
                [
                    Choice("information", {"English (en)": "Information"}),
                    Choice("care", {"English (en)": "Care"}, extra={colour_column: colour}),
                ],
            ),
            "goal": ChoiceList(
                "goal",
                [Choice("jobs", {"English (en)": "More local jobs"}), Choice("safety", {})],
            ),
        },
    )


def test_defaults_come_from_fieldkit_vocab():
    default = MapVocabulary.default()
    assert default.link_type_names() == vocab.LINK_TYPES
    assert default.colour("money") == vocab.link_colour("money")
    assert default.goals == ()
    assert MapVocabulary.from_form(None) == default
    assert MapVocabulary.from_form(Form("other", "Other form")) == default


@pytest.mark.parametrize("column", ["colour", "color"])
def test_the_form_choice_lists_set_link_types_colours_and_goals(column):
    vocabulary = MapVocabulary.from_form(relationship_form(column), lang="English (en)")
    assert vocabulary.link_type_names() == ("information", "care")
    assert vocabulary.colour("care") == "#112233"
    assert vocabulary.colour("information") == vocab.link_colour("information")
    assert [(g.name, g.label) for g in vocabulary.goals] == [
        ("jobs", "More local jobs"),
        ("safety", "safety"),
    ]
    the_map = Map(vocabulary=vocabulary)
    a = the_map.add_actor(Actor("A", sector="public", goals=["jobs"]))
    b = the_map.add_actor(Actor("B", sector="social"))
    the_map.add_tie(Tie(a.id, b.id, "care"))
    with pytest.raises(FieldkitError, match="unknown link type 'money'"):
        the_map.add_tie(Tie(a.id, b.id, "money"))
    assert Map.from_dict(the_map.to_dict()) == the_map  # the vocabulary travels with the map


def test_a_bad_colour_names_the_form_sheet_and_choice():
    with pytest.raises(FieldkitError) as err:
        MapVocabulary.from_form(relationship_form(colour="reddish"))
    (problem,) = err.value.problems
    assert (problem.file, problem.sheet, problem.column, problem.name) == (
        "relationship_map.md",
        "choices",
        "colour",
        "care",
    )


def test_a_malformed_saved_vocabulary_is_refused():
    with pytest.raises(FieldkitError, match="vocabulary is malformed"):
        MapVocabulary.from_dict({"link_types": [{"label": "no name"}]})
    with pytest.raises(FieldkitError, match="no link types"):
        MapVocabulary.from_dict({"link_types": []})


def test_the_shipped_relationship_map_form_gives_the_default_link_types_and_its_goals():
    from fieldkit.forms.load import load_form
    from fieldkit.paths import instrument

    form = load_form(str(instrument("relationship_map.md")))
    vocabulary = MapVocabulary.from_form(form)
    assert vocabulary.link_type_names() == vocab.LINK_TYPES
    assert [t.label for t in vocabulary.link_types] == [
        vocab.LINK_TYPE_LABELS[name] for name in vocab.LINK_TYPES
    ]
    assert [t.colour for t in vocabulary.link_types] == [
        vocab.link_colour(name) for name in vocab.LINK_TYPES
    ]
    assert "economy" in vocabulary.goal_names()
    assert dict((g.name, g.label) for g in vocabulary.goals)["voice"] == "Local people having a say"
    urdu = MapVocabulary.from_form(form, lang="Urdu (ur)")
    assert urdu.link_types[0].label == "معلومات"
