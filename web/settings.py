"""The web app's settings: the graph's, plus signing, framing, access and the console."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph.settings import Setting, Settings, declared, setting


@dataclass(frozen=True)
class AppSettings(Settings):
    """What the web app and the command line need, on top of the graph's settings."""

    secret_key: str = setting(
        "",
        "Flask secret key; a random one per start when empty. Set it when several workers serve.",
        shown="(random)",
        secret=True,
    )
    embed_origins: str = setting(
        "",
        "Origins allowed to frame embeds, space-separated (`https://intranet.example.org`); "
        "empty: same origin only.",
        shown="(none)",
    )
    access: str = setting(
        "open",
        "`open`, or `proxy`: users sign in at a trusted reverse proxy that passes their name "
        "in a header.",
        choices=("open", "proxy"),
    )
    user_header: str = setting(
        "X-Forwarded-User", "With `ECOMAP_ACCESS=proxy`, the header carrying the user's name."
    )
    trusted_proxies: str = setting(
        "127.0.0.1 ::1",
        "With `ECOMAP_ACCESS=proxy`, the addresses or networks whose user header is trusted.",
    )
    link_days: int = setting(30, "Default lifetime of a signed embed link, in days.", minimum=1)
    console: str = setting(
        "on",
        "The read-only Cypher console at `/console`: `on`, or `off` to switch it off "
        "(it then answers 404).",
        choices=("on", "off"),
    )


SETTINGS: tuple[Setting, ...] = declared(AppSettings)


def load_app_settings(environ: Mapping[str, str] | None = None) -> AppSettings:
    """Read every setting from ``environ`` (default: the process environment)."""
    return AppSettings.load(environ)
