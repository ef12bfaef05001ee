"""From a submitted form (or an API's JSON) to an :class:`Edit`, and back to form values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort

from graph.edit.changes import Edit, Evidence
from graph.edit.fields import editable, parse_text
from graph.explore.entities import find_entity
from graph.explore.search import search
from graph.model import RELATIONSHIP_TYPES, TEXT_LIST
from graph.store.base import Store

NEW_SOURCE = "new"


def evidence_from(data: Mapping[str, Any]) -> Evidence:
    """Read the source (an id, or ``new`` with a title and URL) and the quote."""
    source = str(data.get("source") or "").strip()
    return Evidence(
        source=None if source in ("", NEW_SOURCE) else source,
        quote=str(data.get("evidence") or ""),
        quote_en=str(data.get("evidence_en") or ""),
        new_title=str(data.get("new_source_title") or "") if source in ("", NEW_SOURCE) else "",
        new_url=str(data.get("new_source_url") or ""),
    )


def values_from(
    target: str, data: Mapping[str, Any], *, only_given: bool = False
) -> dict[str, Any]:
    """Read the editable fields (all of them; or, for a JSON patch, those given)."""
    return {
        name: parse_text(target, name, data.get(name))
        for name in editable(target)
        if not only_given or name in data
    }


def version_from(data: Mapping[str, Any]) -> int | None:
    """Read the version the editor saw (None when not given)."""
    raw = data.get("version")
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def entity_edit(action: str, data: Mapping[str, Any], entity_id: str | None, kind: str) -> Edit:
    """Build an entity edit from form or JSON data."""
    values = values_from("entity", data, only_given=not hasattr(data, "getlist"))
    if action not in ("create", "update"):
        values = {}
    return Edit(
        action=action, target="entity", group=str(data.get("kind") or kind), id=entity_id,
        values=values, base_version=version_from(data), evidence=evidence_from(data),
        comment=str(data.get("comment") or ""),
    )  # fmt: skip


def resolve_party(store: Store, text: str) -> str | None:
    """Return the id of the entity ``text`` names: an id, or a name that matches exactly."""
    text = text.strip()
    if not text:
        return None
    if find_entity(store, text) is not None:
        return text
    hits = [hit for hit in search(store, text, limit=3) if hit["score"] >= 1.0]
    return hits[0]["id"] if len(hits) == 1 else None


def known_tie_type(tie_type: str) -> str:
    """Return ``tie_type``, or answer 404 when the model has no such type."""
    if tie_type not in RELATIONSHIP_TYPES:
        abort(404, description=f"No tie type '{tie_type}'.")
    return tie_type


def tie_edit(
    store: Store, action: str, data: Mapping[str, Any], *, entity_id: str | None = None,
    tie_type: str | None = None, tie_id: str | None = None,
) -> Edit:  # fmt: skip
    """Build a tie edit; a new tie joins ``entity_id`` and the other party, in either direction."""
    values = values_from("tie", data, only_given=not hasattr(data, "getlist"))
    ends = None
    if action == "create":
        if entity_id is None:
            ends = (str(data.get("from") or ""), str(data.get("to") or ""))
        else:
            other = resolve_party(store, str(data.get("other") or "")) or ""
            ends = (
                (entity_id, other) if data.get("direction", "out") == "out" else (other, entity_id)
            )
    if action not in ("create", "update"):
        values = {}
    return Edit(
        action=action, target="tie", group=str(data.get("type") or tie_type or ""), id=tie_id,
        values=values, ends=ends, base_version=version_from(data),
        evidence=evidence_from(data), comment=str(data.get("comment") or ""),
    )  # fmt: skip


def form_text(target: str, values: Mapping[str, Any]) -> dict[str, str]:
    """Return stored values as the text a form shows (lists comma-separated)."""
    kinds = {name: TEXT_LIST if name in ("aliases", "sectors") else "" for name in editable(target)}
    shown = {}
    for name in editable(target):
        value = values.get(name)
        if value is None:
            shown[name] = ""
        elif kinds[name] == TEXT_LIST and isinstance(value, list):
            shown[name] = ", ".join(map(str, value))
        else:
            shown[name] = str(value)
    return shown
