"""What every command takes from the ``ecomap`` group: its settings and a store opened on them."""

from __future__ import annotations

import click

from graph.store.backends import open_store
from graph.store.base import Store
from web.settings import AppSettings


def settings_of(ctx: click.Context) -> AppSettings:
    """Return the settings the root command built from its options and the environment."""
    settings: AppSettings = ctx.find_root().obj
    return settings


def open_store_of(ctx: click.Context) -> Store:
    """Open the store the command's settings name."""
    return open_store(settings_of(ctx))
