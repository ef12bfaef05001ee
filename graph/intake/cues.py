"""Cue words that say what kind of entity a name is, or that a person holds a role (en/fi/no/da)."""

from __future__ import annotations

import re

# A word in (or ending) a name that gives its kind; matched on whole words or word endings.
KIND_ENDINGS: dict[str, tuple[str, ...]] = {
    "Hospital": ("hospital", "hospitals", "sykehus", "sykehuset", "sygehus", "sygehuset",
                 "sairaala", "universitetshospital", "hospitalet", "klinikum"),
    "University": ("university", "universitet", "universitetet", "yliopisto", "ammattikorkeakoulu",
                   "college", "högskola", "høgskole", "hochschule"),
    "Company": ("oy", "oyj", "as", "asa", "a/s", "aps", "ab", "ltd", "inc", "gmbh", "corp",
                "llc", "plc", "economics", "technologies", "solutions", "systems"),
    "Organisation": ("council", "agency", "organization", "organisation", "association",
                     "foundation", "ministry", "commission", "kommissionen", "division",
                     "faculty", "fakultet", "fakultetet", "department", "liitto", "klinikken",
                     "forum", "tech", "cluster", "chamber", "institute", "instituttet",
                     "forskningsparken", "business", "hack", "authority", "virasto",
                     "toimiala", "direktoratet", "styrelsen"),
    "Programme": ("project", "programme", "program", "lab", "labs", "testbed", "testlab",
                  "incubator", "initiative", "arena", "prosjektet", "projektet", "hanke",
                  "concept", "platform", "accelerator", "network", "partnership"),
    "Event": ("festival", "conference", "show", "camp", "seminar", "summit", "fair",
              "workshop", "hackathon", "konferanse", "konference", "messe", "expo", "week",
              "ceremony", "seminaret", "seminarer"),
    "Region": ("prefecture", "region", "prefectural", "fylke", "fylkeskommune", "maakunta",
               "county"),
    "Document": ("report", "rapport", "rapporten", "raportti", "white paper", "strategy",
                 "strategi"),
    "City": ("city", "kommune", "kaupunki", "municipality", "town"),
}  # fmt: skip

# Words before a name that make it a place or a person of a role.
CITY_BEFORE = ("city of", "town of", "in the city of", "byen")
ROLE_WORDS = frozenset(
    """mayor vice director ceo coo cto cfo chair chairman president professor prof prof. dr dr.
    doctor rector rektor dean dekan advisor adviser manager head minister governor
    ordfører ordføreren borgmester borgermester regionsrådsformand regionsrådsformanden
    klinikkleder sykehusdirektør sykehusdirektor direktør direktor kommunikasjonssjef
    spesialrådgiver projektleder prosjektleder næringsbyråd byråd pormestari johtaja
    toimitusjohtaja rehtori professori senior text tekst foto photo photos photographer
    kirjoittaja image bilde""".split()
)
SPEECH_WORDS = frozenset("says said sier sa siger sagde sanoo kertoo explains continues".split())

# Capitalised words that begin sentences or are not names (en, no, da, fi).
NOT_NAMES = frozenset(
    """the a an in on at of for to and or but by with from as this that these those it its
    our we they he she his her their there here when while during after before since until
    also however recently now then today yesterday tomorrow last next first second third
    looking lots plans instead likewise indirectly expanding addressing collaboration
    typical signing through maybe memorandum at what how why where who which all both each many some
    det den de der dette disse en et ei og i på med for til fra som vi jeg hun han
    hva hvor hvert hvordan når nu nå sammen første andre ved derfor derudover specielt
    med mens samt efter etter kommentarer mobil opdateret sist fra bilde tekst foto
    arenaen sykehusene sykehuset interaktionen udfordringen partnerskabet afsættet
    offisiell official skape vinn norske norsk dansk danske finnish japanese
    årets året hvert hver kontaktpersoner artikkelikuva kuva
    ja on se ne että tämä nämä kun myös mutta jaa julkaistu
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    eur usd nok dkk sek jpy ai ict iot it mou
    one two three four five six seven eight nine ten twelve fifteen twenty dozens hundreds
    tre fire fem seks sju syv åtte otte tolv femten tjue tyve kaksi kolme neljä viisi""".split()
)

KIND_WORD = {word: kind for kind, words in KIND_ENDINGS.items() for word in words}
_WORD = re.compile(r"[\w/!.]+", re.UNICODE)


def kind_from_cues(name: str) -> tuple[str | None, str | None]:
    """Return the kind a name's own words give and the cue word, or (None, None)."""
    lowered = name.casefold()
    words = _WORD.findall(lowered)
    for kind, cues in KIND_ENDINGS.items():
        for cue in cues:
            if " " in cue and cue in lowered:
                return kind, cue
    for index, word in enumerate(reversed(words)):
        for kind, cues in KIND_ENDINGS.items():
            if kind == "City" and index and word in cues:
                continue  # "Life Science City Aalborg" is no city; "Sendai City" is
            if word in cues or any(
                len(word) > len(c) + 2 and word.endswith(c) for c in cues if len(c) >= 6
            ):
                return kind, word
    return None, None
