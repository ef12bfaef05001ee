"""Checking that a quote is verbatim in its source's text (spacing, quotes and dashes aside)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.store.base import Store

FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def normalise(text: str) -> str:
    """Fold typographic quotes and dashes and runs of white space, nothing else."""
    return re.sub(r"\s+", " ", str(text).translate(FOLD)).strip()


def is_verbatim(quote: str, text: str) -> bool:
    """Whether ``quote`` appears in ``text`` as it stands."""
    return bool(quote.strip()) and normalise(quote) in normalise(text)


QUOTES = (
    "MATCH (s:Source) WHERE s.text IS NOT NULL "
    "OPTIONAL MATCH (n:Entity) WHERE n.source = s.id AND n.evidence IS NOT NULL "
    "WITH s, collect([n.id, n.evidence]) AS nodes "
    "OPTIONAL MATCH ()-[r]->() WHERE r.source = s.id AND r.evidence IS NOT NULL "
    "RETURN s.id AS source, s.text AS text, nodes, collect([r.id, r.evidence]) AS ties"
)


@dataclass(frozen=True)
class Unverified:
    """A fact whose quote is not in the text of the source it cites."""

    fact: str
    source: str
    quote: str


def unverified_quotes(store: Store) -> tuple[int, list[Unverified]]:
    """Check every fact that cites a taken-in source (one kept with its text) against it.

    Return how many facts were checked and those whose quote is not verbatim in the text.
    """
    checked, wrong = 0, []
    for row in store.read(QUOTES, timeout_ms_=30_000, row_cap_=100_000):
        for fact, quote in [*row["nodes"], *row["ties"]]:
            if fact is None:
                continue
            checked += 1
            if not is_verbatim(quote, row["text"]):
                wrong.append(Unverified(fact, row["source"], quote))
    return checked, wrong
