"""Finding the entities a graph already knows in text, by name, local name and alias, inflected.

Inflection by hand rules, not a stemmer: a Snowball stemmer cuts proper nouns unpredictably
("Sendai" and "Sendaissa" need not stem alike) and handles no consonant gradation either, while
names mostly take case endings added to the whole name. The endings below cover Finnish cases
(Oulun, Oulussa, Sendaissa, Oulusta, Kanagawan), Norwegian/Danish definite and genitive forms
(-en, -et, -ene, -s) and English possessives; names whose stem changes are not found.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graph.load.matching import NameIndex

ENDINGS = (
    "ssa ssä sta stä lla llä lta ltä lle ksi na nä n a ä an en in on un yn hen seen "
    "et ene enes ens ets er erne ernes s 's ’s"
).split()
_ENDING = "(?:" + "|".join(sorted((re.escape(e) for e in ENDINGS), key=len, reverse=True)) + ")?"
MIN_NAME = 2
SMALL_WORDS = frozenset({"of", "the", "in", "to", "at", "and", "i", "og", "af", "av"})


@dataclass(frozen=True)
class KnownEntity:
    """An entity of the graph: id, kind (label) and every name it is known by."""

    id: str
    kind: str
    name: str
    names: tuple[str, ...]
    date: str | None = None


@dataclass(frozen=True)
class Mention:
    """A stretch of text naming an entity (known: ``entity`` set; new: ``entity`` None)."""

    start: int
    end: int
    surface: str
    entity: KnownEntity | None = None


def fold(text: str) -> str:
    """Fold case, accents and runs of spaces or dashes, for comparing names."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[\s\-–]+", " ", text).strip()


class Lexicon:
    """Every name of every known entity, compiled into one pattern."""

    def __init__(self, entities: Iterable[KnownEntity]) -> None:
        self.entities = {entity.id: entity for entity in entities}
        self.by_name: dict[str, list[KnownEntity]] = {}
        for entity in self.entities.values():
            for name in entity.names:
                if len(name) >= MIN_NAME:
                    self.by_name.setdefault(fold(name), []).append(entity)
        self.pattern = self._compile()
        self.index = NameIndex(
            {"id": e.id, "name": e.name, "aliases": list(e.names)} for e in self.entities.values()
        )

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]]) -> Lexicon:
        """Build from rows with id, kind, name, local_name and aliases."""
        return cls(
            KnownEntity(
                id=row["id"],
                kind=row["kind"],
                name=row.get("name") or row["id"],
                names=tuple(
                    n
                    for n in (row.get("name"), row.get("local_name"), *(row.get("aliases") or []))
                    if n
                ),
                date=row.get("date"),
            )
            for row in rows
        )

    def closest(self, name: str, date: str | None = None) -> KnownEntity | None:
        """Return the known entity whose name is close to ``name`` (the import's matcher:
        a typo, an extra word); an event of another date is not close, whatever its name."""
        match = self.index.find(name)
        if match is None:
            return None
        entity = self.entities[match.entity_id]
        if date and entity.date and not _same_time(date, entity.date):
            return None
        return entity

    def event_on(self, date: str | None, name: str) -> KnownEntity | None:
        """Return a known event of the same date (to the month at least) sharing a word."""
        if not date or len(date) < 7:
            return None
        words = set(fold(name).split()) - SMALL_WORDS
        for entity in self.entities.values():
            when = entity.date or ""
            if entity.kind != "Event" or len(when) < 7:
                continue
            if _same_time(date, when) and words & set(fold(entity.name).split()):
                return entity
        return None

    def _compile(self) -> re.Pattern[str] | None:
        forms = sorted(self.by_name, key=len, reverse=True)
        if not forms:
            return None
        names = "|".join(_flexible(form) for form in forms)
        return re.compile(rf"(?<![\w\-])(?P<name>{names})(?P<ending>{_ENDING})(?!\w)", re.I)

    def find(self, text: str) -> list[Mention]:
        """Return the known entities named in ``text``, longest names first, not overlapping."""
        if self.pattern is None:
            return []
        mentions = []
        for match in self.pattern.finditer(fold_keep_length(text)):
            entity = self._entity_for(text, match)
            if entity is not None:
                start, end = match.start(), match.end()
                mentions.append(Mention(start, end, text[start:end], entity))
        return mentions

    def _entity_for(self, text: str, match: re.Match[str]) -> KnownEntity | None:
        surface = text[match.start("name") : match.end("name")]
        candidates = self.by_name.get(fold(surface)) or []
        for entity in candidates:
            if _case_fits(surface, entity):
                return entity
        return None


def _same_time(one: str, other: str) -> bool:
    """Whether two partial ISO dates can be the same day (one a prefix of the other)."""
    return one.startswith(other) or other.startswith(one)


def _case_fits(surface: str, entity: KnownEntity) -> bool:
    """Capitalised names match capitalised text only; short all-caps names match exactly."""
    for name in entity.names:
        if fold(name) != fold(surface):
            continue
        if name.isupper() and len(name) <= 6 and surface != name:
            continue
        if name[:1].isupper() and not surface[:1].isupper():
            continue
        return True
    return False


def _flexible(form: str) -> str:
    """A folded name as a pattern matching any run of spaces or dashes between its words."""
    return r"[\s\-–]+".join(re.escape(word) for word in form.split(" "))


def fold_keep_length(text: str) -> str:
    """Fold accents one character for one, so match offsets stay offsets into ``text``."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)[:1]
        out.append(base if len(base) == 1 and ch.isalpha() and base.isalpha() else ch)
    return "".join(out)
