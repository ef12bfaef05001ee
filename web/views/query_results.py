"""Results of saved and console queries as pages show them: table cells, networks, CSV, sources.

A row's values may be nodes, relationships, paths, lists or maps of them. The table writes
nodes as links to their entity page, relationships as type and kind, paths as chains. The
network holds every node of the rows, and a relationship only when both of its ends are
nodes of the same row (or path). Sources are the documents that a ``source`` column
(``source``, ``*_source``) or a ``source`` property of a node or relationship cites.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from flask import Response, url_for

from graph.explore.entities import summary
from graph.library.saved_queries import SavedQuery
from graph.store.results import Node, Path, Relationship, Result, to_jsonable
from web.db import get_store
from web.render.formatting import csv_cell
from web.render.tie_words import tie_words, type_words
from web.responses import source_titles

Part = dict[str, str]
LIST_SEPARATOR = "; "
LONG_TEXT = 80  # longer text (evidence) is set as a wrapped paragraph
PLAIN = frozenset((str, int, float, bool))  # values that hold no node or relationship


def is_source_column(column: str) -> bool:
    """Whether a column holds source ids: ``source`` or a name ending in ``_source``."""
    return column == "source" or column.endswith("_source")


def graph_values(value: Any) -> Iterator[Node | Relationship]:
    """Yield every node and relationship inside ``value`` (lists, maps and paths opened)."""
    if isinstance(value, Node | Relationship):
        yield value
    elif isinstance(value, Path):
        yield from value.nodes
        yield from value.relationships
    elif isinstance(value, list | tuple):
        for item in value:
            yield from graph_values(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from graph_values(item)


def has_graph(result: Result) -> bool:
    """Whether the rows hold a tie to draw: a relationship with both ends in its row, or a path.

    Rows of entities alone (a list of names) read better as a table than as loose dots.
    """
    return bool(result_network(result)[1])


def _texts(value: Any) -> Iterator[str]:
    """Yield the strings in a value that may be a list (of lists) of strings."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def cited_ids(result: Result) -> list[str]:
    """Return the source ids the rows cite, each once, first cited first."""
    ids: dict[str, None] = {}  # setting a key again keeps it where it was first set
    looked_at: set[int] = set()  # nodes and relationships met before (a hub in every row)
    source_column: dict[str, bool] = {}
    for row in result.rows:
        for column, value in row.items():
            if column not in source_column:
                source_column[column] = is_source_column(column)
            if source_column[column]:
                _cite(ids, value)
            kind = value.__class__
            if value is None or kind in PLAIN:
                continue
            if kind is Node or kind is Relationship:  # most cells: no walk needed
                if id(value) not in looked_at:
                    looked_at.add(id(value))
                    _cite(ids, value.properties.get("source"))
                continue
            for item in graph_values(value):
                if id(item) not in looked_at:
                    looked_at.add(id(item))
                    _cite(ids, item.properties.get("source"))
    return list(ids)


def _cite(ids: dict[str, None], value: Any) -> None:
    if value.__class__ is str:
        ids[value] = None
    elif value is not None:
        ids.update(dict.fromkeys(_texts(value)))


def cited_sources(result: Result, sources: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the source documents the rows cite (those the graph holds)."""
    return [sources[i] for i in cited_ids(result) if i in sources]


# -- table ---------------------------------------------------------------------------------


def column_titles(saved: SavedQuery | None, result: Result) -> list[dict[str, str]]:
    """Return the columns a table shows, each with its title: a saved query's declared titles
    (``// column:`` lines; a column titled ``-`` is left out), else the column's name."""
    if saved is None:
        return [{"name": column, "title": column} for column in result.columns]
    titled = [{"name": c, "title": saved.column_title(c)} for c in result.columns]
    return [column for column in titled if column["title"]]


def table_rows(
    result: Result,
    titles: dict[str, str],
    columns: list[dict[str, str]] | None = None,
    *,
    absolute: bool = False,
) -> list[list[list[Part]]]:
    """Return each row as cells, each cell as parts: ``text`` with an optional ``href``/``cls``.

    ``columns`` (from :func:`column_titles`) picks the cells; ``absolute`` writes entity links
    as full URLs, for a snapshot opened away from Ecomap.
    """
    names = [c["name"] for c in columns] if columns is not None else result.columns
    return [
        [
            cell_parts(row.get(name), titles if is_source_column(name) else None, absolute)
            for name in names
        ]
        for row in result.rows
    ]


def cell_parts(
    value: Any, titles: dict[str, str] | None = None, absolute: bool = False
) -> list[Part]:
    """Return the parts of one cell; source ids become links to the source when known."""
    if value is None:
        return []
    if isinstance(value, Node):
        return node_parts(value, absolute)
    if isinstance(value, Relationship):
        return relationship_parts(value)
    if isinstance(value, Path):
        return path_parts(value)
    if isinstance(value, list | tuple):
        parts: list[Part] = []
        for index, item in enumerate(value):
            if index:
                parts.append({"text": LIST_SEPARATOR, "cls": "sep"})
            parts.extend(cell_parts(item, titles, absolute) or [{"text": "—", "cls": "null"}])
        return parts
    if isinstance(value, str) and titles is not None and value in titles:
        return [{"text": titles[value], "href": f"#source-{value}", "cls": "source"}]
    if isinstance(value, str):
        return [{"text": value, "cls": "long"}] if len(value) > LONG_TEXT else [{"text": value}]
    return [{"text": json.dumps(to_jsonable(value), ensure_ascii=False)}]


def node_parts(node: Node, absolute: bool = False) -> list[Part]:
    """Write a node as a link to its entity page (its name), or its labels when it has no id."""
    entity = summary(node)
    if node.properties.get("id") is None:
        return [{"text": f"(:{':'.join(node.labels)})", "cls": "node"}]
    href = url_for("pages.entity", entity_id=entity["id"], _external=absolute)
    return [
        {"text": str(entity["name"]), "href": href, "cls": f"entity kind-{entity['kind'].lower()}"}
    ]


def relationship_parts(rel: Relationship) -> list[Part]:
    """Write a relationship in words: its kind (or type) and years, "agreement, 2019–2025"."""
    return [{"text": tie_words({**rel.properties, "type": rel.type}), "cls": "tie-words"}]


def path_parts(path: Path) -> list[Part]:
    """Write a path as a chain: node —TYPE→ node ←TYPE— node."""
    parts = node_parts(path.nodes[0]) if path.nodes else []
    for previous, rel, node in zip(path.nodes, path.relationships, path.nodes[1:], strict=False):
        words = type_words(rel.type)
        arrow = f" —{words}→ " if rel.start == previous.id else f" ←{words}— "
        parts.append({"text": arrow, "cls": "step"})
        parts.extend(node_parts(node))
    return parts


# -- network -------------------------------------------------------------------------------


def result_network(result: Result) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return the entity summaries and ties (``from``/``to`` entity ids) the rows hold."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[str, dict[str, Any]] = {}
    for row in result.rows:
        row_nodes = {}
        for item in graph_values(list(row.values())):
            if isinstance(item, Node):
                row_nodes[item.id] = network_node(item)
                nodes.setdefault(row_nodes[item.id]["id"], row_nodes[item.id])
        for item in graph_values(list(row.values())):
            if isinstance(item, Relationship) and item.start in row_nodes and item.end in row_nodes:
                start, end = row_nodes[item.start]["id"], row_nodes[item.end]["id"]
                edges.setdefault(item.id, network_edge(item, start, end))
    return list(nodes.values()), list(edges.values())


def network_node(node: Node) -> dict[str, Any]:
    """Return a node as the summary networks draw (nodes without an id keyed by theirs)."""
    entity = summary(node)
    if entity["id"] is None:
        entity.update(id=f"node-{node.id}", name=f"(:{':'.join(node.labels)})")
    return entity


def network_edge(rel: Relationship, start: str, end: str) -> dict[str, Any]:
    """Return a relationship as a tie between two entity ids, with its facts for the tooltip."""
    return {
        **rel.properties,
        "id": str(rel.properties.get("id", rel.id)),
        "from": start,
        "to": end,
        "type": rel.type,
    }


# -- CSV -----------------------------------------------------------------------------------


def as_csv(result: Result, sources: dict[str, dict[str, Any]]) -> str:
    """Return the rows as CSV with a ``<column>_title`` column after each source column.

    The title column holds the title of the cited source (a JSON list where the source
    column holds a list). When no column is a source column but nodes or relationships cite
    sources, a last ``source_titles`` column lists the titles each row cites.
    """
    columns = result.columns
    source_columns = [c for c in columns if is_source_column(c)]
    trailing = not source_columns and any(cited_ids(Result(columns, [r])) for r in result.rows)
    header = [name for c in columns for name in ([c, f"{c}_title"] if c in source_columns else [c])]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header + (["source_titles"] if trailing else []))
    for row in result.rows:
        line = []
        for column in columns:
            line.append(csv_cell(row.get(column)))
            if column in source_columns:
                line.append(csv_cell(_titles_of(row.get(column), sources)))
        if trailing:
            cited = cited_ids(Result(columns, [row]))
            line.append(csv_cell([sources[i].get("title") for i in cited if i in sources]))
        writer.writerow(line)
    return buffer.getvalue()


def _titles_of(value: Any, sources: dict[str, dict[str, Any]]) -> Any:
    """Replace each source id in ``value`` (text or lists of it) by its title."""
    if isinstance(value, str):
        return (sources.get(value) or {}).get("title", value)
    if isinstance(value, list | tuple):
        return [_titles_of(item, sources) for item in value]
    return value


# -- pages and files ---------------------------------------------------------------------


def result_data(result: Result, sources: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the JSON part of a result: columns, rows, truncated and the sources cited.

    The rows are the result's own (the app's JSON writes their nodes and relationships as
    :meth:`Result.to_json` would); do not change them.
    """
    return {
        "columns": result.columns,
        "rows": result.rows,
        "truncated": result.truncated,
        "sources": sources,
    }


def result_page(
    result: Result, view_url: str, downloads: list[dict], saved: SavedQuery | None = None
) -> dict[str, Any]:
    """Return what the results partial shows: titled cells, the framed view, download links."""
    titles = source_titles()
    headings = column_titles(saved, result)
    return {
        "headings": headings,
        "cells": table_rows(result, titles, headings),
        "view_url": view_url if has_graph(result) else None,
        "downloads": downloads,
        "row_cap": get_store().settings.row_cap,
    }


def attachment(body: str, filename: str, mimetype: str) -> Response:
    """Return ``body`` as a file to save as ``filename``."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
