"""A real ``ecomap serve`` process on loopback, and clients that loop requests against it."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import percentile

ROOT = Path(__file__).resolve().parent.parent
CLI = "from web.cli.commands import main; main()"
PAGES = [
    "/",
    "/entity/oulu",
    "/entity/oulu-university-hospital.json",
    "/search?q=oulu",
    "/network/oulu.json?hops=2",
    "/search.json?q=tohoku",
]


def ecomap(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> None:
    """Run one ``ecomap`` command on ``data_dir``; raise if it fails."""
    environment = {**os.environ, "ECOMAP_DATA_DIR": str(data_dir), **(env or {})}
    subprocess.run([sys.executable, "-c", CLI, *args], cwd=ROOT, env=environment, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(data_dir: Path, env: dict[str, str] | None = None) -> Iterator[int]:
    """Run ``ecomap serve`` on a free port until the block ends; yield the port."""
    port = free_port()
    environment = {**os.environ, "ECOMAP_DATA_DIR": str(data_dir), **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-c", CLI, "serve", "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not answers(port, "/-/health"):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("ecomap serve did not start")
            time.sleep(0.1)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def answers(port: int, path: str) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False


def server_pid(data_dir: Path) -> int:
    """The pid of the data dir's FalkorDB server, from its record."""
    return json.loads((data_dir / "falkordb" / "server.json").read_text())["pid"]


@dataclass
class Sample:
    at: float  # when the request ended, seconds since the load started
    ms: float
    status: int


@dataclass
class Clients:
    """``count`` threads, each looping GETs of ``paths`` until stopped; every answer sampled."""

    port: int
    count: int
    paths: Callable[[int, int], str]  # (client, request number) -> path
    headers: Callable[[int], dict[str, str]] = lambda client: {}
    samples: list[Sample] = field(default_factory=list)
    started: float = 0.0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(self.count)
        ]

    def start(self) -> None:
        self.started = time.monotonic()
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _loop(self, client: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        number = 0
        while not self._stop.is_set():
            began = time.monotonic()
            try:
                connection.request("GET", self.paths(client, number), headers=self.headers(client))
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            ended = time.monotonic()
            self.samples.append(Sample(ended - self.started, (ended - began) * 1000, status))
            number += 1
        connection.close()


def summary(samples: list[Sample], seconds: float) -> list[str]:
    """Requests, answers that were 200, throughput, p50, p95 and p99 (ms) of the 200s."""
    good = [s.ms for s in samples if s.status == 200]
    return [
        str(len(samples)),
        str(len(good)),
        f"{len(good) / seconds:.0f}" if seconds > 0 else "-",
        f"{percentile(good, 50):.1f}",
        f"{percentile(good, 95):.1f}",
        f"{percentile(good, 99):.1f}",
    ]
