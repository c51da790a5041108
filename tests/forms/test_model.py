"""Node's constructor stores only what it is given; every node still owns its own containers."""

from __future__ import annotations

import copy
import pickle

import pytest

from fieldkit.forms.model import Node


def test_fields_left_at_their_defaults_read_as_the_dataclass_says():
    node = Node("q", "text")
    assert (node.label, node.hint, node.required_message, node.constraint_message) == ({},) * 4
    assert (node.parameters, node.extra, node.children) == ({}, {}, [])
    assert (node.relevant, node.list_name, node.row, node.parent, node.appearance) == (
        None,
        None,
        None,
        None,
        "",
    )


def test_every_node_fills_its_own_dicts_and_lists():
    a, b = Node("a", "text"), Node("b", "text")
    a.hint["en"] = "A hint"
    a.extra["sensitive"] = "yes"
    a.parameters["start"] = "1"
    a.children.append(Node("c", "note"))
    assert (b.hint, b.extra, b.parameters, b.children) == ({}, {}, {}, [])
    assert a.hint == {"en": "A hint"} and a.sensitive and not b.sensitive


def test_keywords_set_any_field_and_a_wrong_one_is_refused():
    node = Node("q", "integer", {"default": "Q"}, row=4, relevant="${a} > 1", extra={"x": "1"})
    assert (node.row, node.relevant, node.extra, node.label) == (
        4,
        "${a} > 1",
        {"x": "1"},
        {"default": "Q"},
    )
    with pytest.raises(TypeError, match="relevnt"):
        Node("q", "text", relevnt="x")
    with pytest.raises(AttributeError):
        _ = Node("q", "text").no_such_field


def test_equality_copies_and_pickles_see_every_field():
    node = Node("q", "text", row=2, hint={"default": "h"})
    assert node == Node("q", "text", row=2, hint={"default": "h"})
    assert node != Node("q", "text", row=2)
    twin = copy.deepcopy(node)
    twin.extra["k"] = "v"
    assert node.extra == {} and twin.extra == {"k": "v"}
    assert pickle.loads(pickle.dumps(node)) == node
