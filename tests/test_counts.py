"""Counts come from the database's statistics once per data-as-of stamp, on every backend."""

from __future__ import annotations

from graph.model import RELATIONSHIP_TYPES
from graph.store.base import COUNTED_LABELS


def test_counts_are_asked_once_per_stamp_and_again_after_a_write(seeded):
    query = seeded.dialect.counts_query(COUNTED_LABELS, RELATIONSHIP_TYPES)
    sent: list[str] = []
    seeded.tracer = lambda cypher, params: sent.append(cypher)
    try:
        first = seeded.counts()
        second = seeded.counts()
        assert first == second and first["nodes"]["Entity"] > 0
        assert sent.count(query) == 1
        seeded.write("MATCH (n:EcomapMeta) SET n.touched = true")
        seeded.counts()
        assert sent.count(query) == 2
    finally:
        seeded.tracer = None
        seeded.write("MATCH (n:EcomapMeta) REMOVE n.touched")
