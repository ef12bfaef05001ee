"""From a document's text to proposals: the entities it names (known or new) and the ties between them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.intake.dates import find_dates
from graph.intake.finder import Candidate, find_candidates
from graph.intake.lexicon import Lexicon, Mention, fold
from graph.intake.sentences import Sentence, split_sentences
from graph.intake.triggers import Trigger, find_triggers, pick_type

BYLINE = re.compile(r"^\s*(text|tekst|teksti|kirjoittaja|by|af|av)\s*:", re.I)
PUBLISHED = re.compile(
    r"(published|julkaistu|publisert|publiceret|sist oppdatert|opdateret|updated|päivitetty)"
    r"\D{0,20}", re.I
)
ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z]{1,9})\)")
MAX_PAIR_GAP = 6  # mentions apart within a sentence, beyond which no tie is proposed
TieKey = tuple[str, str, str]


@dataclass
class EntityProposal:
    """An entity the document names: a known one (``matched``) or a new one with a guessed kind."""

    key: str
    name: str
    kind: str
    matched: bool
    confidence: float
    reason: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.key if self.matched else None, "name": self.name, "kind": self.kind,
                "matched": self.matched, "confidence": self.confidence, "reason": self.reason}  # fmt: skip


@dataclass
class TieProposal:
    """A tie between two proposed entities, with its sentence as the quote and why its type."""

    key: str
    from_key: str
    to_key: str
    type: str
    quote: str
    start: int
    end: int
    date: str | None
    reason: str


@dataclass
class Proposals:
    """Everything proposed for one document."""

    entities: dict[str, EntityProposal]
    ties: list[TieProposal]
    language: str = "en"

    def label(self, key: str) -> str:
        entity = self.entities[key]
        return entity.key if entity.matched else entity.name

    def as_json(self) -> dict[str, Any]:
        """Return the proposals as ``ecomap intake --format json`` prints them."""
        return {
            "entities": [e.as_json() for e in self.entities.values()],
            "ties": [
                {"from": self.label(t.from_key), "to": self.label(t.to_key), "type": t.type,
                 "quote": t.quote, "date": t.date, "reason": t.reason}
                for t in self.ties
            ],
        }  # fmt: skip


def propose(
    text: str,
    lexicon: Lexicon,
    *,
    title: str = "",
    existing_ties: Iterable[TieKey] = (),
) -> Proposals:
    """Find the entities and ties ``text`` names; leave out ties the graph already holds."""
    sentences = split_sentences(text)
    lowercase_words = {w for w in re.findall(r"\b[^\W\d_]+\b", text) if w.islower()}
    known = lexicon.find(text)
    entities: dict[str, EntityProposal] = {}
    per_sentence = [_mentions(s, known, lowercase_words, entities) for s in sentences]
    document = _document_entity(title, entities)
    default_year = _published_year(text)
    existing = {(a, b, t) for a, b, t in existing_ties}
    ties: dict[TieKey, TieProposal] = {}
    for sentence, mentions in zip(sentences, per_sentence, strict=True):
        for tie in _sentence_ties(sentence, mentions, entities, document, default_year):
            key = (tie.from_key, tie.to_key, tie.type)
            if key in ties or key in existing or (key[1], key[0], key[2]) in existing:
                continue
            ties[key] = tie
    return Proposals(entities, list(ties.values()))


def _mentions(
    sentence: Sentence,
    known: list[Mention],
    lowercase_words: set[str],
    entities: dict[str, EntityProposal],
) -> list[tuple[int, str]]:
    """Register the sentence's entities; return (position, proposal key) in text order."""
    inside = [m for m in known if sentence.start <= m.start and m.end <= sentence.end]
    candidates = find_candidates(sentence.text, sentence.start, lowercase_words)
    found: list[tuple[int, str]] = []
    for candidate in candidates:
        covered = [m for m in inside if m.start < candidate.end and candidate.start < m.end]
        if covered and not _wider(candidate, covered):
            continue
        inside = [m for m in inside if m not in covered]
        found.append((candidate.start, _add_candidate(candidate, entities, sentence)))
    for mention in inside:
        assert mention.entity is not None
        entity = mention.entity
        proposal = entities.setdefault(
            entity.id,
            EntityProposal(entity.id, entity.name, entity.kind, True, 1.0, "known to the graph"),
        )
        proposal.spans.append((mention.start, mention.end))
        found.append((mention.start, entity.id))
    return sorted(found)


def _wider(candidate: Candidate, covered: list[Mention]) -> bool:
    """Whether a candidate is a longer name that holds a known one ("Norway Health Tech")."""
    return all(
        candidate.start <= m.start and m.end <= candidate.end
        and len(candidate.name.split()) > len(m.surface.split())
        for m in covered
    )  # fmt: skip


def _add_candidate(
    candidate: Candidate, entities: dict[str, EntityProposal], sentence: Sentence
) -> str:
    folded = fold(candidate.name)
    key = next(
        (k for k, e in entities.items()
         if not e.matched and (fold(e.name) == folded or folded in map(fold, e.aliases))),
        f"new:{folded}",
    )  # fmt: skip
    proposal = entities.get(key)
    if proposal is None:
        proposal = entities[key] = EntityProposal(
            key, candidate.name, candidate.kind, False, candidate.confidence, candidate.reason
        )
    elif candidate.confidence > proposal.confidence:
        proposal.kind, proposal.confidence = candidate.kind, candidate.confidence
        proposal.reason = candidate.reason
    proposal.spans.append((candidate.start, candidate.end))
    acronym = ACRONYM.match(sentence.text, candidate.end - sentence.start)
    if acronym and acronym.group(1) not in proposal.aliases:
        proposal.aliases.append(acronym.group(1))
    return key


def _document_entity(title: str, entities: dict[str, EntityProposal]) -> str | None:
    if not title.strip():
        return None
    key = f"new:{fold(title)}"
    entities.setdefault(
        key, EntityProposal(key, title.strip(), "Document", False, 0.6, "the document itself")
    )
    return key


def _published_year(text: str) -> str | None:
    for match in PUBLISHED.finditer(text):
        dates = find_dates(text[match.end() : match.end() + 40])
        if dates:
            return dates[0].iso[:4]
    return None


def _sentence_ties(
    sentence: Sentence,
    mentions: list[tuple[int, str]],
    entities: dict[str, EntityProposal],
    document: str | None,
    default_year: str | None,
) -> list[TieProposal]:
    keys = list(dict.fromkeys(key for _, key in mentions))
    dates = find_dates(sentence.text, default_year)
    date = dates[0].iso if dates else None
    if document and BYLINE.match(sentence.text):
        return [
            _tie(sentence, key, document, "AUTHORED", date, "a byline")
            for key in keys if entities[key].kind == "Person"
        ]  # fmt: skip
    triggers = find_triggers(sentence.text)
    position = {key: pos - sentence.start for pos, key in reversed(mentions)}
    ties = []
    for i, first in enumerate(keys):
        for second in keys[i + 1 : i + 1 + MAX_PAIR_GAP]:
            near = _nearest(triggers, position[first], position[second])
            picked = pick_type(near, entities[first].kind, entities[second].kind)
            if picked is None:
                continue
            rel_type, reverse, trigger = picked
            ends = (second, first) if reverse else (first, second)
            ties.append(_tie(sentence, *ends, rel_type, date, f"“{trigger.word}”"))
    return ties


def _nearest(triggers: list[Trigger], a: int, b: int) -> list[Trigger]:
    """Order triggers by how far they are from the stretch between two mentions."""
    low, high = min(a, b), max(a, b)
    return sorted(triggers, key=lambda t: 0 if low <= t.start <= high else min(
        abs(t.start - low), abs(t.start - high)))  # fmt: skip


def _tie(
    sentence: Sentence, source: str, target: str, rel_type: str, date: str | None, reason: str
) -> TieProposal:
    return TieProposal(
        key=f"{source}|{rel_type}|{target}",
        from_key=source,
        to_key=target,
        type=rel_type,
        quote=sentence.text,
        start=sentence.start,
        end=sentence.end,
        date=date,
        reason=reason,
    )
