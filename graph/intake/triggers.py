"""Trigger words that suggest a tie's type, per language (en, fi, no, da), and how to pick one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.model import ends_problem

# type -> word stems (matched at the start of a word, case folded).
TRIGGERS: dict[str, tuple[str, ...]] = {
    "AGREEMENT": ("agreement", "memorandum", "mou", "deal", "contract", "signed", "sign",
                  "renew", "renewal", "extend", "avtale", "aftale", "sopimu", "sopimukse",
                  "allekirjoit", "uudist", "fornye", "forny", "indgået", "underskrev",
                  "partnerskab", "partnership"),
    "PARTNER_IN": ("partner", "partnere", "partnerskab", "kumppan", "participating in",
                   "part of the project", "deltager i"),
    "MEMBER_OF": ("member", "membership", "medlem", "jäsen"),
    "FUNDS": ("fund", "financ", "finansier", "rahoit", "budget", "sponsor", "grant", "tilskud",
              "støtte"),
    "VISITED": ("visit", "delegation", "besøk", "besøg", "vierail", "delegaat"),
    "PARTICIPATED_IN": ("participat", "attend", "joined", "took part", "deltok", "deltog",
                        "deltager", "osallistu", "showcas", "gathered", "samlet", "included",
                        "gave a presentation", "presented", "as part of", "som del av",
                        "som en del af", "osana"),
    "ORGANISED": ("organis", "organiz", "arrang", "järjest", "hold a", "will hold", "run by",
                  "program organized"),
    "HOSTS": ("host", "welcom", "held at", "held in", "vertskap", "værtskab"),
    "FOUNDED": ("found", "establish", "etabler", "grunnlegg", "grundlag", "perust", "launch",
                "set up", "skapt", "igangsat"),
    "COORDINATES": ("coordinat", "koordin", "organized by", "organised by", "run by",
                    "led by", "ledes av", "ledet af", "vetää", "organisert av", "arrangeret af"),
    "PART_OF": ("part of", "del av", "del af", "osa "),
    "PARTY_TO": ("partnerskab", "partnership", "party to"),
}  # fmt: skip


@dataclass(frozen=True)
class Trigger:
    """A trigger word found in a sentence: the type it suggests and where it is."""

    type: str
    word: str
    start: int


def find_triggers(sentence: str) -> list[Trigger]:
    """Return every trigger in ``sentence``, in text order."""
    lowered = sentence.casefold()
    found = []
    for rel_type, stems in TRIGGERS.items():
        for stem in stems:
            for match in re.finditer(r"(?<!\w)" + re.escape(stem), lowered):
                end = lowered.find(" ", match.end())
                word = sentence[match.start() : end if end > 0 else len(sentence)].strip(',.;:”"')
                found.append(Trigger(rel_type, word.strip() or stem, match.start()))
    return sorted(found, key=lambda t: t.start)


def pick_type(
    triggers: list[Trigger], first_kind: str, second_kind: str
) -> tuple[str, bool, Trigger] | None:
    """Return the first trigger type that may join the kinds, whether reversed, and the trigger."""
    for trigger in triggers:
        if ends_problem(trigger.type, first_kind, second_kind) is None:
            return trigger.type, False, trigger
        if ends_problem(trigger.type, second_kind, first_kind) is None:
            return trigger.type, True, trigger
    return None
