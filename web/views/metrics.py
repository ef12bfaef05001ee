"""``/metrics``: every entity ranked by a metric as of a year, with the reasons it ranks there;
a ``.json`` twin (one page of rows) and a ``.csv`` download (every row)."""

from __future__ import annotations

import csv
import io

import numpy as np
from flask import Blueprint, Response
from flask.typing import ResponseReturnValue

from graph.analysis.metrics import ASCENDING_FIRST, COLUMN_NAMES, COLUMNS, Metrics
from graph.model import NODE_LABELS
from web import request_args as params
from web.analysis import metrics, this_year
from web.responses import cited, respond, source_titles

bp = Blueprint("metrics", __name__)
MAX_ROWS = 1000


def metrics_args() -> tuple[int, str, bool]:
    """Return the year, the column to sort by and whether to sort descending."""
    year = params.integer("year", this_year(), 1800, 2200)
    assert year is not None
    sort = (params.choices("sort", COLUMN_NAMES) or ("betweenness",))[0]
    order = (params.choices("order", ("asc", "desc")) or (None,))[0]
    descending = order == "desc" if order else sort not in ASCENDING_FIRST
    return year, sort, descending


@bp.get("/metrics.json")
@bp.get("/metrics")
def metrics_page() -> ResponseReturnValue:
    """Rank entities by a metric as of a year, each with why it ranks there and its sources."""
    year, sort, descending = metrics_args()
    kind = (params.choices("kind", NODE_LABELS) or (None,))[0]
    limit = params.integer("limit", 50, 1, MAX_ROWS) or 50
    offset = params.integer("offset", 0, 0, 10_000_000) or 0
    table = metrics(year)
    positions = ranked(table, sort, descending, kind)
    shown = positions[offset : offset + limit]
    rows = [{"rank": offset + k + 1, **table.row(i), "why": table.explain(i)}
            for k, i in enumerate(shown.tolist())]  # fmt: skip
    data = {
        "year": year,
        "sort": sort,
        "order": "desc" if descending else "asc",
        "kind": kind,
        "limit": limit,
        "offset": offset,
        "total": int(len(positions)),
        "columns": [{"name": n, "heading": h, "help": t} for n, h, t in COLUMNS],
        "method": table.method(),
        "rows": rows,
        "kinds_known": NODE_LABELS,
    }
    data["sources"] = cited([{"source": s} for row in rows for s in row["why"]["sources"]])
    data["source_titles"] = source_titles()
    return respond("metrics.html", data)


def ranked(table: Metrics, sort: str, descending: bool, kind: str | None) -> np.ndarray:
    """Return entity positions in rank order, only those of ``kind`` when given."""
    order = table.order(sort, descending)
    if kind is None:
        return order
    kinds = table.snapshot.entities
    return order[[kinds[i].kind == kind for i in order.tolist()]]


@bp.get("/metrics.csv")
def metrics_csv() -> Response:
    """Download every entity's metrics as of a year, in rank order."""
    year, sort, descending = metrics_args()
    table = metrics(year)
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["rank", "id", "name", "kind", "country", "sector", *COLUMN_NAMES]
    writer.writerow(header)
    for rank, i in enumerate(table.order(sort, descending).tolist(), start=1):
        row = table.row(i)
        writer.writerow([rank, *("" if row[k] is None else row[k] for k in header[1:])])
    response = Response(out.getvalue(), mimetype="text/csv")
    name = f"ecomap-metrics-{year}-{sort}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
