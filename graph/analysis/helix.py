"""Helix sectors: which part of an innovation ecosystem each kind of entity belongs to.

The quintuple helix, derived from the entity's kind (its label) alone:

| kind | sector |
| --- | --- |
| University | academia |
| Company | industry |
| City, Region, Country, Organisation | government |
| Hospital | health care |
| (none yet) | civil society |
| Programme, Event, Person | no sector: they are vehicles of ties, not parties of a helix |

Organisation maps to government because the model keeps agencies, funders, public bodies,
departments and prefectural governments under it. No kind maps to civil society yet: the
model has no label for associations or citizens' groups. Entities without a sector can still
broker (as liaisons between sectors) but are not counted as the ends of a brokered pair.
"""

from __future__ import annotations

SECTORS = ("academia", "industry", "government", "health care", "civil society")
SECTOR_OF_KIND = {
    "University": "academia",
    "Company": "industry",
    "City": "government",
    "Region": "government",
    "Country": "government",
    "Organisation": "government",
    "Hospital": "health care",
}
# How a sentence names each sector's part of an ecosystem.
PART_NAMES = {
    "academia": "university",
    "industry": "industry",
    "government": "government",
    "health care": "health care",
    "civil society": "civil society",
}
NO_SECTOR = -1


def sector_of(kind: str) -> str | None:
    """Return the helix sector of an entity of this kind, or None."""
    return SECTOR_OF_KIND.get(kind)


def sector_index(kind: str) -> int:
    """Return the sector's position in SECTORS, or NO_SECTOR."""
    sector = SECTOR_OF_KIND.get(kind)
    return SECTORS.index(sector) if sector else NO_SECTOR
