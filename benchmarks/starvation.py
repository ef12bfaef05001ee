"""Pages under console load: page latency while clients loop the heaviest console query.

    python -m benchmarks.starvation [--seconds 15] [--heavy 4] [--readers 4]

A real ``ecomap serve`` (proxy access, so that every client is its own user) serves the seed
data. ``--readers`` users loop over pages; then ``--heavy`` more users loop the heaviest query
the console allows (a four-way cartesian product that runs to the read time limit). The same
is measured with the console's capacity not kept apart (as many query slots as heavy users,
FalkorDB threads = cores), the baseline the separation is judged against.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.common import print_table
from benchmarks.serving import PAGES, ROOT, Clients, ecomap, serving, summary

HEAVY = "MATCH (a), (b), (c), (d) RETURN count(*) AS n"
PROXY = {"ECOMAP_ACCESS": "proxy", "ECOMAP_SECRET_KEY": "benchmark-only"}


def measure(
    data_dir: Path, env: dict[str, str], args: argparse.Namespace, heavy: int
) -> tuple[list[str], list[str]]:
    """Return the readers' summary and the heavy users' (answers by status) for one run."""
    with serving(data_dir, {**PROXY, **env}) as port:
        readers = Clients(
            port,
            args.readers,
            lambda c, n: PAGES[(c + n) % len(PAGES)],
            lambda c: {"X-Forwarded-User": f"reader-{c}"},
        )
        console = Clients(
            port,
            heavy,
            lambda c, n: "/console.json?" + urlencode({"cypher": HEAVY}),
            lambda c: {"X-Forwarded-User": f"analyst-{c}"},
        )
        console.start()
        time.sleep(1.0 if heavy else 0.0)
        readers.start()
        time.sleep(args.seconds)
        readers.stop()
        console.stop()
    statuses: dict[int, int] = {}
    for sample in console.samples:
        statuses[sample.status] = statuses.get(sample.status, 0) + 1
    shown = ", ".join(f"{count}x{status}" for status, count in sorted(statuses.items()))
    return summary(readers.samples, args.seconds), [shown or "-"]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.starvation",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--heavy", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    cores = str(os.cpu_count() or 1)
    not_apart = {
        "ECOMAP_QUERY_SLOTS": str(args.heavy),
        "ECOMAP_QUERY_QUEUE": "0",
        "ECOMAP_SERVER_THREADS": cores,
    }
    runs = [
        ("pages alone", {}, 0),
        (f"+ {args.heavy} console users, capacity apart (defaults)", {}, args.heavy),
        (f"+ {args.heavy} console users, capacity shared", not_apart, args.heavy),
    ]
    rows = []
    with tempfile.TemporaryDirectory(prefix="ecomap-starvation-") as folder:
        data_dir = Path(folder)
        ecomap(data_dir, "seed", str(ROOT / "seeds"))
        for name, env, heavy in runs:
            pages, console = measure(data_dir, env, args, heavy)
            rows.append([name, *pages, *console])
    baseline = float(rows[0][5])
    for row in rows:
        row.insert(7, f"{float(row[5]) / baseline:.2f}x")
    print(
        f"{args.readers} page users, {args.seconds:.0f} s per run, {cores} cores; "
        f"console query: {HEAVY}; ms"
    )
    print_table(
        ["run", "requests", "200s", "req/s", "p50", "p95", "p99", "p95 vs alone", "console"],
        rows,
    )


if __name__ == "__main__":
    main()
