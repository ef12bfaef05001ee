"""Ecomap's errors on the command line: one line saying what is wrong, not a traceback."""

from __future__ import annotations

from typing import Any

import click

from graph.errors import EcomapError


class EcomapGroup(click.Group):
    """A command group that turns every :class:`EcomapError` into a one-line CLI error."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EcomapError as error:
            raise click.ClickException(str(error)) from None
