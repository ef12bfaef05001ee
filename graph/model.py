"""The ecosystem model: node labels, relationship types and the fields each may carry."""

from __future__ import annotations

import calendar
import re

NODE_LABELS = (
    "City",
    "Region",
    "Country",
    "Hospital",
    "University",
    "Company",
    "Programme",
    "Organisation",
    "Person",
    "Event",
)
RELATIONSHIP_TYPES = (
    "AGREEMENT",
    "PARTNER_IN",
    "MEMBER_OF",
    "FUNDS",
    "LOCATED_IN",
    "WORKS_AT",
    "PARTICIPATED_IN",
    "VISITED",
    "ORGANISED",
    "COLLABORATES_WITH",
    "FOUNDED",
    "COORDINATES",
    "PART_OF",
    "HOSTS",
)

TEXT, TEXT_LIST, DATE, NUMBER, REF, REF_LIST, COUNTRY, CURRENCY, LANGUAGE = (
    "text",
    "list of text",
    "date",
    "number",
    "id",
    "list of ids",
    "country",
    "currency",
    "language",
)

EVIDENCE_FIELDS = {"source": REF, "evidence": TEXT, "evidence_en": TEXT, "note": TEXT}

NODE_FIELDS = {
    "id": REF,
    "name": TEXT,
    "local_name": TEXT,
    "aliases": TEXT_LIST,
    "country": COUNTRY,
    "sectors": TEXT_LIST,
    "description": TEXT,
    "date": DATE,
    "start": DATE,
    "end": DATE,
    "budget": NUMBER,
    "currency": CURRENCY,
    **EVIDENCE_FIELDS,
}
RELATIONSHIP_FIELDS = {
    "id": REF,
    "from": REF,
    "to": REF,
    "kind": TEXT,
    "signed": DATE,
    "valid_from": DATE,
    "valid_until": DATE,
    "renews": REF,
    "signatories": REF_LIST,
    "place": REF,
    "role": TEXT,
    "title": TEXT,
    "since": DATE,
    "until": DATE,
    "date": DATE,
    "amount": NUMBER,
    "currency": CURRENCY,
    "sectors": TEXT_LIST,
    "description": TEXT,
    **EVIDENCE_FIELDS,
}
SOURCE_FIELDS = {
    "id": REF,
    "file": TEXT,
    "title": TEXT,
    "publisher": TEXT,
    "language": LANGUAGE,
    "published": DATE,
    "author": TEXT,
    "url": TEXT,
}

NODE_REQUIRED = ("id", "name", "source", "evidence")
RELATIONSHIP_REQUIRED = ("id", "from", "to", "source", "evidence")
SOURCE_REQUIRED = ("id", "file", "title", "language")

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
PATTERNS = {
    COUNTRY: (re.compile(r"[A-Z]{2}\Z"), "an ISO 3166 alpha-2 code such as FI"),
    CURRENCY: (re.compile(r"[A-Z]{3}\Z"), "an ISO 4217 code such as EUR"),
    LANGUAGE: (re.compile(r"[a-z]{2}\Z"), "an ISO 639-1 code such as en"),
}
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


def is_partial_date(text: str) -> bool:
    """Whether ``text`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real date."""
    match = _DATE.match(text)
    if not match:
        return False
    year, month, day = match.groups()
    if month is None:
        return True
    if not 1 <= int(month) <= 12:
        return False
    return day is None or 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]
