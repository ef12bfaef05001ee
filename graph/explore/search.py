"""Finding entities by name, local name or alias: accent- and case-insensitive, typo-tolerant."""

from __future__ import annotations

import difflib
from typing import Any, LiteralString

from graph.explore.entities import summary
from graph.model import NODE_LABELS
from graph.store.base import Store
from graph.store.dialect import SEARCH_FILTER, search_words
from graph.store.results import Node

CANDIDATES = 200


def search(
    store: Store,
    text: str,
    *,
    kind: str | None = None,
    country: str | None = None,
    limit: int = 20,
) -> list[dict[str, Any]]:
    """Return the best-matching entities, ranked, each with what matched and its score."""
    if kind is not None and kind not in NODE_LABELS:
        raise ValueError(f"unknown kind {kind!r}")
    if not search_words(text):
        return []
    query = store.dialect.fulltext_query()
    params = {
        "terms": store.dialect.fulltext_terms(text),
        "limit": CANDIDATES,
        "kind": kind,
        "country": country,
    }
    rows = store.read(query, params, row_cap_=CANDIDATES).rows
    hits = [rank(row["node"], text) for row in rows]
    hits.sort(key=lambda hit: (-hit["score"], len(hit["matched"] or ""), hit["name"].casefold()))
    return hits[:limit]


BROWSE_QUERY: LiteralString = (
    f"MATCH (node:Entity) WHERE {SEARCH_FILTER} "
    "RETURN node ORDER BY node.name, node.id LIMIT $limit"
)


def browse(
    store: Store, *, kind: str | None = None, country: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Return the entities of a kind and/or country, by name (no search text needed)."""
    if kind is not None and kind not in NODE_LABELS:
        raise ValueError(f"unknown kind {kind!r}")
    params = {"kind": kind, "country": country, "limit": limit}
    return [summary(row["node"]) for row in store.read(BROWSE_QUERY, params).rows]


def rank(node: Node, text: str) -> dict[str, Any]:
    """Score how well ``text`` names ``node``: exact, then prefix, then words, then similarity."""
    wanted = " ".join(search_words(text))
    props = node.properties
    names = [props.get("name"), props.get("local_name"), *(props.get("aliases") or [])]
    best, matched = 0.0, props.get("name")
    for name in filter(None, names):
        folded = " ".join(search_words(name))
        score = _score(wanted, folded)
        if score > best:
            best, matched = score, name
    return {**summary(node), "matched": matched, "score": round(best, 3)}


def _score(wanted: str, name: str) -> float:
    if wanted == name:
        return 1.0
    if name.startswith(wanted):
        return 0.9
    words = name.split()
    if all(any(w.startswith(part) for w in words) for part in wanted.split()):
        return 0.8
    similarity = [
        max(difflib.SequenceMatcher(None, part, w).ratio() for w in words) if words else 0.0
        for part in wanted.split()
    ]
    return 0.7 * sum(similarity) / len(similarity)
