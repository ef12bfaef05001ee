"""One store per app: opened at start, closed when the process exits."""

from __future__ import annotations

import atexit

from flask import Flask, current_app, g

from graph.settings import Settings
from graph.store.backends import open_store
from graph.store.base import Store, one_data_version

KEY = "ecomap.store"


def init_app(app: Flask, settings: Settings) -> None:
    """Open the app's store and register it in ``app.extensions``."""
    store = open_store(settings)
    app.extensions[KEY] = store
    atexit.register(store.close)
    app.before_request(_one_data_version)
    app.teardown_request(_end_data_version)


def _one_data_version() -> None:
    """Let a request read the data-as-of stamp once, however many answers it remembers."""
    version = one_data_version()
    version.__enter__()
    g.ecomap_data_version = version


def _end_data_version(error: BaseException | None = None) -> None:
    version = g.pop("ecomap_data_version", None)
    if version is not None:
        version.__exit__(None, None, None)


def get_store() -> Store:
    """Return the current app's store."""
    return current_app.extensions[KEY]


def close_store(app: Flask) -> None:
    """Close the app's store now (tests; the process exit does it otherwise)."""
    store = app.extensions.pop(KEY, None)
    if store is not None:
        atexit.unregister(store.close)
        store.close()
