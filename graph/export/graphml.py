"""GraphML exports (for yEd, Gephi, networkx, igraph): one node per entity, one edge per tie.

Written as a stream to the GraphML 1.0 schema (``http://graphml.graphdrawing.org/xmlns``):
keys first, then nodes and edges with their fields as ``data``.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from graph.export.network_fields import EDGE_KEYS, NODE_KEYS, NUMERIC, attr, text
from graph.export.sheets import Progress
from graph.export.tables import entity_pages, ties_of
from graph.store.base import Store

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def write_graphml(
    store: Store, path: Path, ids: Collection[str] | None = None, progress: Progress | None = None
) -> None:
    """Write the graph (or the entities of ``ids`` and the ties among them) as GraphML."""
    with path.open("w", encoding="utf-8") as out:
        stream_graphml(store, out, ids, progress)


def stream_graphml(
    store: Store, out: IO[str], ids: Collection[str] | None = None, progress: Progress | None = None
) -> None:
    """Write GraphML to an open text stream."""
    out.write(HEAD)
    for key in NODE_KEYS:
        out.write(_key("node", "n_", key))
    for key in EDGE_KEYS:
        out.write(_key("edge", "e_", key))
    out.write('  <graph id="ecomap" edgedefault="directed">\n')
    within = set(ids) if ids is not None else None
    edges: list[str] = []
    for page in entity_pages(store, within):
        for entity in page:
            props = {**entity.props, "kind": entity.kind}
            out.write(
                f"    <node id={attr(props['id'])}>\n{_data('n_', NODE_KEYS, props)}    </node>\n"
            )
        ties = ties_of(store, page, within) if page else []
        for tie in ties:
            props = {**tie.props, "type": tie.type}
            edges.append(
                f"    <edge id={attr(props['id'])} source={attr(tie.start)} "
                f"target={attr(tie.end)}>\n{_data('e_', EDGE_KEYS, props)}    </edge>\n"
            )
        out.writelines(edges)  # an edge may come before its target node: GraphML allows it
        edges.clear()
        if progress:
            progress(len(page) + len(ties))
    out.write("  </graph>\n</graphml>\n")


def _key(domain: str, prefix: str, name: str) -> str:
    kind = "double" if name in NUMERIC else "string"
    return f'  <key id="{prefix}{name}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>\n'


def _data(prefix: str, keys: tuple[str, ...], props: dict) -> str:
    return "".join(
        f'      <data key="{prefix}{key}">{escape(text(props[key]))}</data>\n'
        for key in keys
        if props.get(key) not in (None, "", [])
    )
