"""Keeping a taken-in document as a Source: its title, URL, date, language and text, once."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from graph.errors import IntakeError
from graph.intake.dates import published_date
from graph.intake.documents import Document
from graph.intake.known import digest_of, read_source, source_with_digest
from graph.intake.language import guess_language
from graph.load.loader import load_graph
from graph.model import source_problems
from graph.store.base import Store

PREFIX = "src-intake-"


class AlreadyTakenInError(IntakeError):
    """The same text is already kept as a source (``source_id``)."""

    def __init__(self, source_id: str) -> None:
        self.source_id = source_id
        super().__init__(f"this document was already taken in, as source '{source_id}'")


@dataclass(frozen=True)
class Details:
    """What a person may say about a document beyond its text."""

    title: str = ""
    url: str = ""
    published: str = ""
    language: str = ""


def keep_document(store: Store, document: Document, details: Details, user: str) -> str:
    """Store the document as a Source and return its id; refuse one already taken in."""
    digest = digest_of(document.text)
    existing = source_with_digest(store, digest)
    if existing:
        raise AlreadyTakenInError(existing)
    source = source_fields(document, details, digest)
    source["taken_in_by"] = user
    source["taken_in_at"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    problems = source_problems(source)
    if problems:
        raise IntakeError("; ".join(str(p) for p in problems))
    load_graph(store, nodes=[], relationships=[], sources=[source])
    return str(source["id"])


def source_fields(document: Document, details: Details, digest: str) -> dict[str, Any]:
    """Return the Source record's fields for a document."""
    published = details.published.strip() or published_date(document.text)
    fields = {
        "id": PREFIX + digest[:12],
        "file": document.name,
        "title": (details.title.strip() or document.title)[:300],
        "language": details.language.strip() or guess_language(document.text),
        "published": published,
        "url": details.url.strip() or None,
        "text": document.text,
        "digest": digest,
    }
    return {k: v for k, v in fields.items() if v}


def stored_document(store: Store, source_id: str) -> dict[str, Any]:
    """Return a taken-in source's fields (with its text), or raise :class:`IntakeError`."""
    source = read_source(store, source_id)
    if not source or not source.get("text"):
        raise IntakeError(f"no document taken in has the id '{source_id}'")
    return dict(source)
