"""Results that are cut are cut in a fixed order, whatever order the engine hands rows in."""

from __future__ import annotations

import itertools

from graph.explore.paths import _Side


def test_path_search_picks_the_same_parent_in_any_row_order():
    pairs = [["b", "x"], ["a", "x"], ["c", "y"], ["a", "y"]]
    parents = set()
    for order in itertools.permutations(pairs):
        side = _Side("root")
        side.expand(order, _Side("target"))
        parents.add((side.parent["x"], side.parent["y"], tuple(side.frontier)))
    assert parents == {("a", "a", ("x", "y"))}
