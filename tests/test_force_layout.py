"""Force-directed positions, the label collision pass and ties in words."""

from __future__ import annotations

import random

from web.render.force_layout import count_overlaps, label_box, separate_labels, spring_positions
from web.render.tie_words import tie_words


def crowded(count: int) -> tuple[list[str], list[tuple[str, str]], dict]:
    """Return a star of ``count`` nodes with long labels and a few cross ties."""
    ids = [f"n{i}" for i in range(count)]
    edges = [("n0", node) for node in ids[1:]] + [
        (ids[i], ids[i + 3]) for i in range(1, count - 3, 5)
    ]
    boxes = {node: label_box(f"Organisation number {i}", 14, 12) for i, node in enumerate(ids)}
    return ids, edges, boxes


def test_spring_layout_is_stable_and_centred_on_the_root():
    ids, edges, boxes = crowded(60)
    first = spring_positions(ids, edges, "n0", boxes)
    again = spring_positions(list(ids), list(edges), "n0", boxes)
    assert first == again
    assert first["n0"] == (0.0, 0.0)
    assert len(set(first.values())) == len(ids)


def test_separation_leaves_no_overlapping_boxes_and_keeps_the_pinned_node():
    ids, edges, boxes = crowded(100)
    placed = spring_positions(ids, edges, "n0", boxes)
    piled = {node: (0.0, 0.0) if i < 12 else placed[node] for i, node in enumerate(ids)}
    assert count_overlaps(piled, boxes) >= 12 * 11 // 2  # twelve nodes on one point
    for start in (placed, piled):
        separated = separate_labels(start, boxes, pinned="n0")
        assert count_overlaps(separated, boxes) == 0
        assert separated["n0"] == start["n0"]


def test_separation_moves_nothing_that_does_not_overlap():
    rng = random.Random(3)
    boxes = {f"n{i}": label_box("x" * rng.randint(3, 24), 14, 12) for i in range(10)}
    far = {node: (i * 1000.0, i * 1000.0) for i, node in enumerate(boxes)}
    assert separate_labels(far, boxes) == far


def test_ties_read_as_words_with_their_years():
    assert (
        tie_words(
            {
                "type": "AGREEMENT",
                "kind": "agreement",
                "valid_from": "2019-03-01",
                "valid_until": "2025",
            }
        )
        == "agreement, 2019–2025"
    )
    assert tie_words({"type": "LOCATED_IN"}) == "located in"
    assert tie_words({"type": "WORKS_AT", "since": "2015"}) == "works at, since 2015"
    assert tie_words({"type": "VISITED", "date": "2019-05-02"}) == "visited, 2019"
    assert tie_words({"type": "FUNDS", "until": "2021-12-31"}) == "funds, until 2021"
