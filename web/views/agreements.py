"""``/agreements``: agreements in force, coming due, lapsed, and their renewal chains; the end
dates as an iCalendar feed (``/agreements.ics``) and an Atom feed (``/agreements.atom``)."""

from __future__ import annotations

import datetime
from typing import Any

from flask import Blueprint, Response, url_for
from flask.typing import ResponseReturnValue

from graph.analysis.agreements import DEFAULT_DUE_DAYS, agreements_due, feed_agreements
from web import request_args as params
from web.analysis import snapshot
from web.render.feeds import atom_feed, ics_feed
from web.responses import cited, data_as_of, respond, source_titles

bp = Blueprint("agreements", __name__)


def today() -> datetime.date:
    """Return the day to count from: ``today=YYYY-MM-DD`` when given, else today."""
    raw = params.text("today", max_length=10)
    if raw is None:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise params.bad(f"'today' must be a date such as 2025-06-30, not {raw!r}") from None


@bp.get("/agreements.json")
@bp.get("/agreements")
def agreements_page() -> ResponseReturnValue:
    """List agreements coming due within ``days`` (default 180), lapsed ones, renewal chains."""
    days = params.integer("days", DEFAULT_DUE_DAYS, 1, 3660) or DEFAULT_DUE_DAYS
    limit = params.integer("limit", 500, 1, 100_000) or 500
    data = agreements_due(snapshot(), today(), days, limit)
    data["sources"] = cited(data["in_force"], data["lapsed"], data["planned"])
    data["source_titles"] = source_titles()
    return respond("agreements.html", data)


def _feed_items() -> tuple[list[dict[str, Any]], datetime.datetime]:
    """Return the agreements whose end the feeds show, and the feeds' time stamp."""
    day = today()
    items = [a.to_dict(day) for a in feed_agreements(snapshot(), day)]
    stamp = data_as_of()
    when = datetime.datetime.fromisoformat(stamp) if stamp else datetime.datetime.now(datetime.UTC)
    return items, when


def _link(agreement: dict[str, Any]) -> str:
    return url_for("pages.entity", entity_id=agreement["from"]["id"], _external=True) + (
        f"#tie-{agreement['id']}"
    )


@bp.get("/agreements.ics")
def agreements_ics() -> Response:
    """Serve each agreement's end date as an all-day event, for the calendars people use."""
    items, when = _feed_items()
    response = Response(ics_feed(items, when, _link), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="ecomap-agreements.ics"'
    return response


@bp.get("/agreements.atom")
def agreements_atom() -> Response:
    """Serve each agreement's end date as an Atom entry, for feed readers."""
    items, when = _feed_items()
    feed = atom_feed(items, when, url_for("agreements.agreements_atom", _external=True), _link)
    return Response(feed, mimetype="application/atom+xml")
