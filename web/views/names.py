"""Entities given by name or id in a request: one match resolves, several offer a choice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph.explore.entities import find_entity
from graph.explore.search import search, suggest
from graph.model import SLUG
from graph.store.base import Store

CHOICES = 8  # entities offered when a name is not unique


@dataclass(frozen=True)
class Named:
    """What a given name or id resolved to: one entity id, or the entities it may mean."""

    given: str
    id: str | None = None
    choices: list[dict[str, Any]] = field(default_factory=list)
    suggested: bool = False  # no name matched: the choices match some of the words

    def describe(self) -> dict[str, Any]:
        """Return the JSON-ready form: the text given and the entities it may mean."""
        return {"given": self.given, "choices": self.choices, "suggested": self.suggested}


def resolve(store: Store, given: str) -> Named:
    """Resolve an entity id, or a name that exactly one entity bears; else offer the matches.

    Search is parameter-bound full text (see :func:`graph.explore.search.search`).
    """
    if SLUG.match(given) and find_entity(store, given) is not None:
        return Named(given, given)
    hits = search(store, given, limit=CHOICES)
    exact = [hit for hit in hits if hit["score"] >= 1.0]
    if len(exact) == 1:
        return Named(given, exact[0]["id"])
    keep = ("id", "name", "kind", "country")
    suggested = not hits
    if suggested:
        hits = suggest(store, given, limit=CHOICES)
    choices = [{key: hit.get(key) for key in keep} for hit in exact or hits]
    return Named(given, None, choices, suggested)


def resolve_each(
    store: Store, given: dict[str, str], choice_url: Callable[[str, str], str]
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """Resolve each given name or id (keyed by its field); return the ids and the choosers.

    A chooser lists the entities a name may mean, each with ``choice_url(field, id)``: the
    same request with that field naming the chosen entity. A field in a chooser has no id.
    """
    ids: dict[str, str] = {}
    choosers: dict[str, dict[str, Any]] = {}
    for key, text in given.items():
        named = resolve(store, text)
        if named.id is not None:
            ids[key] = named.id
            continue
        choosers[key] = named.describe()
        for entity in choosers[key]["choices"]:
            entity["url"] = choice_url(key, entity["id"])
    return ids, choosers
