"""Importing spreadsheets: preview a plan, then apply exactly that plan, all or nothing.

Applying reads the files again and plans again; when the new plan's digest differs from the
previewed one (the graph changed in between, or the files did), nothing is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from graph.errors import EcomapError
from graph.load import existing
from graph.load.import_plan import ALL, ImportPlan, plan_import
from graph.load.loader import LoadSummary, Progress, load_graph
from graph.load.problems import SpreadsheetError
from graph.load.rows import Rows, read_rows
from graph.load.spreadsheet import open_sheets
from graph.store.base import Store


class StaleImportError(EcomapError):
    """The graph (or the file) changed between the preview and the apply."""


def read_import(
    paths: Iterable[Path], *, max_bytes: int | None = None, progress: Progress | None = None
) -> Rows:
    """Read the rows of every file; raise :class:`SpreadsheetError` when a file is unreadable."""
    with open_sheets(paths, max_bytes=max_bytes) as sheets:
        return read_rows(sheets, progress)


def preview_import(
    store: Store,
    paths: Iterable[Path],
    *,
    take: Collection[str] | None = ALL,
    max_bytes: int | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Return what importing ``paths`` would change; nothing is written.

    ``progress`` hears of the rows read, 10,000 at a time.
    """
    paths = list(paths)
    plan = plan_import(store, read_import(paths, max_bytes=max_bytes, progress=progress), take)
    plan.digest = _files_digest(paths, plan.digest)
    return plan


def _files_digest(paths: list[Path], digest: str) -> str:
    """Return ``digest`` combined with the bytes of every file read."""
    combined = hashlib.sha256(digest.encode())
    for path in paths:
        for file in sorted(path.iterdir()) if path.is_dir() else [path]:
            with file.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    combined.update(chunk)
    return combined.hexdigest()


def apply_import(
    store: Store,
    paths: Iterable[Path],
    digest: str,
    *,
    take: Collection[str] | None = ALL,
    progress: Progress | None = None,
    max_bytes: int | None = None,
) -> LoadSummary:
    """Apply the plan previewed with ``digest``; refuse if it no longer is the plan."""
    plan = preview_import(store, list(paths), take=take, max_bytes=max_bytes)
    if not plan.ok:
        raise SpreadsheetError(plan.problems)
    if plan.digest != digest:
        raise StaleImportError(
            "the graph changed since the preview (or the file did): preview the import again"
        )
    return apply_plan(store, plan, progress=progress)


def apply_plan(store: Store, plan: ImportPlan, *, progress: Progress | None = None) -> LoadSummary:
    """Write a plan's new and changed records in one all-or-nothing load."""
    if not plan.ok:
        raise SpreadsheetError(plan.problems)
    relationships = plan.relationships + _renewed_agreements(store, plan.relationships)
    return load_graph(store, plan.nodes, relationships, plan.new_sources, progress=progress)


def _renewed_agreements(store: Store, ties: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the stored agreements the written ones renew, so the loader marks them renewed."""
    written = {tie["id"] for tie in ties}
    renewed = {t["renews"] for t in ties if t.get("renews") and t["renews"] not in written}
    found = existing.ties(store, {"AGREEMENT": renewed})
    return [
        {"type": rel_type, **props, "from": start, "to": end}
        for rel_type, start, end, props in found.values()
        if rel_type == "AGREEMENT"
    ]
