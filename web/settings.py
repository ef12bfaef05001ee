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
    link_days: int = setting(
        30, "Default lifetime of a signed embed link, in days (1 to 365).", minimum=1
    )
    public_url: str = setting(
        "",
        "The address users reach Ecomap at (`https://ecomap.example.org`): links point there "
        "and requests for other hosts are refused. Empty: links are paths (with "
        "`ECOMAP_ACCESS=proxy`) or on the request's host (open access).",
        shown="(none)",
    )
    console: str = setting(
        "on",
        "The read-only Cypher console at `/console`: `on`, or `off` to switch it off "
        "(it then answers 404).",
        choices=("on", "off"),
    )
    query_slots: int = setting(
        1,
        "Console and saved queries that run at once; the embedded server's other threads stay "
        "free for pages.",
        minimum=1,
    )
    query_slots_per_client: int = setting(
        1, "Console and saved queries one client (user, else address) runs at once.", minimum=1
    )
    query_queue: int = setting(
        4,
        "Console and saved queries that may wait (up to a second) for a place; "
        "more are answered 503 at once.",
        minimum=0,
    )
    import_max_mb: int = setting(
        20,
        "Largest spreadsheet the Import page accepts, in megabytes (`ecomap import` has no limit).",
        minimum=1,
    )
    session_hours: int = setting(
        8,
        "How long a sign-in with a local account lasts, in hours (then sign in again).",
        minimum=1,
    )


SETTINGS: tuple[Setting, ...] = declared(AppSettings)


def load_app_settings(environ: Mapping[str, str] | None = None) -> AppSettings:
    """Read every setting from ``environ`` (default: the process environment)."""
    return AppSettings.load(environ)
