"""Limits that hold: how fast each runaway read is refused or stopped, and FalkorDB's peak memory.

    python -m benchmarks.limits

Each query runs once on an embedded server with the default settings (read time limit, the
server's memory limit). The table gives what happened, how long it took against the time
limit, and the server's peak resident memory (VmHWM) while it ran.
"""

from __future__ import annotations

import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import print_table
from graph.errors import EcomapError
from graph.settings import Settings
from graph.store.backends import open_store

QUERIES = [
    ("range of 1e9 (the finding)", "UNWIND range(1, 1000000000) AS x RETURN count(x) AS n"),
    ("list of 2e8", "RETURN size(range(1, 200000000)) AS n"),
    ("ranges nested in a list", "RETURN size([x IN range(1, 30000) | range(1, 30000)]) AS n"),
    (
        "1e12 rows, streamed",
        "UNWIND range(1, 1000000) AS a UNWIND range(1, 1000000) AS b RETURN count(*) AS n",
    ),
    (
        "list built from rows",
        "UNWIND range(1, 300000) AS x WITH collect(x) AS l RETURN size([a IN l | l]) AS n",
    ),
]


class PeakMemory:
    """Sample a process's peak resident memory until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                status = Path(f"/proc/{self.pid}/status").read_text()
            except OSError:
                return
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.peak = max(self.peak, int(line.split()[1]) * 1024)
            time.sleep(0.005)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="ecomap-limits-") as folder:
        settings = Settings(data_dir=Path(folder))
        limit_s = settings.read_timeout_ms / 1000
        with open_store(settings) as store:
            store.write("CREATE (:Entity {id: 'kept'})")
            for name, cypher in QUERIES:
                pid = store.describe()["pid"]
                memory = PeakMemory(pid)
                started = time.monotonic()
                try:
                    store.read(cypher)
                    outcome = "ran"
                except EcomapError as error:
                    outcome = f"{type(error).__name__}: {str(error)[:60]}"
                elapsed = time.monotonic() - started
                peak = memory.stop()
                restarted = store.describe()["pid"] != pid
                rows.append(
                    [
                        name,
                        outcome + (" (server restarted)" if restarted else ""),
                        f"{elapsed:.2f}",
                        f"{limit_s + 1:.0f}",
                        f"{peak / 2**20:.0f}",
                    ]
                )
            intact = store.read("MATCH (n {id: 'kept'}) RETURN count(n) AS n").value() == 1
    print(
        f"read time limit {limit_s:.0f} s; server memory limit {settings.server_memory_mb} MiB; "
        f"data intact after: {intact}"
    )
    print_table(["query", "outcome", "seconds", "limit + 1 s", "peak RSS MiB"], rows)


if __name__ == "__main__":
    main()
