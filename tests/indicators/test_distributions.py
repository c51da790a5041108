from fieldkit.indicators import item_distributions

from .conftest import answers, record


def test_counts_each_answer_per_item(framework):
    records = [
        record("a", answers("net", "5", "dk", "1")),
        record("b", answers("net", "5", "", 3)),
        record("c", answers("net", "9", "2", 3.0)),
        record("d", answers("net", "1", "1", "1"), site="Broughton"),
    ]
    result = item_distributions(records, framework, "net", site="Cheetham Hill")
    assert list(result) == ["net_1", "net_2", "net_3"]
    assert result["net_1"]["5"] == 2 and result["net_1"]["other"] == 1
    assert result["net_2"]["dk"] == 1 and result["net_2"]["unanswered"] == 1
    assert result["net_2"]["2"] == 1
    assert result["net_3"] == {
        "1": 1,
        "2": 0,
        "3": 2,
        "4": 0,
        "5": 0,
        "dk": 0,
        "unanswered": 0,
        "other": 0,
    }
    assert item_distributions(records, framework, "net")["net_1"]["1"] == 1
