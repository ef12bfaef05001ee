"""Finding dates in a sentence, as ISO prefixes, by hand rules for en, fi, no, da and ja forms.

Hand rules rather than dateparser: they give partial dates ("2019-11", "2005") as the model
stores them, cost microseconds per sentence, and need no data at run time. They read day-month-
year forms in the five languages, month-year, bare years 1900-2099, "07.10.2022", ISO dates and
Japanese 2019年11月13日; they do not resolve relative dates ("last June", "next year").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    # English
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    # Norwegian / Danish
    "januar": 1, "februar": 2, "mars": 3, "marts": 3, "mai": 5, "maj": 5, "juni": 6,
    "juli": 7, "oktober": 10, "desember": 12,
    # Finnish (nominative and the partitive used in dates)
    "tammikuu": 1, "helmikuu": 2, "maaliskuu": 3, "huhtikuu": 4, "toukokuu": 5,
    "kesäkuu": 6, "heinäkuu": 7, "elokuu": 8, "syyskuu": 9, "lokakuu": 10,
    "marraskuu": 11, "joulukuu": 12,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")(?:ta|n)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
PATTERNS = [
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<monthn>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)年(?:(?P<monthn>\d{1,2})月(?:(?P<day>\d{1,2})日)?)?"),
    re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<monthn>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b,?\s*{_YEAR}?", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+{_YEAR}", re.IGNORECASE),
    re.compile(rf"\b{_YEAR}\b"),
]


@dataclass(frozen=True)
class FoundDate:
    """A date found in text: its ISO prefix (year only when the day or month is not given)."""

    iso: str
    start: int
    end: int


def find_dates(text: str, default_year: str | None = None) -> list[FoundDate]:
    """Return the dates in ``text``, longest forms first where they overlap, in text order."""
    found: list[FoundDate] = []
    taken: list[range] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            span = range(match.start(), match.end())
            if any(span.start < t.stop and t.start < span.stop for t in taken):
                continue
            iso = _iso(match.groupdict(), default_year)
            if iso:
                found.append(FoundDate(iso, match.start(), match.end()))
                taken.append(span)
    return sorted(found, key=lambda d: d.start)


def _iso(parts: dict[str, str | None], default_year: str | None) -> str | None:
    year = parts.get("year") or default_year
    if not year:
        return None
    month_name = (parts.get("month") or "").lower()
    month = MONTHS.get(month_name) or int(parts.get("monthn") or 0)
    if not 0 <= month <= 12:
        return None
    if not month:
        return year
    day = int(parts.get("day") or 0)
    if not 0 <= day <= 31:
        return None
    return f"{year}-{month:02d}" + (f"-{day:02d}" if day else "")


PUBLISHED = re.compile(
    r"(published|julkaistu|publisert|publiceret|sist oppdatert|oppdatert|opdateret|updated|"
    r"päivitetty)\D{0,20}",
    re.IGNORECASE,
)


def published_date(text: str) -> str | None:
    """Return the date a document says it was published or updated ("Sist oppdatert …")."""
    for match in PUBLISHED.finditer(text):
        dates = find_dates(text[match.end() : match.end() + 40])
        if dates:
            return dates[0].iso
    return None
