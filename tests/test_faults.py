"""Kill -9 of ``ecomap seed`` or of its FalkorDB server at chosen instants of a load.

After every kill the graph is the old one or the new one (never empty, never a mix), and the
next ``ecomap seed`` succeeds at once: a dead load's lock and staging graph are no obstacle.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.load.loader import load_seeds
from graph.load.validation import read_seeds
from graph.settings import Settings
from graph.store.backends import open_store
from graph.store.base import Store
from graph.store.results import to_jsonable

ROOT = Path(__file__).resolve().parent.parent
SMALL = [ROOT / "seeds" / name for name in ("sources.yaml", "countries.yaml", "cities.yaml")]
SMALL.append(Path(__file__).parent / "data" / "fault_town.yaml")  # a city the full seeds lack
FULL = [ROOT / "seeds"]
NEXT_SEED_LIMIT_S = 5.0  # beyond what a clean seed takes
CLI = "from web.cli.commands import main; main()"

# Where to kill: the log line that marks the instant, and how many such lines to wait for.
INSTANTS = {
    "before": ("load: staging graph", 1),
    "during": ("load: wrote", 4),
    "swap": ("load: swapping", 1),
    "after": ("load: swapped", 1),
}
PLANS = [  # (name, state before, command arguments, state expected after)
    ("reset-full-to-small", "full", ["--reset", "--yes", *map(str, SMALL)], "small"),
    ("reset-small-to-full", "small", ["--reset", "--yes", *map(str, FULL)], "full"),
    ("add-full-to-small", "small", list(map(str, FULL)), "merged"),
]
CASES = [
    pytest.param(plan, victim, instant, id=f"{plan[0]}-{victim}-{instant}")
    for plan in PLANS
    for victim in ("client", "server")
    for instant in INSTANTS
]


def graph_digest(store: Store) -> str:
    """Digest every entity, source and relationship (not the load's time stamp)."""
    nodes = store.read(
        "MATCH (n) WHERE NOT n:EcomapMeta RETURN collect([labels(n), properties(n)]) AS all"
    ).value()
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN collect([a.id, type(r), properties(r), b.id]) AS all"
    ).value()
    rows = sorted(json.dumps(to_jsonable(item), sort_keys=True) for item in nodes + rels)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def digest_of(data_dir: Path) -> str:
    with open_store(Settings(data_dir=data_dir)) as store:
        return graph_digest(store)


def load(data_dir: Path, paths: list[Path], *, reset: bool) -> None:
    with open_store(Settings(data_dir=data_dir)) as store:
        load_seeds(store, read_seeds(paths, root=ROOT), reset=reset)


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The digests of the graph after each state the plans go through."""
    data_dir = tmp_path_factory.mktemp("states")
    load(data_dir, SMALL, reset=True)
    found = {"small": digest_of(data_dir)}
    load(data_dir, FULL, reset=False)
    found["merged"] = digest_of(data_dir)
    load(data_dir, FULL, reset=True)
    found["full"] = digest_of(data_dir)
    with open_store(Settings(data_dir=data_dir)) as store:
        store.clear()
        found["empty"] = graph_digest(store)
    assert len(set(found.values())) == 4
    return found


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("faults")


@pytest.fixture(scope="module")
def held(data_dir: Path):
    """A store the test keeps open: it reconnects to (or restarts) the server after a kill."""
    with open_store(Settings(data_dir=data_dir)) as store:
        yield store


@pytest.fixture(scope="module")
def clean_seed_s(data_dir: Path, held: Store) -> float:
    """How long an ``ecomap seed`` of the full seeds takes here with nothing to clean up."""
    set_state(held, "full")
    started = time.monotonic()
    _, errors = ecomap(data_dir, *map(str, FULL)).communicate(timeout=60)
    assert "load: " in errors, errors
    return time.monotonic() - started


def set_state(store: Store, state: str) -> None:
    paths = SMALL if state == "small" else FULL
    load_seeds(store, read_seeds(paths, root=ROOT), reset=True)


def ecomap(data_dir: Path, *args: str, batch_size: int = 10_000) -> subprocess.Popen[str]:
    env = {**os.environ, "ECOMAP_DATA_DIR": str(data_dir), "ECOMAP_BATCH_SIZE": str(batch_size)}
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "-v", "seed", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def server_pid(data_dir: Path) -> int:
    return json.loads((data_dir / "falkordb" / "server.json").read_text())["pid"]


def wait_for_line(process: subprocess.Popen[str], marker: str, count: int) -> bool:
    """Read the client's log until ``marker`` has appeared ``count`` times."""
    assert process.stderr is not None
    seen = 0
    for line in process.stderr:
        seen += marker in line
        if seen >= count:
            return True
    return False


@pytest.mark.parametrize("plan, victim, instant", CASES)
def test_kill_9_during_a_load_leaves_the_old_or_the_new_graph(
    data_dir: Path,
    held: Store,
    states: dict[str, str],
    clean_seed_s: float,
    plan,
    victim: str,
    instant: str,
) -> None:
    _, before, args, after = plan
    set_state(held, before)
    client = ecomap(data_dir, *args, batch_size=10)
    marker, count = INSTANTS[instant]
    assert wait_for_line(client, marker, count), f"the load never logged {marker!r}"
    os.kill(client.pid if victim == "client" else server_pid(data_dir), signal.SIGKILL)
    client.communicate(timeout=60)

    found = graph_digest(held)
    assert found != states["empty"], "the graph was left empty"
    assert found in (states[before], states[after]), "the graph holds a mix of old and new"

    started = time.monotonic()
    following = ecomap(data_dir, *args)
    _, errors = following.communicate(timeout=60)
    elapsed = time.monotonic() - started
    assert following.returncode == 0, errors
    # Within 5 s of what a seed takes on this machine now (a stale lock once cost 61 s).
    limit = NEXT_SEED_LIMIT_S + clean_seed_s
    assert elapsed < limit, f"the next seed took {elapsed:.1f} s (clean: {clean_seed_s:.1f} s)"
    assert graph_digest(held) == states[after]
