"""Intake pages: give Ecomap a document, review what it proposes, accept, correct or reject."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue

from graph.edit.roles import Actor
from graph.errors import IntakeError
from graph.explore.entities import find_entity
from graph.intake.apply import Applied, EntityChoice, TieChoice, apply_choices
from graph.intake.documents import Document, read_document
from graph.intake.known import read_lexicon, read_ties
from graph.intake.proposals import Proposals, propose
from graph.intake.sources import AlreadyTakenInError, Details, keep_document, stored_document
from graph.model import NODE_LABELS, RELATIONSHIP_TYPES
from web.auth.identity import current_actor, require
from web.db import get_store
from web.responses import respond

bp = Blueprint("intake", __name__)
MAX_UPLOAD = 20 * 1024 * 1024
SOURCE_ID = "<slug:source_id>"


@bp.get("/intake.json")
@bp.get("/intake")
def start() -> ResponseReturnValue:
    """Show the form: paste a text or upload a file, with its title, URL and date."""
    return respond("intake.html", {"error": None, "form": {}})


@bp.post("/intake")
@require("edit")
def take_in() -> ResponseReturnValue:
    """Keep the document as a Source, then open its review (or the earlier one)."""
    _refuse_cross_site()
    form = request.form
    try:
        document = _document_from_request()
        details = Details(form.get("title", ""), form.get("url", ""), form.get("published", ""))
        source_id = keep_document(get_store(), document, details, _user())
    except AlreadyTakenInError as error:
        return redirect(url_for("intake.review", source_id=error.source_id, seen=1))
    except IntakeError as error:
        return respond("intake.html", {"error": str(error), "form": dict(form)}, 400)
    return redirect(url_for("intake.review", source_id=source_id))


def _document_from_request() -> Document:
    if (request.content_length or 0) > MAX_UPLOAD:
        raise IntakeError(f"the upload is larger than {MAX_UPLOAD // (1024 * 1024)} MB")
    upload = request.files.get("file")
    if upload is not None and upload.filename:
        return read_document(upload.read(), upload.filename)
    text = request.form.get("text", "")
    if not text.strip():
        raise IntakeError("paste the article's text or choose a file")
    return read_document(text.encode("utf-8"), "pasted.txt")


def _refuse_cross_site() -> None:
    """Writes come from Ecomap's own pages only."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        abort(403, description="Intake accepts forms from Ecomap's own pages only.")


def _actor() -> Actor:
    """The signed-in author of the change (``require`` has made sure there is one)."""
    actor = current_actor()
    assert actor is not None
    return actor


def _user() -> str:
    return _actor().name


@bp.get(f"/intake/{SOURCE_ID}.json")
@bp.get(f"/intake/{SOURCE_ID}")
def review(source_id: str) -> ResponseReturnValue:
    """Show the document with its proposals highlighted, and a form to decide on each."""
    source, proposals = _proposals(source_id)
    return respond("intake_review.html", _review_data(source, proposals))


@bp.post(f"/intake/{SOURCE_ID}")
@require("edit")
def decide(source_id: str) -> ResponseReturnValue:
    """Apply the reviewer's decisions all or nothing, then show what was written."""
    _refuse_cross_site()
    source, proposals = _proposals(source_id)
    entity_choices, tie_choices = _choices(proposals)
    try:
        applied = apply_choices(
            get_store(), source, proposals, entity_choices, tie_choices, _actor()
        )
    except IntakeError as error:
        data = _review_data(source, proposals)
        data["error"] = str(error)
        return respond("intake_review.html", data, 400)
    data = {"source": _public(source), "applied": applied, "names": _names(applied)}
    return respond("intake_applied.html", data)


def _names(applied: Applied) -> dict[str, str]:
    """Return the name of every entity the apply wrote or tied, by id (to show names)."""
    store = get_store()
    ids = dict.fromkeys(
        [*applied.entities, *(t[end] for t in applied.ties for end in ("from", "to"))]
    )
    nodes = ((entity_id, find_entity(store, entity_id)) for entity_id in ids)
    return {
        entity_id: str(node.properties.get("name") or entity_id)
        for entity_id, node in nodes
        if node
    }


def _proposals(source_id: str) -> tuple[dict[str, Any], Proposals]:
    store = get_store()
    try:
        source = stored_document(store, source_id)
    except IntakeError as error:
        abort(404, description=str(error))
    proposals = propose(
        source["text"], read_lexicon(store), title=source.get("title", ""),
        existing_ties=read_ties(store),
    )  # fmt: skip
    return source, proposals


def _choices(proposals: Proposals) -> tuple[dict[str, EntityChoice], dict[str, TieChoice]]:
    form = request.form
    entities = {
        key: EntityChoice(
            accept=form.get(f"entity:{key}") == "accept",
            name=form.get(f"name:{key}", "").strip(),
            kind=form.get(f"kind:{key}", "").strip(),
            existing=form.get(f"existing:{key}", "").strip(),
        )
        for key in proposals.entities
    }
    ties = {
        tie.key: TieChoice(
            accept=form.get(f"tie:{tie.key}") == "accept",
            type=form.get(f"type:{tie.key}", "").strip(),
            date=form.get(f"date:{tie.key}", "").strip(),
        )
        for tie in proposals.ties
    }
    return entities, ties


def _public(source: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in source.items() if k not in ("text", "digest")}


def _review_data(source: dict[str, Any], proposals: Proposals) -> dict[str, Any]:
    return {
        "source": _public(source),
        "segments": segments(source["text"], proposals),
        "proposals": proposals.as_json(),
        "entities": list(proposals.entities.values()),
        "ties": proposals.ties,
        "names": {k: e.name for k, e in proposals.entities.items()},
        "kinds": NODE_LABELS,
        "types": RELATIONSHIP_TYPES,
        "seen": request.args.get("seen") == "1",
        "error": None,
    }


def segments(text: str, proposals: Proposals) -> list[dict[str, Any]]:
    """Cut the text into plain stretches and highlighted mentions (the template escapes both)."""
    spans = sorted(
        (start, end, key)
        for key, entity in proposals.entities.items()
        for start, end in entity.spans
        if end > start
    )
    pieces: list[dict[str, Any]] = []
    at = 0
    for start, end, key in spans:
        if start < at:
            continue
        if start > at:
            pieces.append({"text": text[at:start]})
        entity = proposals.entities[key]
        pieces.append({"text": text[start:end], "key": key, "matched": entity.matched,
                       "kind": entity.kind})  # fmt: skip
        at = end
    pieces.append({"text": text[at:]})
    return pieces
