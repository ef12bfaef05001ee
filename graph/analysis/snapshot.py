"""A snapshot of the graph for analysis: every entity and tie, read once per data-as-of stamp.

The read pages through entities by id (an index range scan on both backends), each page
bringing its entities and their outgoing ties, so no read returns more than one row and
each is bounded in time. Which ties hold in a year is the model's decision
(:meth:`graph.model.Tie.in_force`), made here in Python, so FalkorDB and Neo4j give the
same snapshot and the same metrics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, LiteralString, TypeVar

import numpy as np

from graph.analysis.helix import sector_index, sector_of
from graph.errors import EcomapError
from graph.model import Tie
from graph.store.base import Store

T = TypeVar("T")
PAGE_SIZE = 10_000
PAGE_QUERY: LiteralString = (
    "MATCH (a:Entity) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $page "
    "OPTIONAL MATCH (a)-[r]->(b:Entity) "
    "WITH a, collect(CASE WHEN r IS NULL THEN null "
    "ELSE [type(r), b.id, properties(r)] END) AS out "
    "RETURN collect([a.id, labels(a), a.name, a.country, out]) AS page"
)


class SnapshotChangedError(EcomapError):
    """The data changed while the snapshot was being read, twice in a row."""


@dataclass(frozen=True, slots=True)
class EntityRow:
    """What analysis needs of an entity: id, name, kind, country and helix sector."""

    id: str
    name: str
    kind: str
    country: str | None

    @property
    def sector(self) -> str | None:
        return sector_of(self.kind)

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "country": self.country}


@dataclass
class Snapshot:
    """Every entity (sorted by id) and every tie, with each tie's ends as entity positions."""

    data_as_of: str | None
    entities: list[EntityRow]
    ties: list[Tie]
    index: dict[str, int] = field(init=False)
    tie_from: np.ndarray = field(init=False)
    tie_to: np.ndarray = field(init=False)
    sector: np.ndarray = field(init=False)
    tie_bounds: np.ndarray = field(init=False)
    tie_order: np.ndarray = field(init=False)
    _in_force: dict[int, np.ndarray] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {row.id: i for i, row in enumerate(self.entities)}
        self.tie_from = np.fromiter((self.index[t.from_id] for t in self.ties), np.int64)
        self.tie_to = np.fromiter((self.index[t.to_id] for t in self.ties), np.int64)
        self.sector = np.fromiter((sector_index(e.kind) for e in self.entities), np.int64)
        ends = np.concatenate([self.tie_from, self.tie_to])
        order = np.argsort(ends, kind="stable")
        self.tie_bounds = np.searchsorted(ends[order], np.arange(len(self.entities) + 1))
        self.tie_order = order % max(1, len(self.ties))  # position in ``ties``

    def in_force(self, year: int) -> np.ndarray:
        """Return which ties hold in ``year``, as a mask over ``ties`` (kept per year)."""
        if year not in self._in_force:
            mask = np.fromiter((t.in_force(year) for t in self.ties), bool, len(self.ties))
            self._in_force[year] = mask
        return self._in_force[year]

    def edges(
        self, year: int, among: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the distinct pairs tied in ``year`` (low, high) and each entity's tie count.

        ``among`` (a mask over ``ties``) keeps only some ties.
        """
        mask = self.in_force(year) & (self.tie_from != self.tie_to)
        if among is not None:
            mask &= among
        a, b = self.tie_from[mask], self.tie_to[mask]
        n = len(self.entities)
        ties = np.bincount(np.concatenate([a, b]), minlength=n)
        keys = np.unique(np.minimum(a, b) * n + np.maximum(a, b))
        return keys // n, keys % n, ties

    def ties_of(self, entity: int, year: int | None = None) -> list[Tie]:
        """Return the ties of one entity (those holding in ``year`` when given)."""
        found = self.tie_order[self.tie_bounds[entity] : self.tie_bounds[entity + 1]]
        if year is not None:
            found = found[self.in_force(year)[found]]
        return [self.ties[i] for i in dict.fromkeys(found.tolist())]  # a loop counts once


def read_snapshot(store: Store, *, page_size: int = PAGE_SIZE) -> Snapshot:
    """Read every entity and tie, page by page; read again if a load landed meanwhile."""
    stamp, (entities, ties) = read_consistently(store, lambda: _read_pages(store, page_size))
    return Snapshot(stamp, entities, ties)


def read_consistently(store: Store, read: Callable[[], T]) -> tuple[str | None, T]:
    """Return the data-as-of stamp and what ``read`` read, read again if a load landed meanwhile."""
    for _attempt in range(2):
        stamp = store.data_as_of()
        found = read()
        if store.data_as_of() == stamp:
            return stamp, found
    raise SnapshotChangedError("the data changed twice while it was being read; try again")


def entity_pages(
    store: Store, query: LiteralString, page_size: int = PAGE_SIZE
) -> Iterator[list[list[Any]]]:
    """Yield the pages of ``query``, which pages through entities by id (``$after``, ``$page``)
    and returns one ``page`` of rows whose first item is the entity's id."""
    after, timeout = "", store.settings.write_timeout_ms
    while True:
        params = {"after": after, "page": page_size}
        page = store.read(query, params, timeout_ms_=timeout).value() or []
        yield page
        if len(page) < page_size:
            return
        after = max(row[0] for row in page)


def entity_row(
    entity_id: str, labels: list[str], name: str | None, country: str | None
) -> EntityRow:
    """Return an entity as analysis sees it, its kind being its label other than Entity."""
    kind = next((label for label in labels if label != "Entity"), "Entity")
    return EntityRow(entity_id, name or entity_id, kind, country)


def _read_pages(store: Store, page_size: int) -> tuple[list[EntityRow], list[Tie]]:
    entities: list[EntityRow] = []
    ties: list[Tie] = []
    for page in entity_pages(store, PAGE_QUERY, page_size):
        for entity_id, labels, name, country, out in page:
            entities.append(entity_row(entity_id, labels, name, country))
            ties.extend(Tie.from_stored(t, entity_id, other, props) for t, other, props in out)
    entities.sort(key=lambda row: row.id)
    return entities, ties
