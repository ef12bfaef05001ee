"""An edit as data: what it changes, on what evidence, and the revision that records it."""

from __future__ import annotations

import datetime
import json
import re
import secrets
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

ACTIONS = ("create", "update", "retire", "restore", "confirm")


@dataclass
class Evidence:
    """The source of a change (an existing one, or a new title and URL) and its quote."""

    source: str | None = None
    quote: str = ""
    quote_en: str = ""
    new_title: str = ""
    new_url: str = ""
    new_language: str = "en"

    def source_id(self) -> str | None:
        """Return the source's id; a new source gets one from its title."""
        if self.source:
            return self.source
        if self.new_title.strip():
            return f"src-{slug(self.new_title)[:40].rstrip('-')}-{secrets.token_hex(2)}"
        return None


@dataclass
class Edit:
    """One change to one fact: an entity (``group`` its kind) or a tie (``group`` its type)."""

    action: str
    target: str  # "entity" or "tie"
    group: str
    id: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    ends: tuple[str, str] | None = None  # a tie's from and to
    base_version: int | None = None
    evidence: Evidence = field(default_factory=Evidence)
    comment: str = ""

    def to_json(self) -> str:
        """Return the edit as JSON (a proposal waiting for review keeps it)."""
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Edit:
        """Rebuild an edit from :meth:`to_json`."""
        data = json.loads(text)
        data["evidence"] = Evidence(**data.get("evidence") or {})
        data["ends"] = tuple(data["ends"]) if data.get("ends") else None
        return cls(**data)


def slug(text: str) -> str:
    """Return a lower-case ``a-z0-9-`` slug of ``text`` (accents dropped)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "x"


def now() -> str:
    """Return the time now, ISO 8601 in UTC to the second."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def new_revision_id() -> tuple[str, int]:
    """Return a fresh revision id and its sequence number (microseconds; ids sort by time)."""
    seq = time.time_ns() // 1000
    return f"rev-{seq:x}-{secrets.token_hex(3)}", seq


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[list[Any]]:
    """Return ``[field, old, new]`` for each field whose value differs."""
    return [
        [name, before.get(name), after.get(name)]
        for name in after
        if _norm(before.get(name)) != _norm(after.get(name))
    ]


def _norm(value: Any) -> Any:
    return None if value in ("", [], None) else value
