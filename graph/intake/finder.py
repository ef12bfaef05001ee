"""Proposing new entities: runs of capitalised words, split at roles, typed by cue words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.intake.cues import (
    KIND_ENDINGS,
    NOT_NAMES,
    ROLE_WORDS,
    SPEECH_WORDS,
    kind_from_cues,
)
from graph.intake.lexicon import fold
from graph.intake.places import city_country

_TOKEN = re.compile(r"[^\W_][\w'’&/!\-–]*[\w!]|[^\W_]|&")
CONNECTORS = frozenset({"of", "for", "and", "&", "og", "ja", "de", "du", "la", "der", "von", "van"})
TRAILING_CUES = tuple(
    cue for kind in ("Hospital", "University", "City", "Document", "Organisation")
    for cue in KIND_ENDINGS[kind] if len(cue) >= 6 or cue == "kommune"
)  # fmt: skip
# A lowercase noun right after a name that says its kind ("the CoHeWe project").
KIND_AFTER = {
    "project": "Programme",
    "programme": "Programme",
    "program": "Programme",
    "initiative": "Programme",
    "initiatives": "Programme",
    "incubator": "Programme",
    "concept": "Programme",
    "platform": "Programme",
    "ecosystem": "Programme",
    "prosjektet": "Programme",
    "projektet": "Programme",
    "hanke": "Programme",
    "satsning": "Programme",
    "satsing": "Programme",
    "arena": "Programme",
    "prosjekt": "Programme",
    "projekt": "Programme",
    "network": "Programme",
    "events": "Programme",
    "conference": "Event",
    "festival": "Event",
    "seminar": "Event",
    "company": "Company",
    "startup": "Company",
    "selskap": "Company",
    "yritys": "Company",
    "university": "University",
    "hospital": "Hospital",
}
# "Health2B er sykehusets satsning", "X is a new project": the noun after "is" gives the kind.
COPULA = re.compile(
    r"\s+(?:is|was|er|var|on|oli|är)\s+(?:(?:an?|the|en|et|ei|et|uusi|new|ny|nytt)\s+)?"
    r"(?:[^\W\d_]+(?:s|ns|n)\s+)?([^\W\d_]+)",
    re.I,
)
# "the Challenge, a program organized by …": the noun of the apposition gives the kind.
APPOSITIVE = re.compile(r",\s+(?:an?|the|en|et|ei)\s+(?:new\s+|ny\w*\s+)?([^\W\d_]+)", re.I)
BASED = re.compile(r"[-–](based|baserte|baseret|baserede|pohjainen|lähtöinen)$", re.I)
PLACE_BEFORE = frozenset("in i from fra to til at på".split())
COMPANY_LIST = re.compile(
    r"\b(compan(y|ies)|startups?|selskap(er|ene)?|virksomhed(er)?|yritykse[tn]|yritys|firms?)\b",
    re.I,
)


@dataclass
class Candidate:
    """A name that may be a new entity: where it is, its guessed kind and how sure, and why."""

    start: int
    end: int
    name: str
    kind: str
    confidence: float
    reason: str
    aliases: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper() or (
            any(c.isdigit() for c in self.text) and any(c.isupper() for c in self.text)
        )


# Capitalised phrases that name no entity of the model: agreements' names, buildings.
NOT_ENTITIES = re.compile(
    r"\b(Memorandum of Understanding|Letter of Intent|(City|Town) Hall|Rådhus\w*)\b", re.I
)


def find_candidates(
    sentence: str, offset: int, lowercase_words: set[str], named: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Return the new-entity candidates of one sentence (offsets into the whole text);
    ``named`` holds the (folded) names the document has already given an entity."""
    masked = NOT_ENTITIES.sub(lambda m: m.group().lower(), sentence)
    tokens = [_Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(masked)]
    found: list[Candidate] = []
    for run in _runs(sentence, tokens):
        for part, role in _split(run):
            candidate = _candidate(sentence, tokens, part, role, lowercase_words, named)
            if candidate:
                found.append(candidate)
    _name_units_after_owners(sentence, found)
    for candidate in found:
        candidate.start += offset
        candidate.end += offset
    return found


UNIT_CUES = ("division", "department", "faculty", "fakultet", "klinikken", "unit", "toimiala",
             "avdeling", "afdeling", "clinic")  # fmt: skip


def _name_units_after_owners(sentence: str, found: list[Candidate]) -> None:
    """Name a unit with its owner: "the City of Helsinki’s Social Services Division" is the
    City of Helsinki Social Services Division."""
    for owner, unit in zip(found, found[1:], strict=False):
        possessive = re.fullmatch(r"['’]s?\s+", sentence[owner.end : unit.start])
        cue = kind_from_cues(unit.name)[1]
        if possessive and unit.kind == "Organisation" and cue in UNIT_CUES:
            owner_name = owner.aliases[0] if owner.aliases else owner.name
            unit.name = f"{owner_name} {unit.name}"
            unit.reason = f"a unit (“{cue}”) of {owner_name}"


def _runs(sentence: str, tokens: list[_Token]) -> list[list[_Token]]:
    """Group tokens into runs of capitalised words joined by spaces and connectors."""
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for index, token in enumerate(tokens):
        joined = bool(current) and _only_space(sentence[current[-1].end : token.start])
        if token.capital or _trailing_cue(token, current, joined):
            if current and not joined:
                runs.append(current)
                current = []
            current.append(token)
        elif (
            token.text.lower() in ("og", "and", "ja", "und")
            and current
            and sentence[current[-1].end : current[-1].end + 1] in "-–"
            and index + 1 < len(tokens)
        ):  # fmt: skip  "Teknologi- og innovasjonsklinikken"
            current.append(token)
        elif (
            token.text.lower() in CONNECTORS and current and joined
            and index + 1 < len(tokens) and tokens[index + 1].capital
            and _only_space(sentence[token.end : tokens[index + 1].start])
        ):  # fmt: skip
            current.append(token)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _only_space(gap: str) -> bool:
    return gap in (" ", "\u00a0") or (gap.strip() == "" and "\n" not in gap and len(gap) < 3)


def _trailing_cue(token: _Token, current: list[_Token], joined: bool) -> bool:
    word = token.text.lower()
    return bool(current) and joined and any(word.endswith(cue) for cue in TRAILING_CUES)


def _split(run: list[_Token]) -> list[tuple[list[_Token], str | None]]:
    """Split a run at role words ("Mayor of Oulu Ari Alatossava"), possessives, "X-based"
    and "and" (unless the whole run is one name ending in a kind word)."""
    parts: list[tuple[list[_Token], str | None]] = []
    current: list[_Token] = []
    role: str | None = None
    index = 0
    while index < len(run):
        token = run[index]
        word = token.text.lower().rstrip(".")
        if word in ROLE_WORDS or f"{word}." in ROLE_WORDS:
            _flush(parts, current, role)
            current, role = [], token.text
            if index + 2 < len(run) and run[index + 1].text.lower() in ("of", "for", "at"):
                rest = run[index + 2 :]
                parts.extend(_employer_then_person(rest))
                return parts
        elif BASED.search(token.text) or (
            token.text.endswith(("'s", "’s")) and index + 1 < len(run)
        ):
            current.append(token)
            _flush(parts, current, role)
            current, role = [], None
        elif word in ("and", "og", "ja", "&") and _splits_at_and(
            current, _up_to_possessive(run[index + 1 :])
        ):
            _flush(parts, current, role)
            current = []
        else:
            current.append(token)
        index += 1
    _flush(parts, current, role)
    return parts


def _up_to_possessive(tokens: list[_Token]) -> list[_Token]:
    for index, token in enumerate(tokens):
        if token.text.endswith(("'s", "’s")):
            return tokens[: index + 1]
    return tokens


def _splits_at_and(left: list[_Token], right: list[_Token]) -> bool:
    """Whether "A and B" names two things: yes unless only B ends in a kind word (one name)."""
    has = [kind_from_cues(" ".join(t.text for t in side))[0] is not None for side in (left, right)]
    place = len(left) == 1 and city_country(left[0].text) is not None  # "in Sendai and Oulu …"
    return has[0] or not has[1] or place


def _employer_then_person(rest: list[_Token]) -> list[tuple[list[_Token], str | None]]:
    """Split "Oulu Ari Alatossava" after "Mayor of" into the employer and the person."""
    has_cue = kind_from_cues(" ".join(t.text for t in rest))[0] is not None
    if has_cue or len(rest) < 3:
        return [(rest, None)]
    return [(rest[:-2], None), (rest[-2:], "role")]


def _flush(parts: list, current: list[_Token], role: str | None) -> None:
    while current and (
        current[0].text.lower() in NOT_NAMES or current[0].text.lower() in CONNECTORS
    ):
        current = current[1:]
    while (
        current
        and current[-1].text.lower() in CONNECTORS | NOT_NAMES
        and not (len(current) > 1 and current[-1].text.isupper())  # "Alfa Medtech AS", not "as"
    ):
        current = current[:-1]
    if current:
        parts.append((current, role))


def _candidate(
    sentence: str,
    tokens: list[_Token],
    part: list[_Token],
    role: str | None,
    lowercase_words: set[str],
    named: frozenset[str] = frozenset(),
) -> Candidate | None:
    start, end = part[0].start, part[-1].end
    name = sentence[start:end]
    based = BASED.search(name)
    if based:
        end -= len(based.group())
        name = sentence[start:end]
    name = re.sub(r"(['’]s)$", "", name)
    end = start + len(name)
    if _not_a_name(sentence, part, name, lowercase_words):
        return None
    if len(part) == 1 and part[0].text.lower() in lowercase_words and _named_kind(sentence, part):
        # "the Challenge, a program": a common word named as a thing, its article in its name
        lowercase_words.discard(part[0].text.lower())  # from now on a name, not a word
        return Candidate(start - 4, end, sentence[start - 4 : end], "Programme", 0.75,
                         "named as a programme", [name])  # fmt: skip
    city_of = re.match(r"(?:City|Town) of (\S+)$", name)
    if city_of:
        return Candidate(
            start + len(name) - len(city_of.group(1)),
            end,
            city_of.group(1),
            "City",
            0.85,
            "“City of” before it",
            [name],
        )
    kind, cue = kind_from_cues(name)
    if based:
        return Candidate(start, end, name, "City", 0.7, f"“{based.group()}” after it")
    if kind:
        return Candidate(start, end, name, kind, 0.8, f"the word “{cue}”")
    after = sentence[end:]
    for noun in (
        re.match(r"[\s\-–]+([^\W\d_]+)", after),
        COPULA.match(after),
        APPOSITIVE.match(after),
    ):
        if noun and noun.group(1).lower() in KIND_AFTER:
            word = noun.group(1).lower()
            return Candidate(start, end, name, KIND_AFTER[word], 0.75, f"“{word}” after it")
    found = _kind_from_context(sentence, tokens, part, start, end, name, role)
    acronym = name.isupper() and name.isalpha() and len(name) >= 3
    again = fold(name) in named  # a name the document gave before, now opening a sentence
    if (
        found.confidence < 0.4
        and len(part) == 1
        and _first_word(sentence, start)
        and not (acronym or again)
    ):
        return None  # one capitalised word opening a sentence, nothing else to go on
    return found


def _named_kind(sentence: str, part: list[_Token]) -> bool:
    """Whether a capitalised common word is named as a thing: "the Challenge, a program"."""
    match = APPOSITIVE.match(sentence[part[-1].end :])
    before = sentence[: part[0].start].rstrip().lower()
    return bool(match and match.group(1).lower() in KIND_AFTER and before.endswith("the"))


def _not_a_name(sentence: str, part: list[_Token], name: str, lowercase_words: set[str]) -> bool:
    if len(name) < 2 or name.isdigit() or fold(name) in NOT_NAMES or not part[0].capital:
        return True
    if (
        len(part) == 1
        and part[0].text.lower() in lowercase_words
        and not _named_kind(sentence, part)
    ):
        return True  # a common word capitalised at the start of a sentence
    if re.search(r"['’](ve|re|ll|m|d|t)$", name, re.I):
        return True  # a contraction: I’ve, We’re
    return not any(ch.isalpha() for ch in name)


def _kind_from_context(
    sentence: str,
    tokens: list[_Token],
    part: list[_Token],
    start: int,
    end: int,
    name: str,
    role: str | None,
) -> Candidate:
    before = sentence[max(0, start - 40) : start].split()
    after = sentence[end : end + 40]
    words = name.split()
    person_shape = 2 <= len(words) <= 4 and all(w[:1].isupper() and w[1:].islower() for w in words)
    if role and person_shape:
        return Candidate(start, end, name, "Person", 0.85, f"the role “{role}” before it")
    if person_shape and (re.match(r"\s*,\s*\w", after) or _speech_near(before, after)):
        return Candidate(start, end, name, "Person", 0.75, "a role or “says” beside it")
    if person_shape:
        return Candidate(start, end, name, "Person", 0.5, "two to four names in a row")
    if before and before[-1].lower() in PLACE_BEFORE and len(words) == 1 and city_country(name):
        return Candidate(start, end, name, "City", 0.55, f"“{before[-1]}” before it")
    if COMPANY_LIST.search(sentence):
        return Candidate(start, end, name, "Company", 0.5, "a sentence about companies")
    return Candidate(start, end, name, "Organisation", 0.3, "a capitalised name, no cue word")


def _first_word(sentence: str, start: int) -> bool:
    """Whether a name starts its sentence (after an opening quote or dash)."""
    return not sentence[:start].strip(" “”\"'‘’«»-–—([")


def _speech_near(before: list[str], after: str) -> bool:
    next_words = after.split()[:2]
    return any(w.lower().strip(",.:") in SPEECH_WORDS for w in before[-2:] + next_words)
