"""The JSON write API for scripts: ``Authorization: Bearer <token>``, the forms' validation.

Tokens carry a role as their scope; a contributor's token proposes (its changes wait for
review), an editor's applies. Answers: 201 applied or 202 waiting, 400 with each field's problem,
401 without a valid token, 403 outside the token's scope, 409 on a stale version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, g, jsonify, request
from flask.typing import ResponseReturnValue

from graph.edit.facts import read_entity
from graph.edit.revert import revert
from graph.edit.review import approve, reject, submit
from graph.errors import ConflictError, FactNotFoundError, InvalidEditError, NotAllowedError
from web.auth.identity import require
from web.db import get_store
from web.edit_forms import entity_edit, known_tie_type, tie_edit

bp = Blueprint("api", __name__, url_prefix="/api")


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="send a JSON object (Content-Type: application/json)")
    return data


def _answer(run: Callable[[], Any]) -> tuple[Any, int]:
    try:
        result = run()
    except InvalidEditError as error:
        return jsonify({"ok": False, "status": 400, "problems": error.problems}), 400
    except ConflictError as error:
        body = {"ok": False, "status": 409, "error": str(error), "current": error.current}
        return jsonify(body), 409
    except NotAllowedError as error:
        return jsonify({"ok": False, "status": 403, "error": str(error)}), 403
    except FactNotFoundError as error:
        return jsonify({"ok": False, "status": 404, "error": str(error)}), 404
    result = result or {}
    status = 202 if result.get("status") == "pending" else 201
    return jsonify({"ok": True, **result}), status


@bp.post("/entities")
@require("propose")
def create_entity() -> ResponseReturnValue:
    """Create an entity: ``kind``, ``name``, other fields, ``source`` and ``evidence``."""
    data = _body()
    edit = entity_edit("create", data, None, str(data.get("kind") or ""))
    return _answer(lambda: submit(get_store(), edit, g.actor))


@bp.patch("/entities/<slug:entity_id>")
@require("propose")
def update_entity(entity_id: str) -> ResponseReturnValue:
    """Change the fields given (with ``version``, ``source``, ``evidence``)."""
    data = _body()
    fact = read_entity(get_store(), entity_id)
    if fact is None or fact.retired:
        abort(404, description=f"No current entity has the id '{entity_id}'.")
    edit = entity_edit("update", data, entity_id, fact.group)
    return _answer(lambda: submit(get_store(), edit, g.actor))


@bp.post("/entities/<slug:entity_id>/retire")
@require("propose")
def retire_entity(entity_id: str) -> ResponseReturnValue:
    """Retire an entity and its ties (kept in history)."""
    fact = read_entity(get_store(), entity_id)
    if fact is None:
        abort(404, description=f"No entity has the id '{entity_id}'.")
    edit = entity_edit("retire", _body(), entity_id, fact.group)
    return _answer(lambda: submit(get_store(), edit, g.actor))


@bp.post("/ties")
@require("propose")
def create_tie() -> ResponseReturnValue:
    """Create a tie: ``type``, ``from``, ``to``, fields, ``source`` and ``evidence``."""
    edit = tie_edit(get_store(), "create", _body())
    return _answer(lambda: submit(get_store(), edit, g.actor))


@bp.route("/ties/<tie_type>/<slug:tie_id>", methods=["PATCH"])
@require("propose")
def update_tie(tie_type: str, tie_id: str) -> ResponseReturnValue:
    """Change the fields of a tie that are given."""
    edit = tie_edit(
        get_store(), "update", _body(), tie_type=known_tie_type(tie_type), tie_id=tie_id
    )
    return _answer(lambda: submit(get_store(), edit, g.actor))


@bp.post("/ties/<tie_type>/<slug:tie_id>/retire")
@require("propose")
def retire_tie(tie_type: str, tie_id: str) -> ResponseReturnValue:
    """Retire a tie (kept in history)."""
    edit = tie_edit(
        get_store(), "retire", _body(), tie_type=known_tie_type(tie_type), tie_id=tie_id
    )
    return _answer(lambda: submit(get_store(), edit, g.actor))


@bp.post("/review/<rev_id>/<any(approve, reject):decision>")
@require("review")
def review(rev_id: str, decision: str) -> ResponseReturnValue:
    """Approve or reject a proposal."""
    if decision == "approve":
        return _answer(lambda: {**approve(get_store(), rev_id, g.actor), "status": "applied"})
    comment = str((request.get_json(silent=True) or {}).get("comment") or "")
    return _answer(lambda: reject(get_store(), rev_id, g.actor, comment))


@bp.post("/revisions/<rev_id>/revert")
@require("revert")
def revert_revision(rev_id: str) -> ResponseReturnValue:
    """Undo an applied revision with a new one."""
    comment = str((request.get_json(silent=True) or {}).get("comment") or "")
    return _answer(lambda: {**revert(get_store(), rev_id, g.actor, comment), "status": "applied"})
