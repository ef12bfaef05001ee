"""Saved queries that walk chains of ties, for a hub and a median entity of a 10k ecosystem.

Part of ``python -m benchmarks.queries --hubs``. Loads the seeds and the synthetic
10,000-entity ecosystem (seed 7) into temporary embedded stores and times raw reads of
``partners-of-partners`` and ``chains-between`` on each: on the seeds with the examples, on the
ecosystem for its best-connected organisation (a hub) and one of median degree. The baseline
is the enumerating form of ``partners-of-partners`` (every chain of 2 to 4 ties, then the
shortest per entity), as the library had it before the search by distance; a read past the
time limit is shown as a time of more than the limit and is not run again. The FalkorDB
server's CPU time per read (from ``/proc``, so Linux only) is shown too: on a busy machine it
moves far less than the wall time.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, LiteralString, cast

from benchmarks.common import percentile
from benchmarks.serving import server_pid
from benchmarks.synthetic import generate
from graph.errors import QueryTimeoutError
from graph.library.saved_queries import Library, SavedQuery, load_library
from graph.load.loader import load_graph, load_seeds
from graph.load.validation import read_seeds
from graph.settings import Settings
from graph.store.backends import open_store
from graph.store.base import Store

ROOT = Path(__file__).resolve().parent.parent
ROW_CAP = 1000  # the default read row cap, for the timed reads
LISTING_CAP = 100_000  # for the listings that pick the hub and the median entity
BASELINE = "enumerating"
ENUMERATING_PARTNERS_OF_PARTNERS = """\
MATCH (a:Entity {id: $org})
MATCH p = (a)-[:AGREEMENT|COLLABORATES_WITH|PARTNER_IN*2..4]-(c:Entity)
WHERE c <> a AND NOT c:Programme
  AND NOT (a)-[:AGREEMENT|COLLABORATES_WITH]-(c)
  AND NOT (a)-[:PARTNER_IN]->(:Programme)<-[:PARTNER_IN]-(c)
WITH c, p ORDER BY length(p), reduce(s = '', r IN relationships(p) | s + r.id + ' ')
WITH c, collect(p)[0] AS p
RETURN p, c.name AS reachable, [n IN nodes(p) | n.name] AS chain,
       [r IN relationships(p) | r.source] AS source,
       [r IN relationships(p) | r.evidence] AS evidence
ORDER BY length(p), reachable, c.id
"""


@dataclass(frozen=True)
class Case:
    """One query run with one set of values on one graph."""

    query: str
    graph: str
    entity: str
    text: str
    values: dict[str, Any]


@dataclass(frozen=True)
class Timing:
    """The times of a case (ms), its rows, and whether it ran past the time limit."""

    case: Case
    times: list[float]
    cpu: list[float]
    rows: int | None
    timed_out: bool


def cpu_ms(data_dir: Path) -> tuple[int, float]:
    """Return the pid of the data dir's server and the CPU time (user and system, ms) it has
    used so far (NaN when it is gone: a read past its time limit restarts it).
    """
    pid = server_pid(data_dir)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return pid, math.nan
    return pid, (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def cpu_since(data_dir: Path, before: tuple[int, float]) -> float:
    """Return the server's CPU time (ms) since ``before``; NaN when it was restarted since."""
    pid, used = cpu_ms(data_dir)
    return used - before[1] if pid == before[0] else math.nan


@contextmanager
def loaded(load: str) -> Iterator[tuple[Store, Path]]:
    """Yield a temporary embedded store holding the seeds (``seeds``) or the 10k ecosystem,
    and its data dir.
    """
    with tempfile.TemporaryDirectory(prefix="ecomap-bench-hubs-") as data_dir:
        with open_store(Settings(data_dir=Path(data_dir), row_cap=LISTING_CAP)) as store:
            if load == "seeds":
                load_seeds(store, read_seeds([ROOT / "seeds"], root=ROOT))
            else:
                ecosystem = generate(10_000, seed=7)
                load_graph(store, ecosystem.nodes, ecosystem.relationships, reset=True)
            yield store, Path(data_dir)


def ranked_choices(store: Store, library: Library, saved: SavedQuery, param: str) -> list[str]:
    """Return every choice of ``param`` (its choices query, uncut), most ties first."""
    choices = library.choice_queries[str(saved.param(param).choices)]
    values = {row["value"] for row in store.read(choices.text, row_cap_=LISTING_CAP).rows}
    rows = store.read(
        "MATCH (n:Entity)-[r]-() RETURN n.id AS id, count(r) AS ties ORDER BY ties DESC, id",
        row_cap_=LISTING_CAP,
    ).rows
    return [row["id"] for row in rows if row["id"] in values]


def cases(store: Store, graph: str) -> list[Case]:
    """Return the cases of a graph: the examples on the seeds; a hub and a median entity else."""
    library = load_library(ROOT / "queries")
    partners, chains = library.get("partners-of-partners"), library.get("chains-between")
    dialect = store.dialect.name
    if graph == "seeds":
        named = [("example", partners.examples(), chains.examples())]
    else:
        ranked = ranked_choices(store, library, partners, "org")
        hub, second, median = ranked[0], ranked[1], ranked[len(ranked) // 2]
        named = [
            (f"hub {hub}", {"org": hub}, {"from": hub, "to": second}),
            (f"median {median}", {"org": median}, {"from": median, "to": hub}),
        ]
    found = []
    for entity, org, ends in named:
        found += [  # the baseline last: a read past its limit restarts the server
            Case(partners.slug, graph, entity, partners.text_for(dialect), org),
            Case(chains.slug, graph, entity, chains.text_for(dialect), ends),
            Case(BASELINE, graph, entity, ENUMERATING_PARTNERS_OF_PARTNERS, org),
        ]
    return found


def time_case(store: Store, data_dir: Path, case: Case, runs: int) -> Timing:
    """Time ``runs`` reads of a case after one untimed (one read when past the time limit)."""
    times: list[float] = []
    cpu: list[float] = []
    rows = None
    for index in range(runs + 1):
        started, before = time.perf_counter(), cpu_ms(data_dir)
        try:
            result = store.read(cast(LiteralString, case.text), case.values, row_cap_=ROW_CAP)
        except QueryTimeoutError:
            ms = (time.perf_counter() - started) * 1000
            return Timing(case, [ms], [cpu_since(data_dir, before)], None, True)
        if index:
            times.append((time.perf_counter() - started) * 1000)
            cpu.append(cpu_since(data_dir, before))
        rows = len(result.rows)
    return Timing(case, times, cpu, rows, False)


def run_hubs(runs: int) -> list[Timing]:
    """Time every case on the seeds, then on the 10k ecosystem."""
    timings = []
    for graph in ("seeds", "10k"):
        with loaded(graph) as (store, data_dir):
            for case in cases(store, graph):
                timings.append(time_case(store, data_dir, case, runs))
    return timings


def hub_lines(timings: Sequence[Timing]) -> list[list[str]]:
    """Return the table: p50/p95 per case and the ratio of p50s to the enumerating baseline."""
    baseline = {(t.case.graph, t.case.entity): t for t in timings if t.case.query == BASELINE}
    lines = []
    for timing in timings:
        base = baseline[(timing.case.graph, timing.case.entity)]
        p50, base50 = percentile(timing.times, 50), percentile(base.times, 50)
        more = ">" if timing.timed_out else ""
        ratio = f"{p50 / base50:.3f}x" if not timing.timed_out else "-"
        if base.timed_out and not timing.timed_out:
            ratio = f"<{p50 / base50:.3f}x"
        lines.append(
            [
                timing.case.query,
                timing.case.graph,
                timing.case.entity,
                "timed out" if timing.timed_out else str(timing.rows),
                f"{more}{p50:.1f}",
                f"{more}{percentile(timing.times, 95):.1f}",
                f"{more}{percentile(timing.cpu, 50):.0f}",
                ratio,
            ]
        )
    return lines
