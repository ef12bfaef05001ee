"""The embedded FalkorDB server: shared by processes, durable, restarted after a crash."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.settings import Settings
from graph.store.backends import open_store
from graph.store.falkordb_server import admin_connection, socket_path

HOLD = """
import json, sys, time
from graph.settings import Settings
from graph.store.backends import open_store
store = open_store(Settings(data_dir=sys.argv[1]))
print(json.dumps({"pid": store.describe()["pid"], "started": store.server.started_here}),
      flush=True)
sys.stdin.readline()
store.close()
"""


def hold_store(data_dir: Path) -> tuple[subprocess.Popen[str], dict]:
    """Start a process that opens the store and keeps it until its stdin gets a line."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    return process, json.loads(process.stdout.readline())


def release(process: subprocess.Popen[str]) -> None:
    process.communicate("\n", timeout=30)
    assert process.returncode == 0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status").read_text()
    return "State:\tZ" not in status


def wait_gone(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_two_processes_share_one_server_which_stops_with_the_last(tmp_path):
    first, one = hold_store(tmp_path)
    second, two = hold_store(tmp_path)
    assert one["pid"] == two["pid"]
    assert (one["started"], two["started"]) == (True, False)
    release(first)
    assert alive(one["pid"]), "the server must keep serving the second process"
    release(second)
    assert wait_gone(one["pid"]), "the last process to leave stops the server"


def test_server_stops_when_its_only_owner_exits(tmp_path):
    owner, info = hold_store(tmp_path)
    release(owner)
    assert wait_gone(info["pid"])
    assert not Path(socket_path(tmp_path.resolve() / "falkordb")).exists()


def test_data_persists_across_restarts(tmp_path):
    with open_store(Settings(data_dir=tmp_path)) as store:
        store.write("CREATE (:Entity {id: 'kept', name: 'Kept'})")
        pid = store.describe()["pid"]
    assert wait_gone(pid)
    with open_store(Settings(data_dir=tmp_path)) as store:
        assert store.read("MATCH (n {id: 'kept'}) RETURN n.name AS name").value() == "Kept"
        assert store.describe()["pid"] != pid


def test_kill_9_of_the_server_loses_no_acknowledged_write(tmp_path):
    store = open_store(Settings(data_dir=tmp_path))
    for batch in range(20):
        store.write(
            "UNWIND range(1, 50) AS i CREATE (:Entity {id: $b + '-' + toString(i)})",
            {"b": str(batch)},
        )
    pid = store.describe()["pid"]
    os.kill(pid, signal.SIGKILL)
    assert wait_gone(pid)
    store.server.info = None  # the dead server is not ours to stop any more
    store.close()
    with open_store(Settings(data_dir=tmp_path)) as reopened:
        assert reopened.describe()["pid"] != pid
        assert reopened.read("MATCH (n:Entity) RETURN count(n) AS n").value() == 1000


def test_stale_pid_and_socket_after_a_crash_are_detected(tmp_path):
    owner, info = hold_store(tmp_path)
    owner.kill()  # the owning process dies without cleaning up
    owner.communicate()
    os.kill(info["pid"], signal.SIGKILL)  # and so does its server
    assert wait_gone(info["pid"])
    record = tmp_path / "falkordb" / "server.json"
    assert record.exists() and Path(json.loads(record.read_text())["socket"]).exists()
    with open_store(Settings(data_dir=tmp_path)) as store:
        assert store.server.started_here
        assert store.read("RETURN 1 AS x").value() == 1


def test_a_long_data_dir_gets_a_short_socket(tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    with open_store(Settings(data_dir=deep)) as store:
        assert len(store.describe()["location"]) <= 100
        assert store.read("RETURN 1 AS x").value() == 1


def test_no_tcp_port_is_opened(tmp_path):
    with open_store(Settings(data_dir=tmp_path)) as store:
        config = (tmp_path / "falkordb" / "redis.conf").read_text()
        assert "port 0\n" in config
        listening = Path("/proc/net/tcp").read_text() + Path("/proc/net/tcp6").read_text()
        pid = store.describe()["pid"]
        inodes = {
            os.readlink(f"/proc/{pid}/fd/{fd}")
            for fd in os.listdir(f"/proc/{pid}/fd")
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
        }
        inodes = {inode[8:-1] for inode in inodes}
        tcp_inodes = {line.split()[9] for line in listening.splitlines()[1:]}
        assert not inodes & tcp_inodes


@pytest.mark.parametrize("user", ["reader"])
def test_read_connection_cannot_run_admin_commands(embedded, user):
    import redis

    from graph.store.falkordb_server import reader_connection

    connection = reader_connection(embedded.server.info)
    for command in (
        ("GRAPH.DELETE", embedded.graph_name),
        ("FLUSHALL",),
        ("CONFIG", "GET", "*"),
        ("GRAPH.QUERY", embedded.graph_name, "CREATE (n)"),
    ):
        with pytest.raises(redis.exceptions.NoPermissionError):
            connection.execute_command(*command)
    assert connection.execute_command("GRAPH.RO_QUERY", embedded.graph_name, "RETURN 1")
    # It may send reads as one transaction (quick reads), never a write inside one.
    transaction = connection.pipeline(transaction=True)
    transaction.execute_command("GRAPH.RO_QUERY", embedded.graph_name, "RETURN 1")
    transaction.execute_command("GRAPH.QUERY", embedded.graph_name, "CREATE (:Intruder)")
    with pytest.raises(redis.exceptions.ResponseError, match="no permissions"):
        transaction.execute()
    count = "MATCH (n:Intruder) RETURN count(n)"
    assert connection.execute_command("GRAPH.RO_QUERY", embedded.graph_name, count)[1] == [[0]]


def test_restart_after_repeated_schema_and_loads(tmp_path):
    """Every command in the append-only file must replay, or the server would not start."""
    from graph.load.loader import load_graph

    nodes = [{"label": "City", "id": "a", "name": "A"}, {"label": "City", "id": "b", "name": "B"}]
    rels = [{"type": "AGREEMENT", "id": "ab", "from": "a", "to": "b"}]
    with open_store(Settings(data_dir=tmp_path)) as store:
        for _ in range(3):
            store.ensure_schema(["AGREEMENT"])
            load_graph(store, nodes, rels)
        pid = store.describe()["pid"]
    assert wait_gone(pid)
    with open_store(Settings(data_dir=tmp_path)) as store:
        assert store.counts()["nodes"]["Entity"] == 2
        constraints = store.read("CALL db.constraints() YIELD label RETURN label ORDER BY label")
        assert [row["label"] for row in constraints] == ["Entity", "Source"]


def server_record(data_dir: Path) -> dict:
    return json.loads((data_dir / "falkordb" / "server.json").read_text())


def run_status(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from web.cli.commands import main; main()", "status"],
        env={**os.environ, "ECOMAP_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_store_reconnects_to_a_server_another_process_restarted(tmp_path):
    with open_store(Settings(data_dir=tmp_path)) as store:
        store.write("CREATE (:Entity {id: 'kept'})")
        old = store.describe()["pid"]
        os.kill(old, signal.SIGKILL)
        assert wait_gone(old)
        assert run_status(tmp_path).returncode == 0  # restarts it, with new passwords
        new = server_record(tmp_path)["pid"]
        assert new != old
        assert store.read("MATCH (n {id: 'kept'}) RETURN count(n) AS n").value() == 1
        assert store.describe()["pid"] == new


def test_a_store_restarts_a_server_that_died(tmp_path):
    with open_store(Settings(data_dir=tmp_path)) as store:
        store.write("CREATE (:Entity {id: 'kept'})")
        old = store.describe()["pid"]
        os.kill(old, signal.SIGKILL)
        assert wait_gone(old)
        assert store.read("MATCH (n {id: 'kept'}) RETURN count(n) AS n").value() == 1
        assert store.describe()["pid"] != old


def test_an_exiting_process_stops_the_new_server_not_a_stale_record(tmp_path):
    owner, info = hold_store(tmp_path)
    os.kill(info["pid"], signal.SIGKILL)
    assert wait_gone(info["pid"])
    assert run_status(tmp_path).returncode == 0
    restarted = server_record(tmp_path)["pid"]
    release(owner)  # the last user leaves: the server running now must stop with it
    assert wait_gone(restarted), "the restarted server was left running unmanaged"
    assert not (tmp_path / "falkordb" / "server.json").exists()
    with open_store(Settings(data_dir=tmp_path)) as store:
        assert store.read("RETURN 1 AS x").value() == 1


DELAY_OFF = [b"DELAY_INDEXING", False]  # indexes built at once, as after a start of our own
KILLED_WHILE_STARTING = """
import os, signal, sys
from graph.settings import Settings
from graph.store import falkordb_server
from graph.store.backends import open_store

def killed(info, timeout, process=None):  # the instant its server was started, not yet up
    os.kill(os.getpid(), signal.SIGKILL)

falkordb_server._wait_for = killed
open_store(Settings(data_dir=sys.argv[1]))
"""


def test_a_process_killed_while_its_server_starts_leaves_a_server_the_next_one_uses(tmp_path):
    with open_store(Settings(data_dir=tmp_path)) as store:
        store.write("CREATE (:Entity {id: 'kept', name: 'Kept'})")
    starting = subprocess.run([sys.executable, "-c", KILLED_WHILE_STARTING, str(tmp_path)])
    assert starting.returncode == -signal.SIGKILL
    orphan = server_record(tmp_path)["pid"]
    assert alive(orphan)  # its server lives on, in a session of its own
    with open_store(Settings(data_dir=tmp_path)) as store:
        assert store.describe()["pid"] == orphan and not store.server.started_here
        assert store.read("MATCH (n:Entity) RETURN n.id AS id").value() == "kept"
        admin = admin_connection(store.server.info)
        assert admin.execute_command("GRAPH.CONFIG", "GET", "DELAY_INDEXING") == DELAY_OFF
        admin.close()
        store.write("CREATE (:Entity {id: 'after', name: 'After'})")
    assert wait_gone(orphan), "the last user stops it, as any server it attached to"
    with open_store(Settings(data_dir=tmp_path)) as store:
        assert store.read("MATCH (n:Entity) RETURN count(n) AS n").value() == 2


def test_one_server_per_data_dir_even_without_its_record(tmp_path):
    from graph.errors import StoreUnavailableError

    with open_store(Settings(data_dir=tmp_path)) as store:
        record = tmp_path / "falkordb" / "server.json"
        saved = record.read_text()
        record.unlink()  # a record lost: the server still holds the data dir
        with pytest.raises(StoreUnavailableError, match="holds"):
            open_store(Settings(data_dir=tmp_path))
        record.write_text(saved)
        assert store.read("RETURN 1 AS x").value() == 1


def test_the_session_sweep_stops_only_the_servers_under_its_folder(tmp_path: Path) -> None:
    """A client killed with SIGKILL leaves its server up; the end-of-session sweep stops the
    servers under the session's folder and no other."""
    from tests.server_sweep import servers_under, stop_servers_under

    process, info = hold_store(tmp_path / "left-behind")
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=10)
    assert alive(info["pid"])
    assert servers_under(tmp_path / "elsewhere") == []
    assert servers_under(tmp_path) == [info["pid"]]
    assert stop_servers_under(tmp_path) == 1
    assert wait_gone(info["pid"])
