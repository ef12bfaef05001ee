"""One store per app: opened at start, closed when the process exits."""

from __future__ import annotations

import atexit

from flask import Flask, current_app

from graph.settings import Settings
from graph.store.backends import open_store
from graph.store.base import Store

KEY = "ecomap.store"


def init_app(app: Flask, settings: Settings) -> None:
    """Open the app's store and register it in ``app.extensions``."""
    store = open_store(settings)
    app.extensions[KEY] = store
    atexit.register(store.close)


def get_store() -> Store:
    """Return the current app's store."""
    return current_app.extensions[KEY]


def close_store(app: Flask) -> None:
    """Close the app's store now (tests; the process exit does it otherwise)."""
    store = app.extensions.pop(KEY, None)
    if store is not None:
        atexit.unregister(store.close)
        store.close()
