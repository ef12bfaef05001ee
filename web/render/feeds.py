"""Agreements' end dates as an iCalendar feed (all-day events) and as an Atom feed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree as ET

PRODID = "-//Ecomap//Agreements coming due//EN"
ATOM = "http://www.w3.org/2005/Atom"


def title_of(agreement: dict[str, Any]) -> str:
    """Return how a feed names an agreement: its kind and its two parties."""
    kind = agreement.get("kind") or "agreement"
    return f"{agreement['from']['name']}–{agreement['to']['name']}: {kind} ends"


def describe(agreement: dict[str, Any]) -> str:
    """Return the text of one agreement's entry: dates, status, chain, and the evidence."""
    lines = [
        f"Agreement {agreement['id']} ({agreement['status']}).",
        f"Signed {agreement.get('signed') or 'date not stated'}; "
        f"runs to {agreement['ends_as_given'] or agreement['ends']}.",
    ]
    if agreement["ends_as_given"] and len(agreement["ends_as_given"]) < 10:
        lines.append(f"The source gives the end as {agreement['ends_as_given']}: shown on the "
                     "last day that covers.")  # fmt: skip
    if len(agreement["chain"]) > 1:
        lines.append("Renews: " + " → ".join(agreement["chain"][:-1]))
    if agreement.get("renewed_by"):
        lines.append(f"Renewed by {agreement['renewed_by']}.")
    if agreement.get("evidence"):
        lines.append(f"Evidence ({agreement.get('source')}): “{agreement['evidence']}”")
    return "\n".join(lines)


def ics_feed(agreements: list[dict[str, Any]], stamp: datetime.datetime, link: Callable) -> bytes:
    """Return an iCalendar of one all-day event on each agreement's end date."""
    import icalendar  # only the feed needs it: not imported at start-up

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Ecomap: agreements coming due")
    for agreement in agreements:
        if not agreement["ends"]:
            continue
        ends = datetime.date.fromisoformat(agreement["ends"])
        event = icalendar.Event()
        event.add("uid", f"{agreement['id']}@ecomap")
        event.add("dtstamp", stamp)
        event.add("dtstart", ends)
        event.add("dtend", ends + datetime.timedelta(days=1))
        event.add("summary", title_of(agreement))
        event.add("description", describe(agreement))
        event.add("url", link(agreement))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def atom_feed(
    agreements: list[dict[str, Any]], stamp: datetime.datetime, feed_url: str, link: Callable
) -> bytes:
    """Return an Atom feed with one entry per agreement end date."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", "Ecomap: agreements coming due")
    _text(feed, "id", feed_url)
    _text(feed, "updated", stamp.isoformat())
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=feed_url)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Ecomap")
    for agreement in agreements:
        if not agreement["ends"]:
            continue
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "title", f"{title_of(agreement)} {agreement['ends']}")
        _text(entry, "id", f"{feed_url}#{agreement['id']}")
        _text(entry, "updated", stamp.isoformat())
        ET.SubElement(entry, f"{{{ATOM}}}link", href=link(agreement))
        _text(entry, "summary", describe(agreement))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{name}").text = value
