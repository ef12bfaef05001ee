"""Ecomap's settings: each declared once (name, type, default, help), read from ``ECOMAP_*``.

A settings class is a frozen dataclass whose fields are made with :func:`setting`: the field's
name gives the variable (``ECOMAP_<NAME>``), its annotation the type, and the call the default,
the help and the checks. :class:`Settings` holds what ``graph/`` needs; the web app extends it
with its own (``web/settings.py``). The README's settings table is checked against
:func:`declared`.
"""

from __future__ import annotations

import os
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Self

from graph.errors import SettingsError

PROJECT = Path(__file__).resolve().parent.parent  # the folder Ecomap is installed from


def setting(
    default: Any,
    help: str,
    *,
    choices: tuple[str, ...] = (),
    minimum: int | None = None,
    shown: str | None = None,
    secret: bool = False,
) -> Any:
    """Declare one setting: its default, help, allowed values and how the README shows it."""
    meta = {"help": help, "choices": choices, "minimum": minimum, "shown": shown}
    return field(default=default, repr=not secret, metadata=meta)


@dataclass(frozen=True)
class Setting:
    """One declared setting, as documented: variable, type, default shown, help."""

    name: str
    kind: type
    default: object
    help: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    shown: str | None = None

    @property
    def env(self) -> str:
        return f"ECOMAP_{self.name.upper()}"

    @property
    def documented_default(self) -> str:
        """Return the default as the README's table shows it."""
        return self.shown if self.shown is not None else f"`{self.default}`"

    def parse(self, raw: str) -> object:
        """Turn the variable's text into a value of the setting's type."""
        if self.kind is int:
            try:
                return int(raw)
            except ValueError:
                raise SettingsError(f"{self.env} must be a whole number, not {raw!r}") from None
        if self.kind is Path:
            return Path(raw)
        return raw

    def check(self, value: object) -> None:
        """Refuse a value outside the setting's choices or below its minimum."""
        if self.choices and value not in self.choices:
            allowed = " or ".join(repr(choice) for choice in self.choices)
            raise SettingsError(f"{self.env} must be {allowed}, not {value!r}")
        if self.minimum is not None and isinstance(value, int) and value < self.minimum:
            raise SettingsError(f"{self.env} must be at least {self.minimum}")


_DECLARED: dict[type, tuple[Setting, ...]] = {}


def declared(cls: type) -> tuple[Setting, ...]:
    """Return the settings a settings class declares, in declaration order."""
    if cls not in _DECLARED:
        _DECLARED[cls] = _read_declaration(cls)
    return _DECLARED[cls]


def _read_declaration(cls: type) -> tuple[Setting, ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        Setting(
            name=f.name,
            kind=hints[f.name],
            default=f.default,
            help=f.metadata["help"],
            choices=f.metadata["choices"],
            minimum=f.metadata["minimum"],
            shown=f.metadata["shown"],
        )
        for f in fields(cls)
    )


@dataclass(frozen=True)
class Settings:
    """What ``graph/`` needs: the database, its limits and the data folders."""

    graph: str = setting(
        "embedded",
        "Which database: `embedded`, `falkordb://host:port[/graph]`, or Neo4j as `bolt://`, "
        "`neo4j://`, `neo4j+s://` URLs.",
    )
    data_dir: Path = setting(
        "./data", "Where the embedded FalkorDB keeps its data, socket and logs."
    )
    graph_name: str = setting("ecomap", "The graph (FalkorDB key) Ecomap reads and writes.")
    read_timeout_ms: int = setting(
        5000,
        "Time limit of one read query, in milliseconds (FalkorDB TIMEOUT_DEFAULT).",
        minimum=1,
    )
    write_timeout_ms: int = setting(
        120000,
        "Time limit of one write batch, in milliseconds (FalkorDB TIMEOUT_MAX).",
        minimum=1,
    )
    connect_timeout_ms: int = setting(
        1500,
        "Time limit to reach a database server (Neo4j: connect, handshake, get a connection), "
        "in milliseconds; past it the database counts as down.",
        minimum=1,
    )
    row_cap: int = setting(
        1000,
        "Most rows a read returns; more set `truncated` (FalkorDB RESULTSET_SIZE is one more).",
        minimum=1,
    )
    query_mem_capacity: int = setting(
        1073741824, "FalkorDB QUERY_MEM_CAPACITY: most memory one query may use, in bytes."
    )
    max_queued_queries: int = setting(
        256, "FalkorDB MAX_QUEUED_QUERIES: queries waiting beyond this are refused."
    )
    server_memory_mb: int = setting(
        2048,
        "Most memory the embedded FalkorDB server may take, in MiB (its address-space limit; "
        "past half of it, `maxmemory`, writes are refused).",
        minimum=256,
    )
    server_threads: int = setting(
        0,
        "FalkorDB THREAD_COUNT of the embedded server: queries it runs at once; "
        "0 means twice the cores, at least 4.",
        minimum=0,
    )
    fsync: str = setting(
        "always",
        "Append-only file fsync policy of the embedded server: `always` or `everysec`.",
        choices=("always", "everysec"),
    )
    batch_size: int = setting(10000, "Rows per `UNWIND` batch when loading data.", minimum=1)
    seeds_dir: Path = setting(
        PROJECT / "seeds",
        "The seed files `ecomap seed` validates and loads when given no path.",
        shown="the project's `seeds/`",
    )
    queries_dir: Path = setting(
        PROJECT / "queries",
        "The library of saved queries (`<slug>.cypher` files) the app and `ecomap query` use.",
        shown="the project's `queries/`",
    )
    tie_weights: str = setting(
        "",
        "A YAML file of tie weights that replace some of the built-in ones (how much each "
        "kind of tie counts when ranking introduction paths; see *How strong is a tie*); "
        "empty: the built-in weights. Read once at start.",
        shown="(none)",
    )

    def __post_init__(self) -> None:
        for item in declared(type(self)):
            value = getattr(self, item.name)
            if item.kind is Path and not isinstance(value, Path):
                object.__setattr__(self, item.name, Path(value))
                value = getattr(self, item.name)
            item.check(value)

    def but(self, **changes: object) -> Self:
        """Return a copy with some values changed (``None`` keeps the current value)."""
        kept = {key: value for key, value in changes.items() if value is not None}
        return replace(self, **kept)  # type: ignore[arg-type]

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read every declared setting from ``environ`` (default: the process environment)."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {
            item.name: item.parse(environ[item.env])
            for item in declared(cls)
            if item.env in environ
        }
        return cls(**values)


SETTINGS: tuple[Setting, ...] = declared(Settings)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the graph's settings from ``environ`` (default: the process environment)."""
    return Settings.load(environ)
