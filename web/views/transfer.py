"""Import (upload, preview, apply) and export downloads: spreadsheets in, files out.

An upload is kept under the data dir until it is applied; the preview's digest travels with
the form, so applying refuses when the graph changed since the preview (or the choices of
matches did: the page then shows the preview again).
"""

from __future__ import annotations

import io
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, abort, current_app, request, send_file, url_for
from flask.typing import ResponseReturnValue
from werkzeug.utils import secure_filename

from graph.errors import EcomapError
from graph.explore.neighbourhood import ego_network
from graph.export.csv_files import write_csv_zip
from graph.export.gexf import stream_gexf
from graph.export.graphml import stream_graphml
from graph.export.template import write_template
from graph.export.xlsx import write_xlsx
from graph.load.import_apply import StaleImportError, apply_import, preview_import
from graph.load.problems import SpreadsheetError
from web import request_args as params
from web.auth.identity import require
from web.db import get_store
from web.responses import respond

bp = Blueprint("transfer", __name__)
SUFFIXES = (".xlsx", ".ods", ".csv")
TOKEN_BYTES = 16
UPLOAD_LIFETIME_S = 24 * 3600
EXPORTS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv.zip": "application/zip",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
}


def init_app(app: Flask) -> None:
    """Register the blueprint and cap uploads at ECOMAP_IMPORT_MAX_MB."""
    settings = app.config["ECOMAP_SETTINGS"]
    app.config.setdefault("MAX_CONTENT_LENGTH", settings.import_max_mb << 20)
    app.register_blueprint(bp)


def _uploads() -> Path:
    folder = Path(current_app.config["ECOMAP_SETTINGS"].data_dir) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# The page's own rule is the lower decorator, so it registers first and url_for builds it.
@bp.get("/import.json")
@bp.get("/import")
def import_page() -> ResponseReturnValue:
    """Show the upload form, with the template to download."""
    return respond("import.html", {"formats": list(SUFFIXES), "plan": None})


@bp.get("/import/template.xlsx")
def template() -> ResponseReturnValue:
    """Download the import template."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ecosystem.xlsx"
        write_template(path)
        data = path.read_bytes()
    return send_file(
        io.BytesIO(data), mimetype=EXPORTS["xlsx"], as_attachment=True,
        download_name="ecosystem-template.xlsx",
    )  # fmt: skip


@bp.post("/import.json")
@bp.post("/import")
@require("edit")
def upload() -> ResponseReturnValue:
    """Keep the uploaded files and show what importing them would change."""
    files = [f for f in request.files.getlist("file") if f.filename]
    if not files:
        abort(400, description="Choose a spreadsheet (.xlsx, .ods or .csv) to upload.")
    _forget_old_uploads()
    token = secrets.token_hex(TOKEN_BYTES)
    folder = _uploads() / token
    folder.mkdir()
    for upload_file in files:
        name = secure_filename(upload_file.filename or "") or "upload.csv"
        if not name.lower().endswith(SUFFIXES):
            shutil.rmtree(folder)
            abort(400, description=f"{name}: Ecomap reads .xlsx, .ods and .csv files.")
        upload_file.save(folder / name)
    return _preview(token, take=None)


@bp.post("/import/preview")
@require("edit")
def repreview() -> ResponseReturnValue:
    """Show the preview again, with the match choices ticked on the form."""
    return _preview(_token(), take=request.form.getlist("take"))


@bp.post("/import/apply")
@require("edit")
def apply() -> ResponseReturnValue:
    """Apply the previewed import, all or nothing; refuse a stale preview."""
    token, take = _token(), request.form.getlist("take")
    folder = _uploads() / token
    store = get_store()
    try:
        summary = apply_import(store, _files(folder), request.form.get("digest", ""), take=take)
    except StaleImportError as error:
        return _preview(token, take, status=409, stale=str(error))
    except SpreadsheetError:
        return _preview(token, take, status=400)
    shutil.rmtree(folder, ignore_errors=True)
    data = {
        "applied": {
            "created": summary.total("created"),
            "updated": summary.total("updated"),
            "unchanged": summary.total("unchanged"),
        },
        "plan": None,
    }
    return respond("import.html", data)


def _forget_old_uploads() -> None:
    """Remove uploads previewed but never applied, a day after they came."""
    cutoff = time.time() - UPLOAD_LIFETIME_S
    for folder in _uploads().iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _token() -> str:
    token = request.form.get("token", "")
    if len(token) != 2 * TOKEN_BYTES or not all(c in "0123456789abcdef" for c in token):
        abort(400, description="This import's upload is unknown: upload the file again.")
    if not (_uploads() / token).is_dir():
        abort(404, description="This upload is gone (applied already?): upload the file again.")
    return token


def _files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir())


def _preview(
    token: str, take: list[str] | None, status: int = 200, stale: str | None = None
) -> ResponseReturnValue:
    folder = _uploads() / token
    files = _files(folder)
    limit = current_app.config["ECOMAP_SETTINGS"].import_max_mb << 20
    try:
        plan = preview_import(get_store(), files, take=take, max_bytes=limit)
    except SpreadsheetError as error:
        shutil.rmtree(folder, ignore_errors=True)
        refused = {"problems": [p.to_dict() for p in error.problems], "plan": None}
        return respond("import.html", refused, 400)
    data: dict[str, Any] = {
        "plan": plan,
        "token": token,
        "files": [f.name for f in files],
        "stale": stale,
    }
    if request.path.endswith(".json"):
        data = _plan_json(data)
    return respond("import.html", data, status)


def _plan_json(data: dict[str, Any]) -> dict[str, Any]:
    from dataclasses import asdict

    plan = data["plan"]
    return {
        "token": data["token"],
        "digest": plan.digest,
        "summary": plan.summary(),
        "changes": [asdict(c) for s in (plan.entities, plan.ties, plan.sources) for c in s.shown],
        "proposals": [asdict(p) for p in plan.proposals],
        "problems": [p.to_dict() for p in plan.problems],
    }


# -- exports ---------------------------------------------------------------------------


@bp.get("/export/graph.<any(xlsx, 'csv.zip', graphml, gexf):fmt>")
def export_graph(fmt: str) -> ResponseReturnValue:
    """Download the whole graph (or the entities of ``ids`` and the ties among them)."""
    ids = params.text("ids", max_length=100_000)
    chosen = [i for i in ids.split(",") if i] if ids else None
    return _download(fmt, chosen, "ecosystem")


@bp.get("/export/network/<slug:entity_id>.<any(xlsx, 'csv.zip', graphml, gexf):fmt>")
def export_network(entity_id: str, fmt: str) -> ResponseReturnValue:
    """Download the network an entity's page shows (same hops and filters)."""
    hops = params.integer("hops", 1, 1, 3) or 1
    data = ego_network(get_store(), entity_id, hops=hops, tie_filter=params.tie_filter())
    if data is None:
        abort(404, description=f"No entity has the id '{entity_id}'.")
    ids = [node["id"] for node in data["nodes"]]
    return _download(fmt, ids, f"network-{entity_id}")


FORMAT_NAMES = {"xlsx": "Excel", "csv.zip": "CSV", "graphml": "GraphML", "gexf": "GEXF (Gephi)"}


def download_links(endpoint: str = "transfer.export_graph", **values: Any) -> list[dict[str, str]]:
    """Return a view's download links, one per format (``ids`` as a comma-separated list)."""
    if isinstance(values.get("ids"), list | tuple | set):
        values["ids"] = ",".join(sorted(values["ids"]))
    return [
        {"label": label, "url": url_for(endpoint, fmt=fmt, **values)}
        for fmt, label in FORMAT_NAMES.items()
    ]


def _download(fmt: str, ids: list[str] | None, name: str) -> ResponseReturnValue:
    store = get_store()
    buffer = io.BytesIO()
    try:
        if fmt == "xlsx":
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "export.xlsx"
                write_xlsx(store, path, ids)
                buffer.write(path.read_bytes())
        elif fmt == "csv.zip":
            write_csv_zip(store, buffer, ids)
        else:
            text = io.StringIO()
            (stream_graphml if fmt == "graphml" else stream_gexf)(store, text, ids)
            buffer.write(text.getvalue().encode("utf-8"))
    except EcomapError as error:
        abort(503, description=str(error))
    buffer.seek(0)
    return send_file(
        buffer, mimetype=EXPORTS[fmt], as_attachment=True, download_name=f"{name}.{fmt}"
    )
