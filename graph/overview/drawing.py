"""The overview of the whole graph: who is where, of what kind and country, and who is tied.

Built from every entity and the two ends of every tie (:mod:`graph.overview.reading`, or the
analysis snapshot, which holds the same and more). Ties are drawn once per pair of entities,
whatever their type, direction or number. The JSON form is compact: names and ids as two
arrays of strings, kinds and countries as indices into short lists, positions and ties as
little-endian typed arrays in base64 (Float32 x, y pairs; Uint32 node-index pairs), about 20
bytes a tie.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from graph.analysis.snapshot import EntityRow
from graph.overview.layout import layout_positions

NO_COUNTRY = 0xFFFF  # the country index of an entity with none
FORMAT = 1  # the version of the JSON form, for the page that decodes it


@dataclass(frozen=True)
class Overview:
    """Every entity with its position, kind and country; every tied pair once."""

    data_as_of: str | None
    ids: list[str]
    names: list[str]
    kinds: list[str]
    kind: np.ndarray  # uint8: index into ``kinds``
    countries: list[str]
    country: np.ndarray  # uint16: index into ``countries``, NO_COUNTRY for none
    xy: np.ndarray  # float32 (n, 2)
    pairs: np.ndarray  # uint32 (m, 2): node indices, low first
    ties: int  # ties in the graph, before pairs were merged
    layout_seconds: float

    def to_json(self) -> bytes:
        """Return the compact JSON form the overview page decodes."""
        return json.dumps(self.summary() | {
            "id": self.ids,
            "name": self.names,
            "kind": _packed(self.kind, "<u1"),
            "country": _packed(self.country, "<u2"),
            "xy": _packed(self.xy, "<f4"),
            "pair": _packed(self.pairs, "<u4"),
        }, ensure_ascii=False, separators=(",", ":")).encode()  # fmt: skip

    def summary(self) -> dict[str, Any]:
        """Return what the overview holds, without the per-node arrays."""
        return {
            "format": FORMAT,
            "data_as_of": self.data_as_of,
            "nodes": len(self.ids),
            "pairs": len(self.pairs),
            "ties": self.ties,
            "kinds": self.kinds,
            "countries": self.countries,
            "layout_seconds": round(self.layout_seconds, 3),
        }


class TiedEntities(Protocol):
    """What a drawing is made from: a :class:`Tied` read, or the analysis snapshot."""

    @property
    def data_as_of(self) -> str | None: ...
    @property
    def entities(self) -> list[EntityRow]: ...
    @property
    def tie_from(self) -> np.ndarray: ...
    @property
    def tie_to(self) -> np.ndarray: ...


def build_overview(snapshot: TiedEntities) -> Overview:
    """Lay out every entity of ``snapshot``; keep each tied pair once."""
    entities = snapshot.entities
    n = len(entities)
    kinds = sorted({e.kind for e in entities})
    countries = sorted({e.country for e in entities if e.country})
    kind_index = {kind: i for i, kind in enumerate(kinds)}
    country_index = {country: i for i, country in enumerate(countries)}
    low = np.minimum(snapshot.tie_from, snapshot.tie_to)
    high = np.maximum(snapshot.tie_from, snapshot.tie_to)
    keys = np.unique((low * n + high)[low != high])
    pairs = np.column_stack([keys // max(n, 1), keys % max(n, 1)]).astype(np.uint32)
    started = time.perf_counter()
    xy = layout_positions(n, pairs[:, 0], pairs[:, 1])
    return Overview(
        data_as_of=snapshot.data_as_of,
        ids=[e.id for e in entities],
        names=[e.name for e in entities],
        kinds=kinds,
        kind=np.fromiter((kind_index[e.kind] for e in entities), np.uint8, n),
        countries=countries,
        country=np.fromiter(
            (country_index.get(e.country or "", NO_COUNTRY) for e in entities), np.uint16, n
        ),
        xy=xy.astype(np.float32),
        pairs=pairs,
        ties=len(snapshot.tie_from),
        layout_seconds=time.perf_counter() - started,
    )


def _packed(values: np.ndarray, dtype: str) -> str:
    """Return ``values`` as base64 of their little-endian bytes."""
    return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode("ascii")
