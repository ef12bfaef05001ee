"""What every fact shows (its dates, its evidence, a link to an entity) as HTML, in Python.

A page of a hub's ties shows these a hundred times or more; as Jinja macros each call built
a new context and cost more than the rest of the page. ``_facts.html`` keeps the macros for
templates, and they call these, so the markup is written once. Values are escaped as Jinja's
autoescape would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from markupsafe import Markup, escape

from web.render.urls import url_for


def _getter(fact: Any) -> Callable[..., Any]:
    """How to read a field of a fact given as a mapping or an object: ``get(name, missing)``
    (``missing`` when it has none: "" where Jinja would have shown an undefined field)."""
    if type(fact) is dict or isinstance(fact, Mapping):  # a dict first: the ABC check is slow
        return fact.get
    return lambda name, missing=None: getattr(fact, name, missing)


def fact_dates(fact: Any) -> Markup:
    """The fact's status, then its dates: "signed 2019 · valid 2019–2025"."""
    get = _getter(fact)
    parts = []
    if get("signed"):
        parts.append(f"signed {get('signed')}")
    if get("valid_from") or get("valid_until"):
        parts.append(f"valid {get('valid_from') or '…'}–{get('valid_until') or '…'}")
    if get("since") or get("until"):
        parts.append(f"{get('since') or '…'}–{get('until') or '…'}")
    if get("date"):
        parts.append(str(get("date")))
    html = ""
    status = get("status")
    if status:
        html += f'<span class="status status-{escape(str(status).replace(" ", "-"))}">'
        html += f"{escape(status)}</span> "
    if parts:
        html += f'<span class="dates">{" · ".join(escape(part) for part in parts)}</span>'
    return Markup(html)


def entity_href(entity_id: Any) -> str:
    """The path of an entity's page (built once per mount point, the id filled in)."""
    return url_for("pages.entity", entity_id=str(entity_id))


def entity_link(entity: Any) -> Markup:
    """A link to the entity's page (its name), then its kind and country."""
    get = _getter(entity)
    kind, country = get("kind", ""), get("country")
    href, name = entity_href(get("id", "")), get("name", "")
    html = (
        f'<a class="entity kind-{escape(str(kind).lower())}" href="{escape(href)}">'
        f'{escape(name)}</a> <span class="kind">{escape(kind)}'
    )
    if country:
        html += f" · {escape(country)}"
    return Markup(html + "</span>")


def fact_evidence(fact: Any, source_titles: Mapping[str, str] | None) -> Markup:
    """The verbatim quote, its translation, how sure, and the source it comes from."""
    get = _getter(fact)
    if not get("evidence"):
        return Markup("")
    translation = note = footer = ""
    if get("evidence_en"):
        translation = f'<p class="translation">{escape(get("evidence_en"))}</p>'
    certainty = get("certainty")
    if get("note") or certainty:
        sure = ""
        if certainty:
            shown = escape(certainty)
            sure = f'<span class="certainty certainty-{shown}">{shown}</span> '
        note = f'<div class="note">{sure}{escape(get("note") or "")}</div>'
    source = get("source")
    if source:
        title = (source_titles or {}).get(source) or source
        footer = f'<footer>— <a href="#source-{escape(source)}">{escape(title)}</a></footer>'
    return Markup(
        f'\n<blockquote class="evidence">\n  <p>“{escape(get("evidence"))}”</p>\n'
        f"  {translation}\n  {note}\n  {footer}\n</blockquote>\n"
    )
