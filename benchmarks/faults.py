"""Self-healing under load: kill -9 of FalkorDB while 32 clients use ``ecomap serve``.

    python -m benchmarks.faults [--clients 32] [--seconds 60] [--kill-at 20]

A real ``ecomap serve`` on loopback serves the seed data to ``--clients`` threads looping over
pages (keep-alive). At ``--kill-at`` seconds the FalkorDB server gets SIGKILL; ``serve`` is not
touched. The table compares the time before the kill with the time after recovery (throughput,
p50/p95/p99 of the 200s), says how long pages failed, and checks the data digest.
"""

from __future__ import annotations

import argparse
import os
import signal
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import print_table
from benchmarks.serving import PAGES, ROOT, Clients, ecomap, server_pid, serving, summary
from graph.settings import Settings
from graph.store.backends import open_store
from tests.test_faults import graph_digest


def digest(data_dir: Path) -> str:
    with open_store(Settings(data_dir=data_dir)) as store:
        return graph_digest(store)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.faults",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--kill-at", type=float, default=20.0)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ecomap-faults-") as folder:
        data_dir = Path(folder)
        ecomap(data_dir, "seed", str(ROOT / "seeds"))
        before_digest = digest(data_dir)
        with serving(data_dir) as port:
            clients = Clients(port, args.clients, lambda c, n: PAGES[(c + n) % len(PAGES)])
            clients.start()
            time.sleep(args.kill_at)
            victim = server_pid(data_dir)
            killed_at = time.monotonic() - clients.started
            os.kill(victim, signal.SIGKILL)
            time.sleep(max(0.0, args.seconds - args.kill_at))
            clients.stop()
            after_digest = digest(data_dir)
            restarted = server_pid(data_dir)
    samples = clients.samples
    failed = [s for s in samples if s.at >= killed_at and s.status != 200]
    back_at = max((s.at for s in failed), default=killed_at)
    before = [s for s in samples if s.at < killed_at]
    after = [s for s in samples if s.at > back_at]
    print(
        f"{args.clients} clients on loopback, {args.seconds:.0f} s; FalkorDB (pid {victim}) "
        f"killed with SIGKILL at {killed_at:.1f} s; serve not restarted; "
        f"server now pid {restarted}"
    )
    print_table(
        ["phase", "requests", "200s", "req/s", "p50 ms", "p95 ms", "p99 ms"],
        [
            ["before the kill", *summary(before, killed_at)],
            ["after recovery", *summary(after, args.seconds - back_at)],
        ],
    )
    across = [s.ms for s in samples if killed_at <= s.at <= killed_at + 5]
    print(
        f"failed requests after the kill: {len(failed)}; last failure "
        f"{back_at - killed_at:.2f} s after it; slowest request in the 5 s after it: "
        f"{max(across, default=0):.0f} ms; data digest "
        f"{'unchanged' if before_digest == after_digest else 'CHANGED'}"
    )


if __name__ == "__main__":
    main()
