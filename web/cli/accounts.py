"""``ecomap user`` and ``ecomap token``: local accounts and API tokens for scripts."""

from __future__ import annotations

import re
import sys

import click

from graph.edit.roles import ROLES
from graph.errors import EcomapError
from graph.store.base import Store
from web.auth.accounts import add_account, create_token, list_tokens, revoke_token
from web.cli.context import open_store_of

DURATION = re.compile(r"(\d+)\s*([dhw]?)\Z")
ROLE = click.Choice(ROLES)


def _open(ctx: click.Context) -> Store:
    return open_store_of(ctx)


def parse_days(text: str) -> float:
    """Read ``90d``, ``12h``, ``2w`` or a bare number of days."""
    match = DURATION.match(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise click.BadParameter(f"{text!r} is not a duration such as 90d, 12h or 2w")
    number, unit = int(match.group(1)), match.group(2) or "d"
    return number * {"d": 1.0, "h": 1 / 24, "w": 7.0}[unit]


@click.group()
def user() -> None:
    """Local accounts: who may sign in, with which role.

    \b
    Example:
        ecomap user add alice --role editor
        ecomap user add bob --role contributor --no-password   # signs in through the proxy
    """


@user.command("add")
@click.argument("name")
@click.option("--role", type=ROLE, required=True, help="viewer, contributor, editor or admin")
@click.option("--no-password", is_flag=True, help="No password: the proxy's header names them.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_context
def user_add(
    ctx: click.Context, name: str, role: str, no_password: bool, password_stdin: bool
) -> None:
    """Add an account, or change its role and password.

    \b
    Example:
        ecomap user add alice --role editor
    """
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif not no_password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    if password is not None and len(password) < 10:
        raise click.BadParameter("a password has at least 10 characters", param_hint="password")
    with _open(ctx) as store:
        try:
            add_account(store, name, role, password)
        except (ValueError, EcomapError) as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"{name}: {role}" + ("" if password else " (no password)"))


@click.group()
def token() -> None:
    """API tokens for scripts: shown once, stored hashed, scoped to a role, revocable.

    \b
    Example:
        ecomap token create nightly-import --role contributor --expires 90d
        ecomap token list
        ecomap token revoke 1a2b3c4d
    """


@token.command("create")
@click.argument("name")
@click.option("--role", type=ROLE, required=True, help="The token's scope.")
@click.option("--expires", metavar="DURATION", default="90d", show_default=True,
              help="90d, 12h, 2w; 'never' for no expiry.")  # fmt: skip
@click.pass_context
def token_create(ctx: click.Context, name: str, role: str, expires: str) -> None:
    """Create a token and print it once (only its hash is kept).

    \b
    Example:
        ecomap token create nightly-import --role editor --expires 90d
    """
    days = None if expires.strip().lower() == "never" else parse_days(expires)
    with _open(ctx) as store:
        secret, record = create_token(store, name, role, days, created_by="cli")
    click.echo(secret)
    click.echo(f"token {record['id']} ({role}); it is shown only now", err=True)


@token.command("list")
@click.pass_context
def token_list(ctx: click.Context) -> None:
    """List tokens: id, name, scope, expiry and state (never the secret).

    \b
    Example:
        ecomap token list
    """
    with _open(ctx) as store:
        tokens = list_tokens(store)
    if not tokens:
        click.echo("no tokens", err=True)
    for item in tokens:
        state = f"revoked {item['revoked']}" if item.get("revoked") else "active"
        expiry = item.get("expires") or "never"
        click.echo(f"{item['id']}  {item['name']:<24}{item['role']:<13}expires {expiry:<27}{state}")


@token.command("revoke")
@click.argument("token_id")
@click.pass_context
def token_revoke(ctx: click.Context, token_id: str) -> None:
    """Revoke a token by its id (from ``ecomap token list``).

    \b
    Example:
        ecomap token revoke 1a2b3c4d
    """
    with _open(ctx) as store:
        if not revoke_token(store, token_id):
            raise click.ClickException(f"no token has the id {token_id!r}")
    click.echo(f"revoked {token_id}")
