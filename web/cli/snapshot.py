"""Snapshots on the command line: one view rendered by a private app into a self-contained file."""

from __future__ import annotations

from graph.errors import EcomapError
from web.app import create_app
from web.db import close_store
from web.settings import AppSettings
from web.signing import sign


def snapshot_html(settings: AppSettings, path: str, base_url: str = "http://127.0.0.1:5000") -> str:
    """Render the snapshot of the embed at ``path`` with a private app; raise if it fails.

    ``base_url`` is where the snapshot's "Open in Ecomap" link points.
    """
    app = create_app({"SETTINGS": settings})
    try:
        if settings.access == "proxy":
            path = sign(settings.secret_key, path, days=1)
        response = app.test_client().get(
            path + ("&" if "?" in path else "?") + "snapshot=1",
            headers={"Accept": "application/json"},
            base_url=base_url,
        )
        if response.status_code != 200:
            body = response.get_json(silent=True) or {}
            raise EcomapError(f"{path}: {response.status_code} {body.get('error', '')}".strip())
        return response.get_data(as_text=True)
    finally:
        close_store(app)
