"""Proposing events from the nouns and verbs that name them: delegations, signings, ceremonies."""

from __future__ import annotations

import re
from dataclasses import dataclass

# The word (stem) in the text -> the noun the event is named by.
EVENT_WORDS = {
    "delegation": "delegation", "delegaatio": "delegation", "delegasjon": "delegation",
    "ceremony": "ceremony", "seremoni": "ceremony", "ceremoni": "ceremony",
    "conference": "conference", "konferanse": "conference", "konference": "conference",
    "seminar": "seminar", "workshop": "workshop", "festival": "festival",
    "opening": "opening", "åpning": "opening", "åbning": "opening", "avajais": "opening",
    "signed": "signing", "signing": "signing", "signert": "signing", "underskrev": "signing",
    "indgået": "signing", "allekirjoit": "signing",
}  # fmt: skip
_WORD = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, EVENT_WORDS)) + r")\w*", re.I)
_PLACE_AFTER = re.compile(r"^\W{0,3}(?:\w+\W+){0,6}?(to|in|at|i|til|på)\s+(the\s+)?$", re.I)
_OBJECT = re.compile(
    r"\b(agreement|memorandum of understanding|mou|cooperation deal|avtale\w*|aftale\w*|"
    r"partnerskab\w*|partnership|sopimu\w*)",
    re.I,
)


@dataclass(frozen=True)
class EventCue:
    """An event a sentence names by a word: its noun, the span of that word, its name's parts."""

    noun: str
    start: int
    end: int


def find_event_words(sentence: str) -> list[EventCue]:
    """Return the event words of a sentence (one per noun), in text order."""
    seen: set[str] = set()
    cues = []
    for match in _WORD.finditer(sentence):
        noun = EVENT_WORDS[match.group(1).lower()]
        if noun not in seen:
            seen.add(noun)
            cues.append(EventCue(noun, match.start(), match.end()))
    return cues


def event_name(sentence: str, cue: EventCue, before: str | None, place: str | None) -> str:
    """Name an event from its noun, who it belongs to (before it) and where (after it)."""
    if cue.noun == "signing":
        thing = _OBJECT.search(sentence)
        head = f"Signing of the {thing.group(1)}" if thing else "Signing"
    else:
        noun = cue.noun
        if noun == "ceremony" and re.search(
            r"\bsign(ed|ing)\b|\bsigner|\bunderskr", sentence, re.I
        ):
            noun = "signing ceremony"
        head = f"{before} {noun}" if before else noun
    name = f"{head} {_preposition(sentence, cue)} {place}" if place else head
    return name[:1].upper() + name[1:]


def _preposition(sentence: str, cue: EventCue) -> str:
    match = re.search(r"\b(to|in|at|i|til|på)\b", sentence[cue.end :], re.I)
    return match.group(1).lower() if match else "in"


def place_after(sentence: str, cue: EventCue, starts: dict[int, str]) -> int | None:
    """Return the start of the place mention that follows the event word ("visit to Oulu")."""
    for start in sorted(starts):
        if start > cue.end and _PLACE_AFTER.match(sentence[cue.end : start]):
            return start
    return None
