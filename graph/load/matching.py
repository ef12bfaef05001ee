"""Finding the existing entity a new row names: by name, local name or alias, forgiving typos.

Names are folded (case and accents ignored) and compared exactly first; then the closest
name by edit similarity (rapidfuzz), when it is close enough to be a typo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from graph.store.dialect import fold

FUZZY_CUTOFF = 90.0


@dataclass(frozen=True)
class Match:
    """An existing entity a row probably means, and why."""

    entity_id: str
    name: str
    how: str  # "same name", "alias", "local name" or "similar name (93%)"
    score: float


class NameIndex:
    """Every existing entity's names, folded, for exact and fuzzy look-ups."""

    def __init__(self, entities: Iterable[dict[str, Any]]) -> None:
        self.exact: dict[str, tuple[str, str, str]] = {}
        self.names: list[str] = []
        self.owners: list[tuple[str, str]] = []
        for entity in entities:
            self.add(entity)

    def add(self, entity: dict[str, Any]) -> None:
        """Index one entity's name, local name and aliases."""
        entity_id, name = entity["id"], entity.get("name") or entity["id"]
        named = [(name, "same name"), (entity.get("local_name"), "local name")]
        named += [(alias, "alias") for alias in entity.get("aliases") or []]
        for text, how in named:
            if not text:
                continue
            folded = fold(str(text)).strip()
            self.exact.setdefault(folded, (entity_id, name, how))
            self.names.append(folded)
            self.owners.append((entity_id, name))

    def find(self, name: str) -> Match | None:
        """Return the entity ``name`` names exactly (folded), else the closest similar one."""
        folded = fold(name).strip()
        if folded in self.exact:
            entity_id, shown, how = self.exact[folded]
            return Match(entity_id, shown, how, 100.0)
        if not self.names:
            return None
        found = process.extractOne(folded, self.names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if found is None:
            return None
        _, score, index = found
        entity_id, shown = self.owners[index]
        return Match(entity_id, shown, f"similar name ({score:.0f}%)", score)

    def exactly(self, name: str) -> str | None:
        """Return the id of the entity named exactly ``name`` (folded), if any."""
        found = self.exact.get(fold(name).strip())
        return found[0] if found else None
