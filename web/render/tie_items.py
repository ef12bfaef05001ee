"""The ties of an entity's page as HTML, in Python: one type's group, one tie, and one
agreement of the timeline.

A hub's page lists ten ties of each of twenty-odd types; written by Jinja, each item's
attribute lookups and tests cost more than the store's reads for the whole page, and a
small entity's tie list cost as much as its reads. The markup is the one ``entity.html``
wrote (tests/data/tie_item.html, tie_group.html and timeline_item.html keep it as the
reference).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from web.render.facts import entity_link, fact_dates, fact_evidence
from web.render.urls import url_for


def tie_group(
    group: Mapping[str, Any],
    entity_id: str,
    tie_type: str | None,
    actor: Any,
    source_titles: Mapping[str, str] | None,
    sorted_up_to: int,
) -> Markup:
    """One type's ties: its heading and count, its counts per kind of the other party (each
    a link to those ties only), its ties, and the links to the previous and next page."""
    rel_type, total, kind = group["type"], group["total"], group.get("kind")
    kinds: Mapping[str, int] = group.get("kinds") or {}
    name = escape(rel_type)
    html = f'<h3 id="type-{name}">{name} <span class="muted">{total}</span></h3>\n'
    if not group.get("sorted"):
        html += (
            f'<p class="muted tie-order">{total} ties: listed in the order the database keeps'
            f" them (more than {sorted_up_to} are not sorted).</p>\n"
        )
    if len(kinds) > 1 or (kind and kinds):
        links = []
        for shown, count in kinds.items():
            href = escape(url_for("pages.entity", entity_id=entity_id, type=rel_type, kind=shown))
            current = ' aria-current="true"' if shown == kind else ""
            links.append(f'<a href="{href}"{current}>{escape(shown)} {count}</a>')
        html += f'<p class="tie-kinds muted">{" · ".join(links)}</p>\n'
    items = [str(tie_item(fact, rel_type, actor, source_titles)) for fact in group["ties"]]
    html += '<ul class="tie-list">\n' + "\n".join(items) + "\n</ul>\n"
    if group.get("skip") or group.get("more"):
        html += _pages(group, entity_id, tie_type)
    return Markup(html)


def timeline_item(fact: Mapping[str, Any]) -> Markup:
    """One agreement of the entity's timeline: when, what kind, with whom, the agreements
    it renews."""
    get = fact.get
    when = escape(get("signed") or get("valid_from") or "undated")
    html = (
        f'<li id="timeline-{escape(get("id", ""))}"><span class="when">{when}</span>\n'
        f'<span class="tie-kind">{escape(get("kind") or "agreement")}</span> with '
        f"{entity_link(get('other') or {})}\n{fact_dates(fact)}\n"
    )
    renews = get("renews_chain") or []
    if renews:
        chain = escape(" → ".join(str(step) for step in renews))
        html += f'<span class="chain">renews {chain}</span>\n'
    return Markup(html + "</li>")


def _pages(group: Mapping[str, Any], entity_id: str, tie_type: str | None) -> str:
    """Which ties of the type these are, and the links to the pages before and after."""
    skip, shown, of = group["skip"], len(group["ties"]), group.get("of")
    html = f'<p class="tie-pages">{skip + 1}–{skip + shown}' + (
        f" of {of}" if of is not None else ""
    )
    values = {"entity_id": entity_id, "type": group["type"], "kind": group.get("kind")}
    if tie_type and skip:
        before = url_for("pages.entity", **values, skip=max(skip - group["size"], 0))
        html += f'\n<a rel="prev" href="{escape(before)}">previous</a>'
    if group.get("more"):
        after = url_for("pages.entity", **values, skip=skip + shown)
        html += f'\n<a rel="next" href="{escape(after)}">{"next" if tie_type else "more"}</a>'
    return html + "\n</p>\n"


def tie_item(
    fact: Mapping[str, Any],
    tie_type: str,
    actor: Any,
    source_titles: Mapping[str, str] | None,
) -> Markup:
    """The list item of one tie: the other party, kind, role, dates, amount, chains, the
    evidence, and the edit and confirm actions the signed-in ``actor`` may take."""
    get = fact.get
    tie_id = escape(get("id", ""))
    arrow = "→" if get("direction") == "out" else "←"
    head = [f'<span class="arrow">{arrow}</span>', entity_link(get("other") or {})]
    for field, css in (("kind", "tie-kind"), ("role", "role"), ("title", "role")):
        if get(field):
            head.append(f'<span class="{css}">{escape(get(field))}</span>')
    head.append(fact_dates(fact))
    if get("amount"):
        covers = f" ({escape(get('amount_covers'))})" if get("amount_covers") else ""
        shown = escape("{:,}".format(get("amount")))
        head.append(f'<span class="amount">{shown} {escape(get("currency") or "")}{covers}</span>')
    if get("renews"):
        renews = escape(get("renews"))
        head.append(f'<span class="chain">renews <a href="#timeline-{renews}">{renews}</a></span>')
    if get("superseded"):
        verb = "renewed" if get("type") == "AGREEMENT" else "succeeded"
        head.append(f'<span class="chain">{verb} {escape(get("superseded"))}</span>')
    if get("succeeds"):
        succeeds = escape(get("succeeds"))
        head.append(f'<span class="chain">succeeds <a href="#tie-{succeeds}">{succeeds}</a></span>')
    html = f'<li class="tie" id="tie-{tie_id}">\n<div class="tie-head">\n'
    html += "\n".join(str(part) for part in head) + "\n</div>\n"
    if get("description"):
        html += f'<p class="description">{escape(get("description"))}</p>\n'
    html += str(fact_evidence(fact, source_titles)) + "\n"
    html += _actions(fact, tie_type, actor)
    return Markup(html + "</li>")


def _actions(fact: Mapping[str, Any], tie_type: str, actor: Any) -> str:
    """When it was last checked, and the edit and confirm buttons the actor may use."""
    proposes = bool(actor) and actor.may("propose")
    verified = fact.get("verified_at")
    if not (proposes or verified):
        return ""
    parts = []
    if verified:
        parts.append(f'<span class="muted">last verified {escape(verified)}</span>')
    tie_id = fact.get("id", "")
    if proposes:
        edit = url_for("edit.edit_tie", tie_type=tie_type, tie_id=tie_id)
        parts.append(f'<a href="{escape(edit)}">Edit</a>')
    if actor and actor.may("confirm"):
        action = url_for("edit.change_tie", tie_type=tie_type, tie_id=tie_id, action="confirm")
        parts.append(
            f'<form method="post" class="inline" action="{escape(action)}">'
            f'<input type="hidden" name="csrf_token" value="{escape(generate_csrf())}">'
            f'<input type="hidden" name="version" value="{escape(fact.get("version") or 0)}">'
            '<button class="link">Confirm as checked</button></form>'
        )
    return '<div class="fact-actions">\n' + "\n".join(parts) + "\n</div>\n"
