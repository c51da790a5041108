"""Ties a file gives twice are folded into one on import, and each fold is reported."""

from fieldkit.mapping.duplicates import fold_duplicate_ties

NAMES = {"a": "Council", "b": "Residents", "c": "School"}


def tie(source, target, direction="one-way", strength=2, type="support", note=""):
    return {
        "id": f"{source}{target}{direction}{strength}{type}",
        "source": source,
        "target": target,
        "type": type,
        "direction": direction,
        "strength": strength,
        "note": note,
    }


def test_one_way_ties_in_each_direction_are_not_duplicates():
    ties = [tie("a", "b"), tie("b", "a"), tie("a", "b", type="money")]
    kept, report = fold_duplicate_ties(ties, NAMES)
    assert kept == ties and report == []


def test_a_mutual_tie_absorbs_the_one_way_ties_of_its_type_keeping_the_strongest():
    ties = [
        tie("a", "b", strength=3, note="pays rent"),
        tie("c", "a"),
        tie("b", "a", "mutual", 1, note="weekly"),
        tie("b", "a", strength=2, note="pays rent"),
        tie("a", "b", type="money"),
    ]
    kept, report = fold_duplicate_ties(ties, NAMES)
    assert [t["id"] for t in kept] == [
        "ca" + "one-way2support",
        "bamutual1support",
        "abone-way2money",
    ]
    folded = kept[1]
    assert folded["direction"] == "mutual" and folded["strength"] == 3
    assert folded["note"] == "pays rent; weekly"  # in file order, each once
    assert len(report) == 1
    assert "given 3 times (1 mutual and 2 one-way)" in report[0]
    assert "'Residents' and 'Council'" in report[0] and "strength 3" in report[0]


def test_the_same_one_way_tie_twice_becomes_one():
    kept, report = fold_duplicate_ties(
        [tie("a", "b", strength=1), tie("a", "b", strength=2)], NAMES
    )
    assert len(kept) == 1 and kept[0]["strength"] == 2 and kept[0]["direction"] == "one-way"
    assert "given 2 times (2 one-way)" in report[0]


def test_ties_with_an_unknown_direction_are_left_for_the_map_to_refuse():
    ties = [tie("a", "b", "sideways"), tie("a", "b", "mutual")]
    kept, report = fold_duplicate_ties(ties, NAMES)
    assert kept == ties and report == []
