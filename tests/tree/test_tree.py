"""`kerasish.tree` against Keras's tree semantics on the same structures.

The reference is Keras's optree implementation (what `keras.tree` runs on its JAX/TensorFlow
backends and documents): its torch backend's implementation keeps nested dicts in insertion
order, against its own docs.
"""

import collections
import importlib

import numpy as np
import pytest

from kerasish import tree

Point = collections.namedtuple("Point", "y x")

STRUCTURES = [
    1, None, "text", np.zeros(2), [], (), {},
    [1, 2, (3, None)],
    {"b": 1, "a": [2, (3, None)], "c": {"z": 4, "y": 5}},
    collections.OrderedDict([("b", 1), ("a", 2)]),
    Point(y=[1, 2], x={"k": 3}),
    collections.deque([1, [2, 3]]),
    [(1, 2), [3], {"a": 4}],
]


@pytest.fixture
def kt(keras):
    return importlib.import_module("keras.src.tree.optree_impl")


def _same(a, b):
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b)
    return type(a) is type(b) and repr(a) == repr(b)


@pytest.mark.parametrize("s", STRUCTURES, ids=[repr(s)[:30] for s in STRUCTURES])
def test_flatten_pack_and_predicates_match_keras(kt, s):
    ours, ref = tree.flatten(s), kt.flatten(s)
    assert len(ours) == len(ref) and all(_same(a, b) for a, b in zip(ours, ref))
    assert tree.is_nested(s) == kt.is_nested(s)
    assert repr(tree.flatten_with_path(s)) == repr(kt.flatten_with_path(s))
    flat = list(range(len(ref)))
    assert _same(tree.pack_sequence_as(s, flat), kt.pack_sequence_as(s, flat))
    assert _same(tree.lists_to_tuples(s), kt.lists_to_tuples(s))
    if not isinstance(s, (str, np.ndarray)):
        f = lambda v: None if v is None else (v, "leaf")  # noqa: E731
        assert _same(tree.map_structure(f, s), kt.map_structure(f, s))
        g = lambda v: "seen"  # noqa: E731
        assert _same(tree.map_structure(g, s, none_is_leaf=False),
                     kt.map_structure(g, s, none_is_leaf=False))


def test_map_structure_over_several_structures(kt):
    a = {"x": [1, 2], "y": (3,)}
    b = {"y": (30,), "x": [10, 20]}
    assert tree.map_structure(lambda u, v: u + v, a, b) == kt.map_structure(
        lambda u, v: u + v, a, b)


@pytest.mark.parametrize("a,b", [
    ([1, 2], (1, 2)), ([1, [2]], [1, 2]), ({"a": 1}, {"b": 1}), (Point(1, 2), (1, 2)),
    ([1, 2], [1, 2, 3]),
])
def test_assert_same_structure_refuses_like_keras(kt, a, b):
    with pytest.raises(ValueError):
        kt.assert_same_structure(a, b)
    with pytest.raises(ValueError):
        tree.assert_same_structure(a, b)


def test_assert_same_structure_accepts_like_keras(kt):
    for a, b in [([(0, 1)], [(2, 3)]), ({"a": 1, "b": [2]}, collections.OrderedDict(b=[5], a=4)),
                 (Point(0, 1), Point(2, 3))]:
        kt.assert_same_structure(a, b)
        tree.assert_same_structure(a, b)


def test_assert_same_paths(kt):
    tree.assert_same_paths([0, 1], (2, 3))
    kt.assert_same_paths([0, 1], (2, 3))
    with pytest.raises(ValueError):
        tree.assert_same_paths([0, 1], [0, 1, 2])


def test_map_structure_up_to(keras):
    shallow = {"a": None, "b": [None, None]}
    s = {"a": [1, 2], "b": [(3, 4), 5]}
    ours = tree.map_structure_up_to(shallow, lambda v: repr(v), s)
    assert ours == keras.tree.map_structure_up_to(shallow, lambda v: repr(v), s)
    assert ours == {"a": "[1, 2]", "b": ["(3, 4)", "5"]}


def test_map_shape_structure(kt):
    s = {"a": (None, 3), "b": [(2, 4), (5,)]}
    f = lambda shape: tuple(1 if d is None else d for d in shape)  # noqa: E731
    assert tree.map_shape_structure(f, s) == kt.map_shape_structure(f, s)


@pytest.mark.parametrize("top_down", [True, False])
def test_traverse_visits_in_kerass_order(kt, top_down):
    s = [(1, 2), [3], {"a": 4}]
    ours, ref = [], []
    r1 = tree.traverse(ours.append, s, top_down=top_down)
    r2 = kt.traverse(ref.append, s, top_down=top_down)
    assert ours == ref and r1 == r2


def test_traverse_replaces_and_maps_to_none(kt):
    s = [(1, 2), [3], {"a": 4}]

    def f(v):
        return tree.MAP_TO_NONE if v == [3] else ("seen" if v == 4 else None)

    def g(v):
        return tree.MAP_TO_NONE if v == [3] else ("seen" if v == 4 else None)

    assert tree.traverse(f, s) == kt.traverse(g, s)
    assert tree.traverse(f, s, top_down=False) == kt.traverse(g, s, top_down=False)
