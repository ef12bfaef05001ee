"""Ties read from a sentence's shape rather than a trigger word: places, employers, lists.

- "X-based A, B and C", "X’s A", "A in X", "A, X" (X a place): A (and its list) LOCATED_IN X.
- "P, the Director of O", "O’s Vice Mayor P", "Mayor of O P", "O Director P": P WORKS_AT O.
- Mentions in one list ("A, B and C") are siblings: no tie is proposed between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.intake.cues import ROLE_WORDS
from graph.model import ends_problem

LIST_GAP = re.compile(
    r"^(\s+(incubator|project|programme|initiative|company|startup|platform|prosjekt|"
    r"prosjektet|projekt|projektet|hanke|yritys|selskap))?"  # "Oyster incubator, StartupStation"
    r"\s*(,|;|,?\s*(and|og|ja|samt|&|or|eller|sekä))\s*(the\s+)?((city|town) of\s+)?$",
    re.I,
)
IN_GAP = re.compile(
    r"^(\s*,\s*(an?|the|en|et|ei)?\s*([^\W\d_]+\s+){0,3}?)?"  # ", a new testbed"
    r"\s*(in|i|at|på|ved)\s+(the\s+)?(city\s+of\s+)?$",
    re.I,
)
BASED_GAP = re.compile(r"^[-–](based|baserte|baseret)\b[^,.;]{0,40}?[;:]?\s*$", re.I)
POSSESSIVE_GAP = re.compile(r"^['’]s?\s+(\w+\s+){0,2}$")
APPOSITION_GAP = re.compile(r"^\s*,\s*$")
ROLE_AFTER = re.compile(r"^\s*,?\s*(the\s+)?(?P<words>((?!(?:and|og|ja)\s)[\w\-–.]+\s+){0,4}?)"
                        r"(of|at|in|i|for|ved|hos|på)?\s*$", re.I)  # fmt: skip
ROLE_BEFORE = re.compile(r"^(['’]s)?\s+(?P<words>([\w\-–.]+\s+){1,3})$", re.I)
PLACES = ("City", "Region", "Country")
TOGETHER = re.compile(
    r"^[^.;:]{0,30}?\b(worked together|work together|collaborat\w*|cooperat\w*|samarbeid\w*|"
    r"samarbejd\w*|yhteistyö\w*|jointly)",
    re.I,
)
WITH_GAP = re.compile(
    r"\b(in collaboration with|in cooperation with|together with|i samarbeid med|"
    r"i samarbejde med|sammen med|yhteistyössä)\s+(the\s+)?((city|town) of\s+)?$",
    re.I,
)


@dataclass(frozen=True)
class Placed:
    """An entity mention in a sentence: its key, kind and span (offsets in the sentence)."""

    key: str
    kind: str
    start: int
    end: int


def siblings(mentions: list[Placed], text: str) -> list[int]:
    """Give each mention the number of the list it belongs to (a lone mention: its own)."""
    groups: list[int] = []
    for index, mention in enumerate(mentions):
        gap = text[mentions[index - 1].end : mention.start] if index else ""
        if index and mention.start == mentions[index - 1].start:
            groups.append(groups[-1])  # one phrase for several ("the founders")
        elif (
            index
            and LIST_GAP.match(gap)
            and (
                mentions[index - 1].kind == mention.kind
                or mention.kind not in PLACES
                or _inside_list(mentions, index, text)
            )
        ):
            groups.append(groups[-1])
        else:
            groups.append(index)
    return groups


def _inside_list(mentions: list[Placed], index: int, text: str) -> bool:
    """Whether a place sits inside a list of parties ("A, the City of B, C"): not at its end,
    where "A, Oulu" says where A is."""
    following = mentions[index + 1] if index + 1 < len(mentions) else None
    return (
        following is not None
        and following.kind not in PLACES
        and bool(LIST_GAP.match(text[mentions[index].end : following.start]))
    ) or text[: mentions[index].start].rstrip().lower().endswith(("the city of", "the", "and"))


def structural_ties(mentions: list[Placed], text: str) -> list[tuple[str, str, str, str]]:
    """Return (from key, to key, type, why) for the ties the sentence's shape states."""
    groups = siblings(mentions, text)
    ties = []
    for index, mention in enumerate(mentions):
        if index + 1 >= len(mentions):
            break
        following = mentions[index + 1]
        gap = text[mention.end : following.start]
        ties += _located(mention, following, gap, mentions, groups, index)
        ties += _works_at(mention, following, gap, text)
        ties += _unit_of(mention, following, gap, text)
        ties += _together(mentions, groups, index, text)
    return [
        tie
        for tie in ties
        if ends_problem(tie[2], _kind(mentions, tie[0]), _kind(mentions, tie[1])) is None
    ]


def _kind(mentions: list[Placed], key: str) -> str:
    return next(m.kind for m in mentions if m.key == key)


def _located(
    mention: Placed,
    following: Placed,
    gap: str,
    mentions: list[Placed],
    groups: list[int],
    index: int,
) -> list[tuple[str, str, str, str]]:
    if mention.kind in PLACES and (BASED_GAP.match(gap) or POSSESSIVE_GAP.match(gap)):
        group = groups[index + 1]
        members = [m for i, m in enumerate(mentions) if groups[i] == group and i > index]
        why = "“-based”" if BASED_GAP.match(gap) else "a place’s possessive"
        part = POSSESSIVE_GAP.match(gap) and following.kind == "Organisation"
        if part:  # a city's agency or division is part of it
            return [(following.key, mention.key, "PART_OF", "a place’s possessive")]
        return [(m.key, mention.key, "LOCATED_IN", why) for m in members if m.kind not in PLACES]
    if following.kind in PLACES and IN_GAP.match(gap) and mention.kind != "Person":
        return [(mention.key, following.key, "LOCATED_IN", f"“{gap.strip()}”")]
    if (
        mention.kind in ("City", "Region")
        and following.kind == "Country"
        and APPOSITION_GAP.match(gap)
    ):
        return [(mention.key, following.key, "LOCATED_IN", "“place, country”")]
    return []


UNIT_WORDS = re.compile(
    r"(division|department|faculty|fakultet\w*|klinikk\w*|klinik\w*|clinic|unit|avdeling\w*|"
    r"afdeling\w*|toimiala|tiedekunta|institutt\w*|institut)$",
    re.I,
)


def _unit_of(
    mention: Placed, following: Placed, gap: str, text: str
) -> list[tuple[str, str, str, str]]:
    """ "Faculty of Medicine, Aalborg University": a unit, then what it belongs to."""
    if (
        mention.kind == "Organisation"
        and following.kind in ("Hospital", "University", "Organisation", "Company")
        and APPOSITION_GAP.match(gap)
        and UNIT_WORDS.search(text[mention.start : mention.end])
    ):
        return [(mention.key, following.key, "PART_OF", "“unit, organisation”")]
    return []


def _works_at(
    mention: Placed, following: Placed, gap: str, text: str
) -> list[tuple[str, str, str, str]]:
    if mention.kind == "Person" and following.kind != "Person":
        match = ROLE_AFTER.match(gap)
        if match and _has_role(match.group("words")):
            return [(mention.key, following.key, "WORKS_AT", f"“{match.group('words').strip()}”")]
    if following.kind == "Person" and mention.kind != "Person":
        match = ROLE_BEFORE.match(gap)
        if match and _has_role(match.group("words")):
            return [(following.key, mention.key, "WORKS_AT", f"“{match.group('words').strip()}”")]
        before = text[max(0, mention.start - 20) : mention.start].lower().split()
        if (
            not gap.strip()
            and len(before) >= 2
            and before[-1] in ("of", "for", "i")
            and _has_role(before[-2])
        ):
            return [(following.key, mention.key, "WORKS_AT", f"“{before[-2]} {before[-1]}”")]
    return []


def _together(
    mentions: list[Placed], groups: list[int], index: int, text: str
) -> list[tuple[str, str, str, str]]:
    """ "A and B have worked together"; "A … in collaboration with B": COLLABORATES_WITH."""
    mention, following = mentions[index], mentions[index + 1]
    ties = []
    if groups[index] == groups[index + 1] and (
        index + 2 == len(mentions) or groups[index + 2] != groups[index]
    ):
        members = [m for i, m in enumerate(mentions) if groups[i] == groups[index]]
        if len(members) == 2 and TOGETHER.match(text[following.end :]):
            ties.append((members[0].key, members[1].key, "COLLABORATES_WITH", "“together”"))
    said = WITH_GAP.search(text[mention.end : following.start])
    if said and groups[index] != groups[index + 1]:
        subject = _subject_before(mentions, index)
        why = f"“{said.group(1)}”"
        listed = [m for i, m in enumerate(mentions) if groups[i] == groups[index + 1]]
        if subject.kind == "Programme":  # "the initiative is run in collaboration with A, B"
            ties += [(m.key, subject.key, "PARTNER_IN", why) for m in listed]
        else:
            ties.append((subject.key, following.key, "COLLABORATES_WITH", why))
    return ties


def _subject_before(mentions: list[Placed], index: int) -> Placed:
    """The one doing something: not a place said in passing ("Lab, a testbed in Tampere, …")."""
    for mention in reversed(mentions[: index + 1]):
        if mention.kind not in PLACES:
            return mention
    return mentions[index]


def _has_role(words: str) -> bool:
    return any(w.lower().strip(",.").replace("-", "") in ROLE_WORDS for w in words.split())
