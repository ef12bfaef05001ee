"""Ecomap's settings: declared once as (name, default, help), read from ``ECOMAP_*`` variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from graph.errors import SettingsError


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, default (as text) and help."""

    name: str
    default: str
    help: str
    kind: type = str

    @property
    def env(self) -> str:
        return f"ECOMAP_{self.name.upper()}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "graph",
        "embedded",
        "Which database: `embedded` (a FalkorDB server Ecomap starts in the data dir), "
        "`falkordb://host:port[/graph]`, or Neo4j as `bolt://`, `neo4j://`, `neo4j+s://` URLs.",
    ),
    Setting("data_dir", "./data", "Where the embedded FalkorDB keeps its data, socket and logs."),
    Setting("graph_name", "ecomap", "The graph (FalkorDB key) Ecomap reads and writes."),
    Setting("read_timeout_ms", "5000", "Time limit of one read query, in milliseconds.", int),
    Setting(
        "write_timeout_ms",
        "120000",
        "Time limit of one write batch, in milliseconds (also FalkorDB's TIMEOUT_MAX).",
        int,
    ),
    Setting(
        "connect_timeout_ms",
        "1500",
        "Time limit to reach a database server (Neo4j: connect, handshake, get a connection), "
        "in milliseconds; past it the database counts as down.",
        int,
    ),
    Setting("row_cap", "1000", "Most rows a read returns; more set `truncated`.", int),
    Setting(
        "query_mem_capacity",
        "1073741824",
        "FalkorDB QUERY_MEM_CAPACITY: most memory one query may use, in bytes (0 = no limit).",
        int,
    ),
    Setting(
        "max_queued_queries",
        "256",
        "FalkorDB MAX_QUEUED_QUERIES: queries waiting beyond this are refused.",
        int,
    ),
    Setting(
        "fsync",
        "always",
        "Append-only file fsync policy of the embedded server: `always` or `everysec`.",
    ),
    Setting("batch_size", "10000", "Rows per `UNWIND` batch when loading data.", int),
    Setting("secret_key", "", "Flask secret key; a random one per start when empty."),
    Setting(
        "embed_origins",
        "",
        "Origins allowed to frame embeds, space-separated (https://intranet.example.org); "
        "empty: same origin only.",
    ),
    Setting("access", "open", "`open`, or `proxy`: users sign in at a trusted reverse proxy."),
    Setting(
        "user_header",
        "X-Forwarded-User",
        "With access=proxy, the header in which the proxy passes the user's name.",
    ),
    Setting(
        "trusted_proxies",
        "127.0.0.1 ::1",
        "With access=proxy, the addresses (or networks) whose user header is trusted.",
    ),
    Setting("link_days", "30", "Default lifetime of a signed embed link, in days.", int),
    Setting("console", "on", "The read-only Cypher console at `/console`: `on` or `off`."),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}


def _coerce(setting: Setting, raw: str) -> object:
    if setting.kind is int:
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{setting.env} must be a whole number, not {raw!r}") from None
    return raw


@dataclass(frozen=True)
class Settings:
    """The values in force; build with :func:`load_settings`."""

    graph: str = "embedded"
    data_dir: Path = Path("./data")
    graph_name: str = "ecomap"
    read_timeout_ms: int = 5000
    write_timeout_ms: int = 120000
    connect_timeout_ms: int = 1500
    row_cap: int = 1000
    query_mem_capacity: int = 1073741824
    max_queued_queries: int = 256
    fsync: str = "always"
    batch_size: int = 10000
    secret_key: str = field(default="", repr=False)
    embed_origins: str = ""
    access: str = "open"
    user_header: str = "X-Forwarded-User"
    trusted_proxies: str = "127.0.0.1 ::1"
    link_days: int = 30
    console: str = "on"

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))

    def but(self, **changes: object) -> Settings:
        """Return a copy with some values changed (``None`` keeps the current value)."""
        kept = {key: value for key, value in changes.items() if value is not None}
        return _checked(replace(self, **kept))


def _checked(settings: Settings) -> Settings:
    if settings.fsync not in ("always", "everysec"):
        raise SettingsError(f"ECOMAP_FSYNC must be 'always' or 'everysec', not {settings.fsync!r}")
    if settings.access not in ("open", "proxy"):
        raise SettingsError(f"ECOMAP_ACCESS must be 'open' or 'proxy', not {settings.access!r}")
    if settings.console not in ("on", "off"):
        raise SettingsError(f"ECOMAP_CONSOLE must be 'on' or 'off', not {settings.console!r}")
    for name in (
        "read_timeout_ms",
        "write_timeout_ms",
        "connect_timeout_ms",
        "row_cap",
        "batch_size",
        "link_days",
    ):
        if getattr(settings, name) < 1:
            raise SettingsError(f"{BY_NAME[name].env} must be at least 1")
    return settings


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from ``environ`` (default: the process environment)."""
    environ = os.environ if environ is None else environ
    values = {s.name: _coerce(s, environ.get(s.env, s.default)) for s in SETTINGS}
    return _checked(Settings(**values))
