"""Shared benchmark helpers: percentiles, tables, progress on stderr, and the baseline loader."""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Iterable, Sequence
from typing import Any, TextIO
from urllib.parse import urlsplit

import redis

from benchmarks.synthetic import Ecosystem
from graph.store.dialect import checked_name
from graph.store.falkordb_protocol import with_params
from graph.store.falkordb_store import GENERATION_KEY, FalkorStore

ENTITY_INDEX = "CREATE INDEX FOR (n:Entity) ON (n.id)"


def percentile(values: Sequence[float], p: float) -> float:
    """Return the ``p``-th percentile (0-100) of ``values``, linearly interpolated."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def print_table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    out: TextIO = sys.stdout,
    left: Sequence[int] = (0,),
) -> None:
    """Print ``rows`` under ``header`` in aligned columns: ``left`` ones left, others right."""
    text = [[str(cell) for cell in header]] + [[str(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in text) for i in range(len(header))]
    lefts = {i % len(header) for i in left}

    def line(cells: list[str]) -> str:
        padded = (
            cell.ljust(width) if i in lefts else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )
        return "  ".join(padded).rstrip()

    print(line(text[0]), file=out)
    print("  ".join("-" * width for width in widths), file=out)
    for row in text[1:]:
        print(line(row), file=out)


class Progress:
    """A ``what done/total`` line on stderr: redrawn in place on a TTY, else every ~10%."""

    def __init__(self, what: str, total: int, out: TextIO = sys.stderr) -> None:
        self.what, self.total, self.out = what, total, out
        self.done = 0
        self.tty = out.isatty()
        self._next_tenth = 1
        self._last_draw = 0.0

    def __call__(self, step: int) -> None:
        """Count ``step`` more items done and show it when due."""
        self.done += step
        if self.tty:
            now = time.monotonic()
            if now - self._last_draw >= 0.1 or self.done >= self.total:
                self._last_draw = now
                self.out.write(f"\r{self.what} {self.done:,}/{self.total:,}")
                self.out.flush()
        elif self.total and self.done * 10 >= self._next_tenth * self.total:
            self._next_tenth = self.done * 10 // self.total + 1
            self.out.write(f"{self.what} {self.done:,}/{self.total:,}\n")
            self.out.flush()

    def finish(self, note: str = "") -> None:
        """End the line (on a TTY), with an optional note such as the elapsed time."""
        if self.tty:
            self.out.write(f"\r{self.what} {self.done:,}/{self.total:,}{note}\n")
        elif note:
            self.out.write(f"{self.what} done{note}\n")
        self.out.flush()


def node_batches(eco: Ecosystem) -> dict[str, list[dict[str, Any]]]:
    """Group node property maps (without ``label``) by label."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for node in eco.nodes:
        groups.setdefault(node["label"], []).append(
            {key: value for key, value in node.items() if key != "label"}
        )
    return groups


def rel_batches(eco: Ecosystem) -> dict[str, list[dict[str, Any]]]:
    """Group relationships by type as ``{f: from, t: to, p: properties incl. id}`` rows."""
    groups: dict[str, list[dict[str, Any]]] = {}
    skip = ("type", "from", "to")
    for rel in eco.relationships:
        props = {key: value for key, value in rel.items() if key not in skip}
        groups.setdefault(rel["type"], []).append({"f": rel["from"], "t": rel["to"], "p": props})
    return groups


def raw_load(store: FalkorStore, eco: Ecosystem, batch_size: int = 10_000) -> float:
    """Load ``eco`` with plain batched UNWIND statements on the admin connection; return s.

    The baseline loader: the ``Entity(id)`` index first, then ``CREATE`` per label and per
    type (``MATCH`` both ends by id), ``batch_size`` rows per ``GRAPH.QUERY``.
    """
    started = time.perf_counter()
    admin, graph = store._admin, store.graph_name
    timeout = store.settings.write_timeout_ms

    def run(cypher: str, params: dict[str, Any] | None = None) -> None:
        """Send one statement with its parameters in the ``CYPHER`` header."""
        admin.execute_command(
            "GRAPH.QUERY", graph, with_params(cypher, params or {}), "--compact", "timeout", timeout
        )

    try:
        run(ENTITY_INDEX)
    except redis.ResponseError as error:  # an index left by an earlier load is fine
        if "already" not in str(error).lower():
            raise
    progress = Progress("loading rows", len(eco.nodes) + len(eco.relationships))
    statements = [
        (f"UNWIND $rows AS row CREATE (n:Entity:{checked_name(label)}) SET n = row", rows)
        for label, rows in node_batches(eco).items()
    ] + [
        (
            "UNWIND $rows AS row MATCH (a:Entity {id: row.f}), (b:Entity {id: row.t}) "
            f"CREATE (a)-[r:{checked_name(rel_type)}]->(b) SET r = row.p",
            rows,
        )
        for rel_type, rows in rel_batches(eco).items()
    ]
    for cypher, rows in statements:
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            run(cypher, {"rows": batch})
            progress(len(batch))
    admin.incr(GENERATION_KEY.format(graph=graph))  # the read path re-reads label names
    elapsed = time.perf_counter() - started
    progress.finish(f" in {elapsed:.1f} s")
    return elapsed


def keep_local(context: Any) -> list[str]:
    """Abort every request of a Playwright browser context that leaves this machine (a page
    must load nothing from a CDN); return the list the refused URLs are added to."""
    refused: list[str] = []

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return refused
