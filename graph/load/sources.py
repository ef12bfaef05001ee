"""The source documents rows cite: found by id, title or address, or made once and shared.

A row's ``source`` cell may hold the id of a source (in the file's Sources sheet or in the
graph) or a title; ``source_url`` an address. Rows that cite the same title or address share
one Source record; a row citing neither is a problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graph.load import existing
from graph.load.changes import Change
from graph.load.problems import Problem
from graph.load.records import check_fields, slugify
from graph.load.rows import Record
from graph.store.base import Store
from graph.store.dialect import fold

SOURCE_KEYS = ("id", "title", "url", "file", "publisher", "language", "published", "author")


class SourceBook:
    """Every source known to an import: the graph's, the Sources sheet's, and new ones."""

    def __init__(self, store: Store, records: list[Record], problems: list[Problem]) -> None:
        self.stored = existing.sources(store)
        self.problems = problems
        self.sheet: dict[str, tuple[dict[str, Any], Record | None]] = {}
        self.by_id: dict[str, dict[str, Any]] = dict(self.stored)
        for record in records:
            self._add_sheet_source(record)
        self.by_title = {fold(str(s.get("title", ""))): s for s in self.by_id.values()}
        self.by_url = {str(s["url"]): s for s in self.by_id.values() if s.get("url")}

    def _add_sheet_source(self, record: Record) -> None:
        data = {k: v for k, v in record.data.items() if k in SOURCE_KEYS}
        if not data.get("id") and data.get("title"):
            data["id"] = "src-" + slugify(str(data["title"]), "source")
        found = [
            p
            for p in check_fields(record, "source", "Source", data)
            if not (p.column == "file" and p.reason == "is required")  # spreadsheets cite URLs
        ]
        if not found and data["id"] in self.sheet:
            first = self.sheet[data["id"]][1]
            where = f"{first.sheet} row {first.row}" if first else "the graph"
            found = [record.problem("id", f"duplicate id '{data['id']}', first used in {where}")]
        if found:
            self.problems += found
            return
        self.sheet[data["id"]] = (data, record)
        self.by_id[data["id"]] = data

    def resolve(self, record: Record, data: dict[str, Any]) -> bool:
        """Replace the row's source title, id or address by a source id; False on a problem."""
        url = data.pop("source_url", None)
        language = data.pop("quote_language", None)
        text = data.get("source")
        if not text and not url:
            reason = "a source is required (a title, a URL or both)"
            self.problems.append(record.problem("source", reason))
            return False
        source = self._find(str(text) if text else None, url)
        if source is None:
            source = self._new(str(text or url), url, language)
        data["source"] = source["id"]
        if source.get("language", "en") != "en" and not data.get("evidence_en"):
            reason = f"the source is in '{source['language']}': give the quote in English too"
            self.problems.append(record.problem("evidence_en", reason))
            return False
        return True

    def _find(self, text: str | None, url: str | None) -> dict[str, Any] | None:
        if text and text in self.by_id:
            return self.by_id[text]
        if text and fold(text) in self.by_title:
            return self.by_title[fold(text)]
        return self.by_url.get(url) if url else None

    def _new(self, title: str, url: str | None, language: str | None) -> dict[str, Any]:
        base = "src-" + slugify(title, "source")[:80]
        source_id, count = base, 1
        while source_id in self.by_id:
            count += 1
            source_id = f"{base}-{count}"
        source = {"id": source_id, "title": title, "language": language or "en"}
        if url:
            source["url"] = url
        self.sheet[source_id] = (source, None)
        self.by_id[source_id] = source
        self.by_title[fold(title)] = source
        if url:
            self.by_url[url] = source
        return source

    def changes(self) -> Iterator[tuple[Change, dict[str, Any]]]:
        """Yield each source of the file as a change (new, changed or unchanged) and its record."""
        for source_id, (data, record) in self.sheet.items():
            found = self.stored.get(source_id)
            before = None if found is None else {k: found[k] for k in SOURCE_KEYS if k in found}
            if before is None:
                change = Change(source_id, str(data.get("title")), "Source", "new")
            else:
                fields = {
                    k: [before.get(k), data.get(k)]
                    for k in sorted(set(before) | set(data))
                    if before.get(k) != data.get(k)
                }
                change = Change(source_id, str(data.get("title")), "Source", "changed", fields)
                change.status = "changed" if fields else "unchanged"
            if record is not None:
                change.sheet, change.row = record.sheet, record.row
            yield change, data
