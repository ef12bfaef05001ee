"""From a document's text to proposals: the entities it names, known or new, and their ties."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.intake.dates import find_dates, published_date
from graph.intake.events import event_name, find_event_words, place_after
from graph.intake.finder import Candidate, find_candidates
from graph.intake.lexicon import KnownEntity, Lexicon, Mention, fold
from graph.intake.places import city_country, country_name, is_big_city, region_country
from graph.intake.sentences import Sentence, split_sentences
from graph.intake.structure import Placed, siblings, structural_ties
from graph.intake.triggers import Trigger, find_triggers, pick_type
from graph.model import ends_problem

BYLINE = re.compile(
    r"\b(text|tekst|teksti|kirjoittaja|written by|by|af|av|foto|photos?|image|kuva|bilde)\s*:\s*",
    re.I,
)
ACRONYM = re.compile(r"\s*\(([A-Z][A-Za-z]{1,9})\)")
MAX_PAIR_GAP = 4  # mentions apart within a sentence, beyond which no tie is proposed
DATE_REACH = 80  # characters from an event's word within which its date is looked for
TRIGGER_REACH = 0  # characters a trigger may stand outside the two mentions it types
PLACE_KINDS = ("City", "Region", "Country", "Hospital", "University", "Organisation")
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
    date: str | None = None
    located: str | None = None  # the place an event is said to happen in
    noun: str | None = None  # the word an event was found by (delegation, signing…)
    edition_of: str | None = None  # the recurring event this one is the year's edition of

    def as_json(self) -> dict[str, Any]:
        return {"id": self.key if self.matched else None, "name": self.name, "kind": self.kind,
                "matched": self.matched, "confidence": self.confidence, "reason": self.reason,
                "date": self.date}  # fmt: skip


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
    default_year = _published_year(text)
    per_sentence = [
        _mentions(s, known, lowercase_words, entities, default_year, lexicon) for s in sentences
    ]
    document = _document_entity(title, entities, lexicon)
    _refer_to_salient_programme(sentences, per_sentence, entities)
    _refer_to_last_event(sentences, per_sentence, entities)
    _refer_to_last_group(sentences, per_sentence, entities)
    existing = set(existing_ties)
    ties: dict[TieKey, TieProposal] = {}
    for sentence, mentions in zip(sentences, per_sentence, strict=True):
        mentions = mentions + _founders(sentence, mentions, entities, ties.values())
        for tie in _sentence_ties(sentence, mentions, entities, document, default_year):
            key = (tie.from_key, tie.to_key, tie.type)
            if key in ties or key in existing or (key[1], key[0], key[2]) in existing:
                continue
            ties[key] = tie
    for tie in _editions(sentences, entities) + _captions(text, sentences, per_sentence, entities):
        ties.setdefault((tie.from_key, tie.to_key, tie.type), tie)
    for tie in _places_in_names(sentences, entities) + _countries(sentences, entities, lexicon):
        ties.setdefault((tie.from_key, tie.to_key, tie.type), tie)
    for key in existing:
        ties.pop(key, None)
    return Proposals(entities, list(ties.values()))


FOUNDERS = re.compile(
    r"\b(the founders|its founders|grunnleggerne|grundlæggerne|stifterne|perustajat)\b", re.I
)


def _founders(
    sentence: Sentence,
    spots: list[Spot],
    entities: dict[str, EntityProposal],
    ties: Iterable[TieProposal],
) -> list[Spot]:
    """Read "the founders" as those the document said founded a programme the sentence names."""
    match = FOUNDERS.search(sentence.text)
    if match is None:
        return []
    named = {key for _, _, key in spots if entities[key].kind == "Programme"}
    at = (sentence.start + match.start(), sentence.start + match.end())
    founders = [t.from_key for t in ties if t.type == "FOUNDED" and t.to_key in named]
    return [(*at, key) for key in dict.fromkeys(founders)]


def _editions(sentences: list[Sentence], entities: dict[str, EntityProposal]) -> list[TieProposal]:
    """Each year's edition is part of its recurring event."""
    return [
        _tie(_sentence_of(sentences, e.spans[0][0]), k, e.edition_of, "PART_OF", e.date,
             "this year’s edition")
        for k, e in list(entities.items()) if e.edition_of and e.spans
    ]  # fmt: skip


def _sentence_of(sentences: list[Sentence], at: int) -> Sentence:
    return next(s for s in sentences if s.start <= at < s.end)


CAPTION = re.compile(
    r"^(from|fra|frå|billede fra|bilde fra|kuvassa|kuva)\b[^.!?]{0,80}[.:]?$", re.I
)


def _captions(
    text: str,
    sentences: list[Sentence],
    per_sentence: list[list[Spot]],
    entities: dict[str, EntityProposal],
) -> list[TieProposal]:
    """A caption "From the opening of Health2B." and the people named under it: they took part
    in that event. The quote holds both, as they stand in the document."""
    ties = []
    for index, sentence in enumerate(sentences[:-1]):
        events = [k for _, _, k in per_sentence[index] if entities[k].kind == "Event"]
        if not events or not CAPTION.match(sentence.text):
            continue
        following = sentences[index + 1]
        both = Sentence(sentence.start, following.end, text[sentence.start : following.end])
        people = [k for _, _, k in per_sentence[index + 1] if entities[k].kind == "Person"]
        why = f"the caption “{sentence.text}”"
        ties += [_tie(both, p, events[0], "PARTICIPATED_IN", None, why) for p in people]
    return ties


def _countries(
    sentences: list[Sentence], entities: dict[str, EntityProposal], lexicon: Lexicon
) -> list[TieProposal]:
    """Tie each city and region to its country, when the gazetteer knows it and the graph holds
    that country; the quote is the first sentence naming both, else the place's first."""
    ties = []
    for key, entity in list(entities.items()):
        if entity.kind not in ("City", "Region") or not entity.spans:
            continue
        lookup = city_country if entity.kind == "City" else region_country
        code = next(filter(None, map(lookup, [entity.name, *entity.aliases])), None)
        country = _known_country(code, lexicon) if code else None
        if country is None or country.id == key:
            continue
        country_key = _add_known(country, entities, 0, 0)
        entities[country_key].spans.remove((0, 0))
        sentence = _sentence_naming(sentences, entity, entities[country_key])
        ties.append(_tie(sentence, key, country_key, "LOCATED_IN", None, "the gazetteer"))
    return ties


def _known_country(code: str, lexicon: Lexicon) -> KnownEntity | None:
    name = country_name(code)
    found = lexicon.by_name.get(fold(name)) if name else None
    return next((e for e in found or [] if e.kind == "Country"), None)


def _sentence_naming(
    sentences: list[Sentence], entity: EntityProposal, other: EntityProposal
) -> Sentence:
    def naming(proposal: EntityProposal) -> set[int]:
        return {
            i for i, s in enumerate(sentences) for a, _ in proposal.spans if s.start <= a < s.end
        }

    both = sorted(naming(entity) & naming(other)) or sorted(naming(entity))
    return sentences[both[0]]


def _places_in_names(
    sentences: list[Sentence], entities: dict[str, EntityProposal]
) -> list[TieProposal]:
    """Tie what is named after a city or region to it ("Tampere University Hospital"), and
    an event to the place it is said to happen in."""
    places = {fold(e.name): k for k, e in entities.items() if e.kind in ("City", "Region")}
    ties = []
    for key, entity in entities.items():
        if entity.matched or not entity.spans or entity.kind in ("City", "Region", "Country"):
            continue
        words = f" {fold(_camel_apart(entity.name))} "
        targets = [p for name, p in places.items() if f" {name} " in words and p != key]
        if entity.kind == "Event":
            targets = []  # an event's name holds who went, not where it was
        if entity.located:
            targets.append(entity.located)
        sentence = next(s for s in sentences if s.start <= entity.spans[0][0] < s.end)
        for target in dict.fromkeys(targets):
            if ends_problem("LOCATED_IN", entity.kind, entities[target].kind) is None:
                why = "the event’s place" if target == entity.located else "the place in its name"
                ties.append(_tie(sentence, key, target, "LOCATED_IN", None, why))
    return ties


def _camel_apart(name: str) -> str:
    """ "OuluHealth" → "Oulu Health", "BusinessOulu" → "Business Oulu": names run together."""
    return re.sub(r"(?<=[a-zäöåæø])(?=[A-ZÄÖÅÆØ][a-zäöåæø])", " ", name)


Spot = tuple[int, int, str]  # start, end (in the text), proposal key


def _mentions(
    sentence: Sentence,
    known: list[Mention],
    lowercase_words: set[str],
    entities: dict[str, EntityProposal],
    default_year: str | None,
    lexicon: Lexicon,
) -> list[Spot]:
    """Register the sentence's entities; return (start, end, proposal key) in text order."""
    inside = [m for m in known if sentence.start <= m.start and m.end <= sentence.end]
    named = frozenset(fold(e.name) for e in entities.values() if not e.matched)
    candidates = find_candidates(sentence.text, sentence.start, lowercase_words, named)
    found: list[Spot] = []
    for candidate in candidates:
        covered = [m for m in inside if m.start < candidate.end and candidate.start < m.end]
        if covered and not _wider(candidate, covered):
            continue
        inside = [m for m in inside if m not in covered]
        close = lexicon.closest(candidate.name)
        if close is not None:
            key = _add_known(close, entities, candidate.start, candidate.end)
            entities[key].reason = f"close to the known name “{close.name}”"
        else:
            if (
                candidate.confidence < 0.5
                and " " not in candidate.name
                and is_big_city(candidate.name)
            ):
                candidate.kind, candidate.confidence = "City", 0.7
                candidate.reason = "a city in the gazetteer"
            key = _add_candidate(candidate, entities, sentence)
        found.append((candidate.start, candidate.end, key))
    for mention in inside:
        assert mention.entity is not None
        key = _add_known(mention.entity, entities, mention.start, mention.end)
        found.append((mention.start, mention.end, key))
    found.sort()
    found = [_edition(sentence, spot, entities, default_year, lexicon) for spot in found]
    return found + _events(sentence, found, entities, default_year, lexicon)


EDITION = re.compile(r"(this year['’]s|årets|tämänvuotinen|tämän vuoden)\s+$", re.I)


def _edition(
    sentence: Sentence,
    spot: Spot,
    entities: dict[str, EntityProposal],
    year: str | None,
    lexicon: Lexicon,
) -> Spot:
    """Read "this year's Health Tech Festival" (årets …) as that year's edition of the event."""
    start, end, key = spot
    series = entities[key]
    before = sentence.text[: start - sentence.start]
    if series.kind != "Event" or not year or not EDITION.search(before):
        return spot
    name = f"{series.name} {year}"
    series.spans.remove((start, end))
    known = lexicon.closest(name, year)
    if known is not None and known.id != key and known.kind == "Event":
        edition_key = _add_known(known, entities, start, end)
    else:
        edition_key = f"new:{fold(name)}"
        why = "“this year’s” before a recurring event"
        edition = entities.setdefault(
            edition_key, EntityProposal(edition_key, name, "Event", False, 0.6, why)
        )
        edition.spans.append((start, end))
        edition.date = year
    entities[edition_key].edition_of = key
    return (start, end, edition_key)


DEFINITE = re.compile(
    r"\b(the|this|that) (project|programme|program|initiative|arena)\b|"
    r"\b(prosjektet|projektet|programmet|initiativet|initiativet|arenaen|hankkeen|hanke)\b|"
    # what the article is about, being set up: "established an arena", "skapt en arena"
    r"\b(establish\w*|launch\w*|creat\w*|set up|etabler\w*|skap\w*|igangsat\w*|perust\w*)"
    r"\s+(an?|en|et|ei|uuden)\s+(new\s+|ny\w*\s+)?(project|programme|initiative|arena|"
    r"platform|prosjekt|projekt|program|initiativ|plattform|hanke)\b|"
    # its partners or members, named in a list with no programme of their own
    r"\b(the (project )?partners|partnerne|partnerene|kumppanit|the members|medlemmene|"
    r"medlemmerne|jäsenet)\b",
    re.I,
)


def _refer_to_salient_programme(
    sentences: list[Sentence], per_sentence: list[list[Spot]], entities: dict[str, EntityProposal]
) -> None:
    """Read "the project" as the document's most named programme (named twice at least)."""
    programmes = [(len(e.spans), k) for k, e in entities.items() if e.kind == "Programme"]
    if not programmes or max(programmes)[0] < 2:
        return
    salient = max(programmes)[1]
    for sentence, spots in zip(sentences, per_sentence, strict=True):
        if any(key == salient for _, _, key in spots):
            continue
        match = DEFINITE.search(sentence.text)
        if match:
            at = sentence.start + match.start()
            spots.append((at, sentence.start + match.end(), salient))
            spots.sort()


# "the companies", "both hospitals", "selskapene": the last ones of that kind named together.
GROUP_REFERENCE = {
    "Company": re.compile(
        r"\b(the|these|those|both|all|the two|the three)\s+(\w+\s+)?(companies|startups|firms)\b|"
        r"\b(selskapene|bedriftene|virksomhederne|selskaberne|yritykset)\b",
        re.I,
    ),
    "Hospital": re.compile(
        r"\b(the|both|two|the two)\s+(university\s+)?hospitals\b|"
        r"\b(sykehusene|sygehusene|hospitalerne|universitetssykehusene|molemmat sairaalat)\b",
        re.I,
    ),
    "City": re.compile(
        r"\b(the|both|two|the two)\s+cities\b|\b(byene|byerne|molemmat kaupungit)\b", re.I
    ),
}


def _refer_to_last_group(
    sentences: list[Sentence], per_sentence: list[list[Spot]], entities: dict[str, EntityProposal]
) -> None:
    """Read "the companies" or "both hospitals" as the last two or more of that kind named in
    one sentence, unless the sentence names two itself."""
    last: dict[str, list[str]] = {}
    for sentence, spots in zip(sentences, per_sentence, strict=True):
        by_kind: dict[str, list[str]] = {}
        for _, _, key in spots:
            by_kind.setdefault(entities[key].kind, [])
            if key not in by_kind[entities[key].kind]:
                by_kind[entities[key].kind].append(key)
        for kind, pattern in GROUP_REFERENCE.items():
            match = pattern.search(sentence.text)
            if match and len(by_kind.get(kind, [])) < 2 and kind in last:
                at = (sentence.start + match.start(), sentence.start + match.end())
                spots.extend((*at, key) for key in last[kind] if key not in by_kind.get(kind, []))
                spots.sort()
        last.update({kind: keys for kind, keys in by_kind.items() if len(keys) >= 2})


EVENT_REFERENCE = re.compile(
    r"\b(the|this|that|their|during the) (?:[A-Z]\w+ ){0,3}(delegation|visit|ceremony|conference|"
    r"seminar|signing|opening)\b|\b(delegasjonen|besøket|besøget|seremonien|ceremonien|"
    r"konferansen|konferencen|åpningen|åbningen)\b",
    re.I,
)
SAME_EVENT = {"visit": "delegation", "besøket": "delegation", "besøget": "delegation",
              "åpningen": "opening", "åbningen": "opening", "seremonien": "ceremony",
              "ceremonien": "ceremony", "konferansen": "conference", "konferencen": "conference",
              "delegasjonen": "delegation"}  # fmt: skip


def _refer_to_last_event(
    sentences: list[Sentence], per_sentence: list[list[Spot]], entities: dict[str, EntityProposal]
) -> None:
    """Read "the delegation" or "during the visit" as the last such event named before (or,
    when none was, the first named after: a caption "From the opening" above the story)."""
    last: dict[str, str] = {}
    unresolved: list[tuple[int, re.Match[str], str]] = []
    for index, (sentence, spots) in enumerate(zip(sentences, per_sentence, strict=True)):
        match = EVENT_REFERENCE.search(sentence.text)
        if match:
            noun = (match.group(2) or match.group(3)).lower()
            noun = SAME_EVENT.get(noun, noun)
            event = next((k for n, k in last.items() if noun.startswith(n[:5])), None)
            if event is None:
                unresolved.append((index, match, noun))
            _refer(sentence, spots, match, event)
        for _, _, key in spots:
            entity = entities[key]
            if entity.noun:
                last[entity.noun] = key
    for index, match, noun in unresolved:
        later = (k for spots in per_sentence[index + 1 :] for _, _, k in spots)
        event = next((k for k in later if (entities[k].noun or "-").startswith(noun[:5])), None)
        _refer(sentences[index], per_sentence[index], match, event)


def _refer(sentence: Sentence, spots: list[Spot], match: re.Match[str], key: str | None) -> None:
    if key and key not in {k for _, _, k in spots}:
        spots.append((sentence.start + match.start(), sentence.start + match.end(), key))
        spots.sort()


def _add_known(
    entity: KnownEntity, entities: dict[str, EntityProposal], start: int, end: int
) -> str:
    proposal = entities.setdefault(
        entity.id,
        EntityProposal(entity.id, entity.name, entity.kind, True, 1.0, "known to the graph"),
    )
    proposal.spans.append((start, end))
    return entity.id


def _events(
    sentence: Sentence,
    found: list[Spot],
    entities: dict[str, EntityProposal],
    default_year: str | None,
    lexicon: Lexicon,
) -> list[Spot]:
    """Propose the events the sentence names by a word (delegation, signing, conference)."""
    spots: list[Spot] = []
    starts = {s - sentence.start: k for s, _, k in found if entities[k].kind in PLACE_KINDS}
    cues = find_event_words(sentence.text)
    nouns = {cue.noun for cue in cues}
    for cue in cues:
        at = (sentence.start + cue.start, sentence.start + cue.end)
        if any(s <= at[0] and at[1] <= e for s, e, _ in found):
            continue  # the word is part of a name ("Health Tech Festival")
        if cue.noun == "signing" and "ceremony" in nouns:
            continue  # "signed … at a ceremony": one event, the signing ceremony
        ceremony = _signing_ceremony(entities) if cue.noun == "signing" else None
        if ceremony is not None:  # "after signing the MoU": the signing the article told of
            entities[ceremony].spans.append(at)
            spots.append((*at, ceremony))
            continue
        before = _owner_before(sentence, cue.start, found, entities)
        place_at = place_after(sentence.text, cue, starts)
        place = _place_phrase(sentence.text, place_at) if place_at is not None else None
        dates = sorted(
            (
                d
                for d in find_dates(sentence.text, default_year)
                if abs(d.start - cue.start) <= DATE_REACH
            ),
            key=lambda d: abs(d.start - cue.start),
        )  # the date nearest the event's word, in its clause, is its date
        if not (before or place or dates or cue.noun == "signing"):
            continue  # a bare "seminar" or "workshop" names nothing to tie to
        name = event_name(sentence.text, cue, before, place)
        when = dates[0].iso if dates else None
        known_event = lexicon.event_on(when, name) or lexicon.closest(name, when)
        if known_event is not None:
            spots.append((*at, _add_known(known_event, entities, *at)))
            continue
        key = f"new:{fold(name)}"
        proposal = entities.setdefault(
            key, EntityProposal(key, name, "Event", False, 0.5, f"the word “{cue.noun}”")
        )
        proposal.noun = cue.noun
        proposal.date = proposal.date or (dates[0].iso if dates else None)
        proposal.spans.append(at)
        if place_at is not None:
            proposal.located = starts[place_at]
        spots.append((at[0], at[1], key))
    return spots


def _signing_ceremony(entities: dict[str, EntityProposal]) -> str | None:
    return next(
        (k for k, e in entities.items() if e.noun == "ceremony" and "sign" in e.name.lower()), None
    )


def _place_phrase(text: str, start: int) -> str:
    """The capitalised words from a place's start ("Oulu City Hall", not just "Oulu")."""
    match = re.match(r"[^\W\d_][\w\-]*(?:\s+[A-ZÆØÅÄÖ][\w\-]*)*", text[start:])
    return match.group() if match else text[start:].split(" ")[0]


def _owner_before(
    sentence: Sentence, cue_start: int, found: list[Spot], entities: dict[str, EntityProposal]
) -> str | None:
    """Return the names right before an event word ("OYS and OuluHealth delegation")."""
    names: list[str] = []
    position = sentence.start + cue_start
    for start, end, _ in reversed(found):
        gap = sentence.text[end - sentence.start : position - sentence.start]
        if end > position or not re.fullmatch(r"\s*((and|og|ja|&)\s+)?|['’]s\s+", gap):
            if names or end <= position:
                break
            continue
        names.insert(0, sentence.text[start - sentence.start : end - sentence.start])
        position = start
    return " and ".join(names) or None


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
        _surname_of(candidate, entities) or f"new:{folded}",
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
    proposal.aliases += [a for a in candidate.aliases if a not in proposal.aliases]
    acronym = ACRONYM.match(sentence.text, candidate.end - sentence.start)
    if acronym and acronym.group(1) not in proposal.aliases:
        proposal.aliases.append(acronym.group(1))
    return key


def _surname_of(candidate: Candidate, entities: dict[str, EntityProposal]) -> str | None:
    """Return the person a lone surname refers to ("Tominaga" after "Teiji Tominaga"): only a
    name with nothing else to go on, and only a person named with a role or "says"."""
    folded = fold(candidate.name)
    if " " in folded or (candidate.kind != "Person" and candidate.confidence > 0.3):
        return None
    return next(
        (
            k
            for k, e in entities.items()
            if e.kind == "Person" and e.confidence >= 0.75 and fold(e.name).endswith(" " + folded)
        ),
        None,
    )


def _document_entity(
    title: str, entities: dict[str, EntityProposal], lexicon: Lexicon
) -> str | None:
    """Propose the document itself (so its byline can say who wrote it), or find it known."""
    if not title.strip():
        return None
    headline = re.split(r"\s+[–—-]\s+", title.strip(), maxsplit=1)[0]
    for name in dict.fromkeys((title, headline)):
        known = lexicon.closest(name)
        if known is not None and known.kind == "Document":
            return _add_known(known, entities, 0, 0)
    key = f"new:{fold(title)}"
    proposal = entities.setdefault(
        key, EntityProposal(key, title.strip(), "Document", False, 0.6, "the document itself")
    )
    if headline != title.strip():
        proposal.aliases.append(headline)  # the headline without its subheading
    return key


def _published_year(text: str) -> str | None:
    """The year dates without one fall in: the year the document was published."""
    published = published_date(text)
    return published[:4] if published else None


def _sentence_ties(
    sentence: Sentence,
    mentions: list[Spot],
    entities: dict[str, EntityProposal],
    document: str | None,
    default_year: str | None,
) -> list[TieProposal]:
    dates = find_dates(sentence.text, default_year)
    date = dates[0].iso if dates else None
    placed = _placed(sentence, mentions, entities)
    ties = [
        _tie(sentence, a, b, rel_type, date, why)
        for a, b, rel_type, why in structural_ties(placed, sentence.text)
    ]
    if document:
        ties += _bylines(sentence, placed, document, date)
        if any(t.type == "AUTHORED" for t in ties):
            return ties
    groups = _people_in_apposition(placed, siblings(placed, sentence.text), ties)
    return ties + _trigger_ties(sentence, placed, groups, entities, ties, date)


def _trigger_ties(
    sentence: Sentence,
    placed: list[Placed],
    groups: list[int],
    entities: dict[str, EntityProposal],
    structural: list[TieProposal],
    date: str | None,
) -> list[TieProposal]:
    """Type each near pair by the trigger that governs it; say it of their lists too."""
    stated = {frozenset((t.from_key, t.to_key)) for t in structural}
    employers = {t.to_key for t in structural if t.type == "WORKS_AT"}
    triggers = find_triggers(sentence.text)
    ties = []
    for i, first in enumerate(placed):
        for j in range(i + 1, min(len(placed), i + 1 + MAX_PAIR_GAP)):
            second = placed[j]
            pair = frozenset((first.key, second.key))
            if groups[i] == groups[j] or len(pair) < 2 or pair in stated:
                continue
            near = _governing(triggers, placed, groups, i, j, sentence.text)
            picked = _typed(near, first, second, entities, employers)
            if picked is None:
                continue
            rel_type, reverse, why = picked
            for one, other in _with_lists(placed, groups, i, j):
                pair = frozenset((one.key, other.key))
                kinds = (other.kind, one.kind) if reverse else (one.kind, other.kind)
                if len(pair) < 2 or pair in stated or ends_problem(rel_type, *kinds):
                    continue
                ends = (other.key, one.key) if reverse else (one.key, other.key)
                stated.add(pair)
                ties.append(_tie(sentence, *ends, rel_type, date, why))
    return ties


def _people_in_apposition(
    placed: list[Placed], groups: list[int], structural: list[TieProposal]
) -> list[int]:
    """Make one list of people each followed by a role ("A, rector of X, B, mayor of Y"):
    the employers between them are said in passing."""
    employers = {(t.from_key, t.to_key) for t in structural if t.type == "WORKS_AT"}
    groups = list(groups)
    last_person: int | None = None
    for index, mention in enumerate(placed):
        if mention.kind != "Person":
            if last_person is None or (placed[last_person].key, mention.key) not in employers:
                last_person = None
            continue
        if last_person is not None and index - last_person > 1:
            groups[index] = groups[last_person]
        last_person = index
    return groups


def _with_lists(
    placed: list[Placed], groups: list[int], i: int, j: int
) -> list[tuple[Placed, Placed]]:
    """The pair (i, j), then each further member of either one's list with the other: what is
    said of one of "A, B and C" is said of all."""
    pairs = [(placed[i], placed[j])]
    pairs += [(placed[i], m) for k, m in enumerate(placed) if groups[k] == groups[j] and k != j]
    pairs += [(m, placed[j]) for k, m in enumerate(placed) if groups[k] == groups[i] and k != i]
    return pairs


def _bylines(
    sentence: Sentence, placed: list[Placed], document: str, date: str | None
) -> list[TieProposal]:
    """Tie the person right after "Text:", "Photos:", "Tekst:", "Foto:" to the document."""
    ties = []
    for label in BYLINE.finditer(sentence.text):
        person = next((p for p in placed if p.start == label.end() and p.kind == "Person"), None)
        if person is not None:
            why = f"the byline “{label.group(1)}:”"
            ties.append(_tie(sentence, person.key, document, "AUTHORED", date, why))
    return ties


def _placed(
    sentence: Sentence, mentions: list[Spot], entities: dict[str, EntityProposal]
) -> list[Placed]:
    ordered = sorted(mentions)
    return [
        Placed(key, entities[key].kind, start - sentence.start, end - sentence.start)
        for start, end, key in ordered
    ]


def _governing(
    triggers: list[Trigger], placed: list[Placed], groups: list[int], i: int, j: int, text: str
) -> list[Trigger]:
    """The triggers that may type the tie of mentions ``i`` and ``j``: none with another
    mention between it and ``j`` ("visited Sendai as part of the Challenge": "visited" is
    Sendai's, not the Challenge's); members of either one's list do not count."""
    between = [
        placed[k].start
        for k in range(i + 1, j)
        if groups[k] not in (groups[i], groups[j]) and not _one_name(placed[k], placed[k + 1], text)
    ]
    last = max(between, default=-1)
    return [t for t in triggers if t.start >= last]


def _one_name(mention: Placed, following: Placed, text: str) -> bool:
    """Whether two mentions are one name in two forms: "Life Science City Aalborg – Danmarks
    AI-hovedstad", "Tampere University Hospital (Tays)"."""
    return bool(re.fullmatch(r"\s*[–—(]\s*", text[mention.end : following.start]))


def _typed(
    triggers: list[Trigger],
    first: Placed,
    second: Placed,
    entities: dict[str, EntityProposal],
    employers: set[str],
) -> tuple[str, bool, str] | None:
    """Type a pair by the nearest trigger that suits its kinds; an event's parties took part."""
    near = [t for t in _nearest(triggers, first, second) if _close(t, first, second)]
    picked = pick_type(near, first.kind, second.kind)
    if picked:
        return picked[0], picked[1], f"“{picked[2].word}”"
    if (
        "Event" in (first.kind, second.kind)
        and not _is_its_place(first, second, entities)
        and not {first.key, second.key} & employers  # "P, rector of X": X is said in passing
    ):
        fallback = pick_type([Trigger("PARTICIPATED_IN", "", 0)], first.kind, second.kind)
        if fallback:
            return fallback[0], fallback[1], "named in the sentence of the event"
    return None


def _is_its_place(first: Placed, second: Placed, entities: dict[str, EntityProposal]) -> bool:
    """Whether one of the pair is the place the other (an event) happens in."""
    return entities[first.key].located == second.key or entities[second.key].located == first.key


def _close(trigger: Trigger, first: Placed, second: Placed) -> bool:
    low, high = min(first.start, second.start), max(first.end, second.end)
    return low - TRIGGER_REACH <= trigger.start <= high + TRIGGER_REACH


def _nearest(triggers: list[Trigger], first: Placed, second: Placed) -> list[Trigger]:
    """Order triggers by how far they are from the stretch between two mentions."""
    low, high = min(first.start, second.start), max(first.end, second.end)
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
