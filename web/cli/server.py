"""The development server behind ``ecomap serve``: bound before the app starts, quiet at start."""

from __future__ import annotations

import errno
import html
import json
import socket
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from werkzeug.serving import BaseWSGIServer, get_sockaddr, make_server, select_address_family

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


def bind(host: str, port: int, data_dir: Path | None = None) -> BaseWSGIServer:
    """Bind ``host:port`` for a threaded server whose app is set later; say plainly if busy.

    Until the app is set it answers :class:`Starting` (a 503 saying what is going on), so a
    browser or a health check gets an answer at once, however long the data takes to load.
    """
    family = select_address_family(host, port)
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(get_sockaddr(host, port, family))
        listener.listen(128)
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"port {port} is busy on {host}: another program (or another Ecomap) is using "
                "it; stop it, or choose another port with --port (make run PORT=8080)"
            ) from None
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from None
    starting = Starting(data_dir)
    server = make_server(host, port, starting, threaded=True, fd=listener.fileno())
    listener.close()  # the server holds its own duplicate of the socket
    return server


REFRESH_S = 2


class Starting:
    """The answer while the app starts: 503, what is happening and for how long, and a page
    that reloads itself (a ``.json`` path or ``/-/health`` gets the same as JSON).
    """

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir
        self.since = time.monotonic()

    def doing(self) -> str:
        """Say what the start is waiting for: the embedded database loading its data, if any."""
        folder = self.data_dir / "falkordb" / "appendonlydir" if self.data_dir else None
        size = sum(p.stat().st_size for p in folder.iterdir()) if folder and folder.is_dir() else 0
        if size:
            return f"the database is loading the graph from disk ({size / 2**20:,.0f} MiB)"
        return "the database is starting"

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        waited = time.monotonic() - self.since
        doing = self.doing()
        path = environ.get("PATH_INFO", "")
        headers = [("Retry-After", str(REFRESH_S)), ("Cache-Control", "no-store")]
        if path.endswith(".json") or path.startswith("/-/"):
            body = {"status": "starting", "doing": doing, "waited_s": round(waited, 1)}
            start_response(
                "503 Service Unavailable", [*headers, ("Content-Type", "application/json")]
            )
            return [json.dumps(body).encode()]
        page = (
            f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="{REFRESH_S}"><title>Ecomap is starting</title>'
            f"</head><body><h1>Ecomap is starting</h1><p>{html.escape(doing)}; "
            f"{waited:.0f} s so far. This page reloads itself until the data is in.</p>"
            "</body></html>"
        )
        start_response(
            "503 Service Unavailable", [*headers, ("Content-Type", "text/html; charset=utf-8")]
        )
        return [page.encode()]
