"""``ecomap agreements``: agreements coming due, lapsed and in force, from the command line."""

from __future__ import annotations

import datetime
import json
import re

import click

from graph.analysis.agreements import DEFAULT_DUE_DAYS, agreements_due
from graph.errors import EcomapError
from graph.settings import Settings
from graph.store.backends import open_store

DURATION = re.compile(r"(\d{1,4})([dwmy]?)\Z")
DAYS_PER = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}


def parse_days(text: str) -> int:
    """Read ``180d``, ``26w``, ``6m`` (30 days), ``1y`` (365 days) or ``180`` as days."""
    match = DURATION.match(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise click.BadParameter(f"{text!r} is not a duration such as 180d, 8w, 6m or 1y")
    return int(match.group(1)) * DAYS_PER[match.group(2)]


@click.command("agreements")
@click.option("--due", "due", default=f"{DEFAULT_DUE_DAYS}d", show_default=True,
              help="List agreements ending within this long: 180d, 8w, 6m, 1y.")  # fmt: skip
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Count from this day.")
@click.option("--all", "show_all", is_flag=True, help="Also list every agreement in force.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of lines.")
@click.pass_context
def agreements_command(
    ctx: click.Context, due: str, today: datetime.datetime | None, show_all: bool, as_json: bool
) -> None:
    """List agreements coming due, and those that lapsed without renewal.

    \b
    Example:
        ecomap agreements --due 180d
        ecomap agreements --due 1y --today 2030-03-01 --json
    """
    days = parse_days(due)
    settings: Settings = ctx.find_root().obj
    try:
        with open_store(settings) as store:
            from graph.analysis.snapshot import read_snapshot  # numpy: only when run

            report = agreements_due(read_snapshot(store), _day(today), days)
    except EcomapError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    _section(f"Ending within {days} days", report["due"], "none")
    _section("Lapsed without renewal", report["lapsed"], "none")
    if show_all:
        _section("In force", report["in_force"], "none")
    click.echo(f"{report['counts']['in_force']} of {report['total']} agreements in force on "
               f"{report['today']}.")  # fmt: skip


def _day(today: datetime.datetime | None) -> datetime.date:
    return today.date() if today else datetime.date.today()


def _section(title: str, items: list[dict], empty: str) -> None:
    click.echo(f"{title}: {len(items) or empty}")
    for a in items:
        ends = a["ends_as_given"] or a["ends"] or "no end date"
        left = f"{a['days_left']:>5} days" if a["days_left"] is not None else " " * 10
        click.echo(f"  {a['ends'] or '—':<10} {left}  {a['from']['name']} – {a['to']['name']}: "
                   f"{a['kind'] or 'agreement'} ({a['id']}, ends {ends})")  # fmt: skip
