"""Pick the backend that ``ECOMAP_GRAPH`` names and open it."""

from __future__ import annotations

from graph.errors import SettingsError
from graph.settings import Settings, load_settings
from graph.store.base import Store


def backend_of(url: str) -> str:
    """Name the backend a ``ECOMAP_GRAPH`` value selects: embedded, falkordb or neo4j."""
    if url == "embedded":
        return "embedded"
    scheme = url.partition("://")[0].lower()
    if scheme in ("falkordb", "falkor", "redis"):
        return "falkordb"
    if scheme in ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"):
        return "neo4j"
    raise SettingsError(
        f"ECOMAP_GRAPH {url!r} is not understood: use 'embedded', falkordb://host:port[/graph], "
        "bolt://, neo4j:// or neo4j+s:// URLs"
    )


def open_store(settings: Settings | None = None) -> Store:
    """Open the store ``settings.graph`` names (default: settings from the environment)."""
    settings = settings or load_settings()
    backend = backend_of(settings.graph)
    if backend == "neo4j":
        from graph.store.neo4j_store import Neo4jStore

        return Neo4jStore(settings)
    from graph.store.falkordb_store import FalkorStore

    return FalkorStore(settings)
