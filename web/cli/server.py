"""The development server behind ``ecomap serve``: bound before the app starts, quiet at start."""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterable
from typing import TYPE_CHECKING

import click
from werkzeug.serving import BaseWSGIServer, get_sockaddr, make_server, select_address_family

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment


def bind(host: str, port: int) -> BaseWSGIServer:
    """Bind ``host:port`` for a threaded server whose app is set later; say plainly if busy."""
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
    server = make_server(host, port, _starting, threaded=True, fd=listener.fileno())
    listener.close()  # the server holds its own duplicate of the socket
    return server


def _starting(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """Answer 503 in the moment between binding the port and the app being ready."""
    start_response("503 Service Unavailable", [("Retry-After", "1")])
    return [b"Ecomap is starting\n"]
