"""GEXF 1.3 exports for Gephi: entities and ties with their fields, ties as time intervals.

Each tie's interval (``start``/``end``) comes from when it took effect (valid_from, signed,
since or date) and when it ended (valid_until, until, or its renewal), written as dates so
Gephi's timeline shows agreements appear and end. Partial dates widen: a start in 2005 is
2005-01-01, an end in 2025 is 2025-12-31.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from pathlib import Path
from typing import IO, Any

from graph.export.network_fields import EDGE_KEYS, NODE_KEYS, NUMERIC, attr
from graph.export.sheets import Progress
from graph.export.tables import entity_pages, ties_of
from graph.model import is_partial_date
from graph.store.base import Store

NAMESPACE = "http://gexf.net/1.3"
STARTS = ("valid_from", "signed", "since", "date")
ENDS = ("valid_until", "until", "superseded")


def write_gexf(
    store: Store, path: Path, ids: Collection[str] | None = None, progress: Progress | None = None
) -> None:
    """Write the graph (or the entities of ``ids`` and the ties among them) as GEXF 1.3."""
    with path.open("w", encoding="utf-8") as out:
        stream_gexf(store, out, ids, progress)


def stream_gexf(
    store: Store, out: IO[str], ids: Collection[str] | None = None, progress: Progress | None = None
) -> None:
    """Write GEXF to an open text stream: all nodes first, then all edges, as GEXF wants."""
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gexf xmlns="{NAMESPACE}" version="1.3">\n'
        "  <meta><creator>Ecomap</creator></meta>\n"
        '  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">\n'
    )
    _attributes(out, "node", NODE_KEYS)
    _attributes(out, "edge", EDGE_KEYS)
    within = set(ids) if ids is not None else None
    out.write("    <nodes>\n")
    pages = []
    for page in entity_pages(store, within):
        for entity in page:
            props = {**entity.props, "kind": entity.kind}
            label = props.get("name") or props["id"]
            out.write(f"      <node id={attr(props['id'])} label={attr(label)}>")
            out.write(f"{_values(NODE_KEYS, props)}</node>\n")
        pages.append([e.props["id"] for e in page])
        if progress:
            progress(len(page))
    out.write("    </nodes>\n    <edges>\n")
    for page_ids in pages:
        _edges(store, out, page_ids, within, progress)
    out.write("    </edges>\n  </graph>\n</gexf>\n")


def _edges(
    store: Store, out: IO[str], ids: list[str], within: set[str] | None, progress: Progress | None
) -> None:
    from graph.export.tables import Entity

    ties = ties_of(store, [Entity("", {"id": i}) for i in ids], within) if ids else []
    for tie in ties:
        props = {**tie.props, "type": tie.type}
        span = _interval(props)
        out.write(
            f"      <edge id={attr(props['id'])} source={attr(tie.start)} "
            f"target={attr(tie.end)} label={attr(tie.type)}{span}>"
            f"{_values(EDGE_KEYS, props)}</edge>\n"
        )
    if progress:
        progress(len(ties))


def _attributes(out: IO[str], domain: str, keys: tuple[str, ...]) -> None:
    out.write(f'    <attributes class="{domain}">\n')
    for key in keys:
        kind = "double" if key in NUMERIC else "string"
        out.write(f'      <attribute id="{key}" title="{key}" type="{kind}"/>\n')
    out.write("    </attributes>\n")


def _values(keys: tuple[str, ...], props: dict[str, Any]) -> str:
    shown = [
        f'<attvalue for="{key}" value={attr(props[key])}/>'
        for key in keys
        if props.get(key) not in (None, "", [])
    ]
    return f"<attvalues>{''.join(shown)}</attvalues>" if shown else ""


def _interval(props: dict[str, Any]) -> str:
    start = next((props[k] for k in STARTS if props.get(k)), None)
    end = next((props[k] for k in ENDS if props.get(k)), None)
    span = ""
    if isinstance(start, str) and is_partial_date(start):
        span += f' start="{widen(start, first=True)}"'
    if isinstance(end, str) and is_partial_date(end):
        span += f' end="{widen(end, first=False)}"'
    return span


def widen(date: str, *, first: bool) -> str:
    """Return a partial date (YYYY or YYYY-MM) as the first or last day it covers."""
    parts = date.split("-")
    year = int(parts[0])
    month = int(parts[1]) if len(parts) > 1 else (1 if first else 12)
    if len(parts) == 3:
        return date
    day = 1 if first else calendar.monthrange(year, month)[1]
    return f"{year:04d}-{month:02d}-{day:02d}"
