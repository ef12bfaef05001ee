"""What the graph holds, for the home page: counts, programmes, latest agreements, sources."""

from __future__ import annotations

from typing import Any, LiteralString

from graph.explore.entities import get_sources, summary, tie
from graph.store.base import Store


def programmes_query(degree: str) -> str:
    """The best-connected programmes, their ties counted from their degrees, not walked."""
    return (
        f"MATCH (p:Programme) WITH p, {degree} AS ties "
        "RETURN p, ties ORDER BY ties DESC, p.name, p.id LIMIT $limit"
    )


LATEST_AGREEMENTS_QUERY: LiteralString = (
    "MATCH (a:Entity)-[r:AGREEMENT]->(b:Entity) "
    "RETURN a, r, b ORDER BY coalesce(r.signed, r.valid_from, '') DESC, r.id LIMIT $limit"
)


# How long the home page waits for its whole-graph lists before it answers without them.
LISTS_WAIT_S = 0.5


def overview(store: Store, *, programmes: int = 30, agreements: int = 10) -> dict[str, Any]:
    """Return the counts by kind and type, the programmes, the latest agreements, the sources.

    Each part reads the whole graph, so the answer is read once per data version (it is not
    read again for every visitor). The two lists take long on a large graph (half a minute at
    a million entities: the programmes' degrees): they are read in the background, and until
    they are in (``computing`` names them) the page answers without them.
    """
    counts = store.counts()
    lists = store.remember_soon(
        ("overview", programmes, agreements),
        lambda: _lists(store, programmes, agreements),
        LISTS_WAIT_S,
    )
    return {
        "entities": counts["nodes"].get("Entity", 0),
        "ties": sum(counts["relationships"].values()),
        "kinds": {k: v for k, v in counts["nodes"].items() if k not in ("Entity", "Source")},
        "types": counts["relationships"],
        **(lists or {"programmes": None, "latest_agreements": None}),
        "computing": [] if lists else ["programmes", "latest_agreements"],
        "sources": list(get_sources(store).values()),
    }


def _lists(store: Store, programmes: int, agreements: int) -> dict[str, Any]:
    """The best-connected programmes and the latest agreements, read with the write time
    limit (a whole-graph read, once per data version).
    """
    once = store.settings.write_timeout_ms
    query = programmes_query(store.dialect.degree_cypher("p"))
    rows = store.read(query, {"limit": programmes}, timeout_ms_=once).rows
    params = {"limit": agreements}
    latest = store.read(LATEST_AGREEMENTS_QUERY, params, timeout_ms_=once).rows
    return {
        "programmes": [{**summary(row["p"]), "ties": row["ties"]} for row in rows],
        "latest_agreements": [
            {**tie(row["r"], row["a"], row["b"]), "from": summary(row["a"])} for row in latest
        ],
    }
