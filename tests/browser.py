"""Browser-test helpers: a live server on a free port and a headless Chromium that records.

tests/conftest.py imports the fixtures once, so one Chromium serves the whole session (test
modules must not import them again). ``page`` records every request to a host other than
127.0.0.1 (and aborts it), page errors, console errors, dialogs (dismissed) and responses
with a 5xx status, in ``page.record`` (a :class:`Record`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from tests.missing import missing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST = "127.0.0.1"
VIEWPORT = {"width": 1280, "height": 800}
LOCAL_SCHEMES = ("data", "blob", "about")
TIMEOUT_MS = 15_000


class _QuietHandler(WSGIRequestHandler):
    """Serve requests without logging each one."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class LiveServer:
    """Serve a WSGI app on 127.0.0.1 and a free port, in a thread; stop it cleanly."""

    def __init__(self, app: Any, host: str = HOST) -> None:
        self.app = app
        self.host = host
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the server is not running")
        return self._server.port

    def url(self, path: str = "/") -> str:
        """Return the absolute URL of ``path`` on this server."""
        return f"http://{self.host}:{self.port}{path}"

    def start(self) -> LiveServer:
        """Bind a free port and serve in a background thread."""
        self._server = make_server(
            self.host, 0, self.app, threaded=True, request_handler=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="live-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wait for the thread, close the socket."""
        if self._server is None:
            return
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._server.server_close()
        self._server, self._thread = None, None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class Record:
    """What a page did that a test may want to refuse."""

    foreign: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL asked for, for evidence

    def clear(self) -> None:
        """Forget everything recorded so far."""
        for items in vars(self).values():
            items.clear()

    def problems(self) -> dict[str, list[str]]:
        """Return the non-empty lists of problems by name."""
        return {name: items for name, items in vars(self).items() if items and name != "requests"}


@contextmanager
def chromium() -> Iterator[Any]:
    """Launch the system Chromium headless through Playwright; skip when it is missing."""
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def is_local(url: str) -> bool:
    """Whether ``url`` stays on this machine: 127.0.0.1, or a data:/blob:/about: URL."""
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname == HOST


@contextmanager
def recording_page(browser: Any, **context_options: Any) -> Iterator[Any]:
    """Open a page in a fresh context that records what it did in ``page.record``."""
    context = browser.new_context(viewport=VIEWPORT, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.record = record = Record()

        def route(route: Any) -> None:
            url = route.request.url
            record.requests.append(url)
            if is_local(url):
                route.continue_()
            else:
                record.foreign.append(url)
                route.abort()

        def dialog(dialog: Any) -> None:
            record.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def console(message: Any) -> None:
            if message.type == "error":
                record.console_errors.append(message.text)

        def response(response: Any) -> None:
            if response.status >= 500:
                record.server_errors.append(f"{response.status} {response.url}")

        page.route("**/*", route)
        page.on("dialog", dialog)
        page.on("console", console)
        page.on("pageerror", lambda error: record.page_errors.append(str(error)))
        page.on("response", response)
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh recording page (see :func:`recording_page`)."""
    with recording_page(browser) as opened:
        yield opened


@pytest.fixture(scope="module")
def live_app(settings: Any, seeded: Any) -> Iterator[LiveServer]:
    """The explorer on the seeded store, served on a free port for the module."""
    from web.app import create_app
    from web.db import close_store

    app = create_app({"SETTINGS": settings})
    try:
        with LiveServer(app) as server:
            yield server
    finally:
        close_store(app)
