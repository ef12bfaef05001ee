"""Finding entities by name, local name or alias: accent- and case-insensitive, typo-tolerant,
and forgiving of spacing in compounds ("Health 2B" finds Health2B, "Oulu Health" OuluHealth);
when nothing matches, :func:`suggest` offers what matches some of the words."""

from __future__ import annotations

import re
from typing import Any, LiteralString

from rapidfuzz import fuzz

from graph.explore.entities import summary
from graph.model import NODE_LABELS
from graph.store.base import Store
from graph.store.dialect import SEARCH_FILTER, fold, search_words
from graph.store.results import Node

CANDIDATES = 200
JOINED_UP_TO = 4  # words: compounds are tried for texts this short (one read per spelling)
SUGGESTED_WORDS = 4  # words of a text tried one by one for suggestions


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
    nodes: dict[str, Node] = {}
    for spelling in spellings(text):
        for node in _candidates(store, spelling, kind, country):
            nodes.setdefault(node.id, node)
    return _ranked(nodes.values(), text, limit)


def spellings(text: str) -> list[str]:
    """Return the text, and for a few words the text with neighbours run together.

    "Health 2B" is also tried as "health2b", "Oulu Health Labs" as "ouluhealth labs",
    "oulu healthlabs" and "ouluhealthlabs": full-text indexes cut names into words, so a
    compound is one word to them and its parts are not.
    """
    tokens = re.findall(r"[^\W_]+", fold(text))
    found = [" ".join(search_words(text))]
    if 1 < len(tokens) <= JOINED_UP_TO:
        found.append("".join(tokens))
        for i in range(len(tokens) - 1):
            found.append(" ".join([*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2 :]]))
    return [s for s in dict.fromkeys(found) if search_words(s)]


def suggest(
    store: Store,
    text: str,
    *,
    kind: str | None = None,
    country: str | None = None,
    limit: int = 8,
) -> list[dict[str, Any]]:
    """Return entities a text that matches nothing may mean: those matching some of its words,
    else those whose words start as its words do (three letters), best first."""
    words = search_words(text)[:SUGGESTED_WORDS]
    nodes: dict[str, Node] = {}
    for tries in (words, [w[:3] for w in words if len(w) > 3]):
        for word in dict.fromkeys(tries):
            for node in _candidates(store, word, kind, country):
                nodes.setdefault(node.id, node)
        if nodes:
            break
    hits = _ranked(nodes.values(), text, len(nodes))
    hits.sort(  # stable: equals stay in score order
        key=lambda hit: min(_suggestion_order(n, words) for n in (hit["name"], hit["matched"]) if n)
    )
    return hits[:limit]


def _suggestion_order(name: str, words: list[str]) -> tuple[int, int, int]:
    """Most of the words named first, then named in full, then with the fewest other words."""
    named, whole = _words_named(name, words), len(set(words) & set(search_words(name)))
    return -named, -whole, len(search_words(name)) - named


def _words_named(name: str, words: list[str]) -> int:
    """Count the words of which some word of ``name`` is the start (or the other way round)."""
    named = search_words(name)
    return sum(any(n.startswith(w) or w.startswith(n) for n in named) for w in words)


def _candidates(store: Store, text: str, kind: str | None, country: str | None) -> list[Node]:
    """Return the nodes the full-text index gives for ``text`` (one bounded read)."""
    params = {
        "terms": store.dialect.fulltext_terms(text),
        "limit": CANDIDATES,
        "window": store.dialect.fulltext_window,
        "kind": kind,
        "country": country,
    }
    rows = store.read(store.dialect.fulltext_query(), params, row_cap_=CANDIDATES).rows
    return [row["node"] for row in rows]


def ranked_among_first(
    store: Store, text: str, *, kind: str | None = None, country: str | None = None
) -> int | None:
    """Return how many matches were ranked when more entities match ``text`` than the store
    ranks in one search (FalkorDB ranks the first it finds), else None: a page then says the
    hits are the best of those, and how to narrow the search."""
    query, window = store.dialect.fulltext_beyond_query(), store.dialect.fulltext_window
    if query is None or window is None or not search_words(text):
        return None
    terms = store.dialect.fulltext_terms(text)
    params = {"terms": terms, "window": window, "kind": kind, "country": country}
    return window if store.read(query, params).value(default=0) else None


def _ranked(nodes: Any, text: str, limit: int) -> list[dict[str, Any]]:
    """Return the nodes scored against ``text``, best first, at most ``limit``."""
    wanted = " ".join(search_words(text))
    hits = [rank(node, wanted) for node in nodes]
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


def rank(node: Node, wanted: str) -> dict[str, Any]:
    """Score how well ``wanted`` (the searched text's words, space-separated) names ``node``:
    exact, then prefix, then words, then similarity."""
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
    squeezed, name_squeezed = wanted.replace(" ", ""), name.replace(" ", "")
    if wanted == name or squeezed == name_squeezed:  # "health 2b" names Health2B
        return 1.0
    if name.startswith(wanted) or name_squeezed.startswith(squeezed):
        return 0.9
    words = name.split()
    if all(any(w.startswith(part) for w in words) for part in wanted.split()):
        return 0.8
    similarity = [  # Indel similarity (2·LCS/length): rapidfuzz is ~30x faster than difflib
        max(fuzz.ratio(part, w) for w in words) / 100 if words else 0.0 for part in wanted.split()
    ]
    return 0.7 * sum(similarity) / len(similarity)
