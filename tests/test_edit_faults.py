"""kill -9 of the server and of FalkorDB during saves: nothing acknowledged lost, nothing half-done.

A client keeps saving one entity through the JSON API while first the ``ecomap serve`` process
and then the embedded FalkorDB are killed with SIGKILL (the server then starts FalkorDB again
on its data, and saving goes on). After a restart, every acknowledged
revision is there, the entity's version counts its revisions exactly (each revision and its
change landed together or not at all), and its text is that of its newest revision.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from graph.settings import Settings
from graph.store.backends import open_store
from tests.edit_helpers import SOURCE

ROOT = Path(__file__).resolve().parent.parent


def ecomap(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ECOMAP_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-c", "from web.cli.commands import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=180)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "ECOMAP_DATA_DIR": str(data_dir)}
    command = [sys.executable, "-c", "from web.cli.commands import main; main()",
               "serve", "--port", str(port)]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/health", timeout=2) as r:
                if r.status == 200:
                    return process
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    process.kill()
    raise AssertionError("ecomap serve did not start")


class Saver(threading.Thread):
    """Save new descriptions of one entity until stopped; remember what was acknowledged."""

    def __init__(self, port: int, token: str, start_at: int) -> None:
        super().__init__(daemon=True)
        self.port, self.token, self.number = port, token, start_at
        self.acknowledged: dict[str, str] = {}  # revision id -> the text it saved
        self.stop = threading.Event()
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            self.number += 1
            text = f"Saved text number {self.number}"
            body = json.dumps({"description": text, "source": SOURCE, "evidence": "A quote."})
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/api/entities/oulu", data=body.encode(),
                method="PATCH", headers={"Authorization": f"Bearer {self.token}",
                                         "Content-Type": "application/json"},
            )  # fmt: skip
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    answer = json.load(response)
                    self.acknowledged[answer["id"]] = text
            except Exception as error:  # noqa: BLE001
                self.errors.append(repr(error))
                time.sleep(0.05)


def wait_for(condition, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_kill_9_of_server_and_database_during_saves_loses_nothing(tmp_path):
    data_dir = tmp_path / "data"
    assert ecomap(data_dir, "seed").returncode == 0
    made = ecomap(data_dir, "token", "create", "saver", "--role", "editor", "--expires", "1d")
    token = made.stdout.strip()
    acknowledged: dict[str, str] = {}
    kills = {}
    port = free_port()
    for victim in ("server", "database"):
        server = serve(data_dir, port)
        saver = Saver(port, token, len(acknowledged) * 10 + 1000 * len(kills))
        saver.start()
        wait_for(lambda s=saver: len(s.acknowledged) >= 10 or len(s.errors) > 50)
        assert len(saver.acknowledged) >= 10, (victim, saver.errors[-3:])
        if victim == "server":
            os.killpg(server.pid, signal.SIGKILL)
        else:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/health", timeout=5) as r:
                pid = json.load(r)["store"]["pid"]
            os.kill(pid, signal.SIGKILL)
            before = len(saver.acknowledged)  # the server restarts FalkorDB on its data
            wait_for(lambda s=saver, n=before: len(s.acknowledged) >= n + 5)
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
        saver.stop.set()
        saver.join(15)
        kills[victim] = len(saver.acknowledged)
        errors = sorted({e.split("(")[0] for e in saver.errors})
        acknowledged.update(saver.acknowledged)

    with open_store(Settings(data_dir=data_dir)) as store:
        revisions = store.read(
            "MATCH (r:Revision {target_id: 'oulu'}) WHERE r.via = 'api' "
            "RETURN r.id AS id, r.version AS version, r.changes AS changes ORDER BY r.version",
            row_cap_=1000,
        ).rows
        entity = store.read("MATCH (n:Entity {id: 'oulu'}) RETURN properties(n) AS p").value()
    found = {row["id"] for row in revisions}
    assert set(acknowledged) <= found  # nothing acknowledged was lost
    versions = [row["version"] for row in revisions]
    assert versions == list(range(2, 2 + len(revisions)))  # one revision per version, no gaps
    assert entity["version"] == 1 + len(revisions)  # no change without its revision, or back
    newest = dict((f, new) for f, _, new in json.loads(revisions[-1]["changes"]))
    assert entity["description"] == newest["description"]
    print(
        f"kill -9: acknowledged {kills} saves before killing the server and the database; "
        f"{len(acknowledged)} acknowledged, {len(revisions)} stored, 0 lost, 0 half-applied; "
        f"refused while down: {errors}"
    )
