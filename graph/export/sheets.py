"""The rows of an export, sheet by sheet, streamed from the graph page by page."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any

from graph.export.tables import entity_pages, entity_row, source_row, sources, tie_row, ties_of
from graph.load.columns import ENTITIES, SOURCES, TIES
from graph.store.base import Store

Progress = Callable[[int], None]
SheetRow = tuple[str, list[Any]]


def export_rows(
    store: Store, ids: Collection[str] | None = None, progress: Progress | None = None
) -> Iterator[SheetRow]:
    """Yield (sheet, row) for every entity and tie (of ``ids``), then the sources they cite."""
    within = set(ids) if ids is not None else None
    all_sources = {s["id"]: s for s in sources(store)}
    cited: set[str] = set()
    for page in entity_pages(store, within):
        for entity in page:
            cited.add(entity.props.get("source", ""))
            yield ENTITIES, entity_row(entity, all_sources)
        ties = ties_of(store, page, within) if page else []
        for tie in ties:
            cited.add(tie.props.get("source", ""))
            yield TIES, tie_row(tie, all_sources)
        if progress:
            progress(len(page) + len(ties))
    for source_id, source in all_sources.items():
        if within is None or source_id in cited:
            yield SOURCES, source_row(source)
