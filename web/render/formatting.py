"""Results as text for the terminal: an aligned table, JSON, or CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from graph.store.results import Node, Path, Relationship, Result, to_jsonable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: Any) -> str:
    """Write one value for a CSV cell; text a spreadsheet would run as a formula gets a ``'``."""
    text = cell_text(value)
    if not isinstance(value, int | float) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def cell_text(value: Any) -> str:
    """Write one value compactly: nodes as ``(:Label {id})``, paths as their hops."""
    if value is None:
        return ""
    if isinstance(value, Node):
        key = value.properties.get("id", value.id)
        return f"(:{':'.join(value.labels)} {key})"
    if isinstance(value, Relationship):
        key = value.properties.get("id", value.id)
        return f"[:{value.type} {key}]"
    if isinstance(value, Path):
        return "-".join(cell_text(node) for node in value.nodes)
    if isinstance(value, str):
        return value
    return json.dumps(to_jsonable(value), ensure_ascii=False)


def as_table(result: Result, max_width: int = 60) -> str:
    """Return the rows as an aligned text table with a header line."""
    header = result.columns
    body = [[cell_text(row.get(c))[:max_width] for c in header] for row in result.rows]
    widths = [max([len(h)] + [len(line[i]) for line in body]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in body]
    return "\n".join(line.rstrip() for line in lines)


def as_json(result: Result) -> str:
    """Return the rows as a JSON list of row objects."""
    return json.dumps(to_jsonable(result.rows), ensure_ascii=False)


def as_csv(result: Result) -> str:
    """Return the rows as CSV with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([csv_cell(row.get(column)) for column in result.columns])
    return buffer.getvalue()


FORMATS = {"table": as_table, "json": as_json, "csv": as_csv}
