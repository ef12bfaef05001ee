"""The FalkorDB backend: the embedded server Ecomap owns, or an external one by URL."""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import secrets
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, LiteralString
from urllib.parse import unquote, urlsplit

import redis

from graph.errors import (
    QueryError,
    QueryTimeoutError,
    ReadOnlyError,
    StoreUnavailableError,
)
from graph.settings import Settings
from graph.store.base import ReadLimits, Store, Writer
from graph.store.deadlines import Deadlines
from graph.store.dialect import ENTITY, FALKORDB
from graph.store.falkordb_protocol import CompactDecoder, Schema, parse_stats, with_params
from graph.store.falkordb_server import EmbeddedServer, admin_connection, reader_connection
from graph.store.results import Result

log = logging.getLogger("ecomap.store")

GENERATION_KEY = "ecomap:generation:{graph}"
LOCK_KEY = "ecomap:write-lock:{graph}"
STAGING_PREFIX = "{graph}:staging:"
LOCK_WAIT_S = 60.0
LOCK_TTL_MS = 24 * 3600 * 1000  # a last resort for holders on other machines
RELEASE_IF_HELD = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""
OVERRUN_S = 0.5  # past its time limit by this, a read is stopped with the server
FULLTEXT_CALL = "db.idx.fulltext.queryNodes"
INDEX_STATUS_QUERY: LiteralString = (
    "CALL db.indexes() YIELD label, status WHERE label = $label RETURN status"
)
REFUSED_OVERRUN = "this query stopped the server before (past its time or memory limit); refused"
INDEXES_ASKED_EVERY_S = 1.0  # while they are being built, for quick reads (_transaction)
RUNNING_S = 0.5  # a read cut off later than this was running, not sent on a dead connection
CONNECTION_ERRORS = (redis.ConnectionError, redis.TimeoutError, OSError)


class FalkorStore(Store):
    """A FalkorDB graph reached over a Unix socket (embedded) or TCP (``falkordb://``)."""

    dialect = FALKORDB

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.server: EmbeddedServer | None = None
        self.graph_name = settings.graph_name
        if settings.graph == "embedded":
            self.backend = "embedded"
            self.server = EmbeddedServer(settings)
            info = self.server.open()
            self._admin, self._reader = admin_connection(info), reader_connection(info)
            self.location = info.socket
        else:
            self.backend = "falkordb"
            self._admin, self.graph_name = _connect_url(settings.graph, self.graph_name)
            self._reader = self._admin
            self.location = settings.graph
        self._schema = Schema(self._fetch_names)
        self._decoder = CompactDecoder(self._schema)
        self._generation: bytes | None = None
        self._epoch = 0  # counts reconnections, so concurrent failures reconnect once
        self._indexes_ready: tuple[int, int, Any] | None = None  # when they were last built
        self._inline = True  # quick reads as transactions (see _transaction)
        self._indexes_building_at = -INDEXES_ASKED_EVERY_S  # when last found being built
        self._reconnecting = threading.Lock()
        self._suspects: set[str] = set()  # reads refused: they stopped the server
        self._strikes: dict[str, int] = {}  # reads running when the server stopped, and how often
        self._deadlines = Deadlines("ecomap-read-watchdog")
        self._ensure_graph()

    # -- reading -------------------------------------------------------------------------

    def _read(
        self,
        cypher: LiteralString,
        params: Mapping[str, Any] | None,
        *,
        timeout_ms: int,
        max_rows: int,
    ) -> Result:
        # The server's RESULTSET_SIZE (the row cap plus one) bounds what comes back.
        if FULLTEXT_CALL in cypher:
            self._refuse_search_while_indexing()
        started = time.perf_counter()
        text = with_params(cypher, params)

        def send() -> list[Any]:
            commands = [
                ("GET", GENERATION_KEY.format(graph=self.graph_name)),
                ("GRAPH.RO_QUERY", self.graph_name, text, "--compact", "timeout", timeout_ms),
            ]
            with self._watchdog(text, timeout_ms):
                return self._pipelined(commands)

        generation, response = self._call(send, retry=True, query=text)
        _raise_for(response, cypher)
        if generation != self._generation:
            self._schema.clear()
            self._generation = generation
        columns, rows, _ = self._decoder.result(response)
        elapsed = (time.perf_counter() - started) * 1000
        return Result(columns, rows, elapsed_ms=elapsed)

    def _read_many(
        self,
        batch: list[tuple[LiteralString, Mapping[str, Any] | None, ReadLimits]],
        *,
        quick: bool = False,
    ) -> list[Result]:
        """Send the reads in one pipeline: one round trip, each under its own time limit;
        quick ones as one transaction (see :meth:`_transaction`)."""
        if not batch:
            return []
        atomic = quick and self._quick_reads_inline()
        if len(batch) < 2 and not atomic:
            return super()._read_many(batch)
        started = time.perf_counter()
        texts = [with_params(cypher, params) for cypher, params, _ in batch]
        together = "\n".join(texts)  # the batch's own name for strikes and suspicion
        if any(text in self._suspects for text in texts):
            raise QueryTimeoutError(REFUSED_OVERRUN)
        total_ms = sum(limits.timeout_ms for _, _, limits in batch)

        def send() -> list[Any]:
            generation = ("GET", GENERATION_KEY.format(graph=self.graph_name))
            commands: list[tuple[Any, ...]] = [generation]
            for text, (_, _, limits) in zip(texts, batch, strict=True):
                commands.append(
                    ("GRAPH.RO_QUERY", self.graph_name, text, "--compact", "timeout",
                     limits.timeout_ms)
                )  # fmt: skip
            with self._watchdog([*texts, together], total_ms):
                return self._pipelined(commands, atomic=atomic)

        generation, *responses = self._call(send, retry=True, query=together)
        for response, (cypher, _, _) in zip(responses, batch, strict=True):
            _raise_for(response, cypher)
        if generation != self._generation:
            self._schema.clear()
            self._generation = generation
        results = []
        for response in responses:
            columns, rows, _ = self._decoder.result(response)
            elapsed = (time.perf_counter() - started) * 1000
            results.append(Result(columns, rows, elapsed_ms=elapsed))
        return results

    def _pipelined(self, commands: list[tuple[Any, ...]], *, atomic: bool = False) -> list[Any]:
        """Send ``commands`` in one write on one of the reader's connections and return every
        reply in order, an error reply as its ``ResponseError``; ``atomic``, as one
        transaction (see :meth:`_transaction`).

        What redis-py's pipeline does for a read, without what a read does not need there
        (response callbacks, retries, which are ``_call``'s, metrics): of the 0.64 ms of
        Python time an entity page's reads cost, the pipeline took 0.24 ms, this 0.15.
        """
        pool = self._reader.connection_pool
        connection = pool.get_connection()
        try:
            if atomic:
                return self._transaction(connection, commands)
            connection.send_packed_command(connection.pack_commands(commands))
            return [_reply(connection) for _ in commands]
        except BaseException:
            connection.disconnect()  # replies may be left unread: never reuse it as it is
            raise
        finally:
            pool.release(connection)

    def _transaction(self, connection: Any, commands: list[tuple[Any, ...]]) -> list[Any]:
        """Send ``commands`` between MULTI and EXEC and return their replies.

        FalkorDB runs the queries of a transaction on the server's main thread, at once,
        rather than hand each to a worker thread and wake the client when it is done: of a
        small entity's three reads (the stamp, the entity, its first ties), the hand-offs
        were 0.3 of 1.1 ms. The main thread serves every client, so only quick reads (an
        index seek and a LIMIT, see :class:`Read`) are sent so, and only once the indexes
        are built (see :meth:`_quick_reads_inline`). The reads also see one snapshot.
        """
        connection.send_packed_command(connection.pack_commands([("MULTI",), *commands, ("EXEC",)]))
        began = _reply(connection)
        if isinstance(began, redis.ResponseError):  # refused: each command ran by itself
            replies = [_reply(connection) for _ in commands]
            _reply(connection)  # EXEC without MULTI
            if isinstance(began, redis.exceptions.NoPermissionError):  # a server of before
                log.info("quick reads as transactions: %s; sent as they come from now", began)
                self._inline = False
            return replies
        queued = [_reply(connection) for _ in commands]
        done = _reply(connection)
        if isinstance(done, redis.ResponseError):  # refused as queued: each read says why
            return [q if isinstance(q, redis.ResponseError) else done for q in queued]
        return list(done)

    def _quick_reads_inline(self) -> bool:
        """Whether quick reads may run as transactions (see :meth:`_transaction`): the server
        allows it, and the entities' indexes are built, so that a lookup by id seeks rather
        than scans (after a start on a large graph they are rebuilt in the background)."""
        if not self._inline:
            return False
        if self._indexes_ready == (self._epoch, self._writes, self._generation):
            return True
        if time.monotonic() - self._indexes_building_at < INDEXES_ASKED_EVERY_S:
            return False  # being built a moment ago: not asked again yet
        if self._indexes_built() is None:
            return True
        self._indexes_building_at = time.monotonic()
        return False

    @contextmanager
    def _watchdog(self, text: str | list[str], timeout_ms: int) -> Iterator[None]:
        """Stop the embedded server if a read runs past its time limit by :data:`OVERRUN_S`
        (the next call restarts it).

        FalkorDB checks its time limit between records, so one record that builds a huge
        value runs on regardless. The server is ours, its data on disk; it is restarted at
        once, and the read that overran is refused from then on.
        """
        if self.server is None or self.server.info is None:
            yield
            return
        pid = self.server.info.pid

        def overrun() -> None:
            self._suspects.update([text] if isinstance(text, str) else text)
            log.warning("a read ran %.1f s past its time limit; restarting FalkorDB", OVERRUN_S)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        with self._deadlines.watching(timeout_ms / 1000 + OVERRUN_S, overrun):
            yield

    def _fetch_names(self, procedure: str) -> list[str]:
        reply = self._call(
            lambda: self._reader.execute_command(
                "GRAPH.RO_QUERY", self.graph_name, procedure, "--compact"
            ),
            retry=True,
        )
        return [row[0][1].decode() for row in reply[1]]

    # -- writing -------------------------------------------------------------------------

    def write(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        return self._write_to(self.graph_name, cypher, params)

    def _write_to(self, graph: str, cypher: str, params: Mapping[str, Any] | None) -> Result:
        self._trace(cypher, params or {})
        self._changed()
        started = time.perf_counter()
        text = with_params(cypher, params)
        try:
            response = self._call(
                lambda: self._admin.execute_command(
                    "GRAPH.QUERY",
                    graph,
                    text,
                    "--compact",
                    "timeout",
                    self.settings.write_timeout_ms,
                )
            )
        except redis.ResponseError as error:
            raise _query_error(str(error), cypher) from None
        finally:
            self._bump_generation()
            self._changed()
        columns, rows, stats = self._decoder.result(response)
        elapsed = (time.perf_counter() - started) * 1000
        return Result(columns, rows, elapsed_ms=elapsed, stats=parse_stats(stats))

    def apply(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        """Run one statement (atomic on FalkorDB) under the write lock, never inside a load.

        A lock left by a process that died is taken over (see :meth:`_write_lock`).
        """
        with self._write_lock():
            return self.write(cypher, params)

    @contextmanager
    def transaction(self, *, reset: bool = False, batches: int = 1) -> Iterator[Writer]:
        """Write into a copy of the graph (empty with ``reset``); on success it replaces the
        graph in one ``RENAME``, else it is dropped. Readers see the old graph or the new one.
        """
        with self._write_lock():
            self._drop_staging()  # what a dead load left
            staging = STAGING_PREFIX.format(graph=self.graph_name) + secrets.token_hex(4)
            try:
                self._wait_for_forks()  # GRAPH.COPY forks, and one fork at a time may run
                self._call(
                    lambda: self._admin.execute_command("GRAPH.COPY", self.graph_name, staging)
                )
                if reset:
                    self._empty(staging)
                log.info("load: staging graph %s ready", staging)
                yield _StagingWriter(self, staging)
                log.info("load: swapping %s in", staging)
                self._call(lambda: self._admin.execute_command("RENAME", staging, self.graph_name))
                log.info("load: swapped")
                self._compact()
            finally:
                self._quietly(lambda: self._admin.delete(staging))
                self._quietly(self._bump_generation)

    def _empty(self, graph: str) -> None:
        """Delete every node of ``graph``, in batches, keeping its indexes and constraints."""
        size = self.settings.batch_size
        while self._write_to(
            graph,
            "MATCH (n) WITH n LIMIT $size DETACH DELETE n RETURN count(n) AS n",
            {"size": size},
        ).value():
            pass

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """Hold the graph's write lock; take over one whose holder is dead."""
        key = LOCK_KEY.format(graph=self.graph_name)
        token = json.dumps({**_this_process(), "run": self._run_id()})
        deadline, waiting = time.monotonic() + LOCK_WAIT_S, False
        while not self._call(lambda: self._admin.set(key, token, nx=True, px=LOCK_TTL_MS)):
            held = self._call(lambda: self._admin.get(key))
            if held is not None and self._stale(held):
                log.warning("load: taking over the write lock of a dead load (%s)", held.decode())
                self._call(functools.partial(self._admin.eval, RELEASE_IF_HELD, 1, key, held))
                continue
            if time.monotonic() > deadline:
                raise StoreUnavailableError(
                    f"another load is writing to this graph ({_holder(held)}); try again later"
                )
            if not waiting:
                log.info("load: waiting for the write lock (%s)", _holder(held))
                waiting = True
            time.sleep(0.05)
        try:
            yield
        finally:
            self._quietly(lambda: self._admin.eval(RELEASE_IF_HELD, 1, key, token))

    def _stale(self, held: bytes) -> bool:
        """Whether a lock's holder is gone: the server restarted since, or its process died."""
        try:
            holder = json.loads(held)
            if not isinstance(holder, dict):
                return True
        except ValueError:
            return True  # not one of ours (an older release's lock): a leftover
        if holder.get("run") != self._run_id():
            return True
        here = _this_process()
        if (holder.get("host"), holder.get("boot")) != (here["host"], here["boot"]):
            return False  # a process on another machine: trust the lock (and its TTL)
        return _process_start(holder.get("pid")) != holder.get("start")

    def _run_id(self) -> str:
        return self._call(lambda: self._admin.info("server"))["run_id"]

    def _drop_staging(self) -> None:
        """Delete staging graphs of loads that died (called with the write lock held)."""
        pattern = _glob_escape(STAGING_PREFIX.format(graph=self.graph_name)) + "*"
        for name in self._call(lambda: list(self._admin.scan_iter(match=pattern))):
            log.warning("load: deleting %s, left by a load that died", name.decode())
            self._call(functools.partial(self._admin.delete, name))

    def _bump_generation(self) -> None:
        self._admin.incr(GENERATION_KEY.format(graph=self.graph_name))

    def _quietly(self, action: Callable[[], object]) -> None:
        """Run a clean-up step that may fail when the server is gone (the next load redoes it)."""
        try:
            action()
        except (*CONNECTION_ERRORS, StoreUnavailableError, redis.ResponseError) as error:
            log.warning("load: clean-up step failed: %s", error)

    def _wait_for_forks(self, timeout_s: float = 600.0) -> None:
        """Wait while the server has a child process (an AOF rewrite, a save, a copy)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            info = self._call(lambda: self._admin.info("persistence"))
            busy = ("aof_rewrite_in_progress", "rdb_bgsave_in_progress", "module_fork_in_progress")
            if not any(info.get(key) for key in busy):
                return
            time.sleep(0.02)
        raise StoreUnavailableError("FalkorDB stayed busy rewriting its files; try again later")

    def _compact(self) -> None:
        """Rewrite the embedded server's append-only file as a snapshot, in the background.

        Otherwise a restart replays every batch of every load as a query.
        """
        if self.server is None:
            return
        try:
            self._admin.execute_command("BGREWRITEAOF")
        except redis.ResponseError as error:  # one is already running: it will do
            log.info("append-only file rewrite not started: %s", error)

    def ensure_schema(self, types: Sequence[str]) -> None:
        # A refused GRAPH.CONSTRAINT CREATE still lands in the append-only file, and replaying
        # its error would stop the server from starting: create only what is missing.
        existing = {
            (row["label"], tuple(row["properties"]))
            for row in self.read("CALL db.constraints() YIELD label, properties")
        }
        for step in self.dialect.schema(list(types)):
            if step.constraint and (step.constraint[0], step.constraint[1:]) in existing:
                continue
            try:
                if step.cypher:
                    self.write(step.cypher)
                else:
                    args = [part.format(graph=self.graph_name) for part in step.command]
                    self._call(functools.partial(self._admin.execute_command, *args))
            except (QueryError, redis.ResponseError) as error:
                if not step.ignore_if or step.ignore_if not in str(error).lower():
                    raise
        self._wait_for_indexes()

    def _refuse_search_while_indexing(self) -> None:
        """Raise :class:`StoreUnavailableError` while the entities' full-text index is being
        built: it answers nothing until then (for a few seconds after a start on a large
        graph, whose indexes FalkorDB rebuilds in the background), and "no match" would be
        a wrong answer. Once built, it is not asked again until the data or server change.
        """
        building = self._indexes_built()
        if building is None:
            return
        done = re.search(r"(\d+)/(\d+)", building)
        so_far = f" ({int(done[1]):,} of {int(done[2]):,} entities so far)" if done else ""
        raise StoreUnavailableError(
            f"the search index is still being built{so_far}; search answers "
            "once it is done, in a few seconds"
        )

    def _indexes_built(self) -> str | None:
        """Return None once every index of the entities is built, else the status of one that
        is not. Once built, they are not asked about again until the data or server change.
        """
        if self._indexes_ready == (self._epoch, self._writes, self._generation):
            return None
        rows = self.read(INDEX_STATUS_QUERY, {"label": ENTITY}).rows
        building = [row["status"] for row in rows if row["status"] != "OPERATIONAL"]
        if building:
            return str(building[0])
        self._indexes_ready = (self._epoch, self._writes, self._generation)
        return None

    def _wait_for_indexes(self, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            pending = self.read(
                "CALL db.indexes() YIELD status WHERE status <> 'OPERATIONAL' RETURN count(*) AS n"
            ).value()
            if not pending:
                return
            time.sleep(0.05)

    def clear(self) -> None:
        self._changed()
        self._call(lambda: self._admin.delete(self.graph_name))
        self._ensure_graph()
        self._changed()

    def data_version(self) -> tuple[Any, ...] | None:
        """The stamp, this store's writes, and the generation every writer bumps: so a write
        by another process (an edit from the command line) is seen at the next read too.
        """
        version = super().data_version()  # its read fetched the generation alongside
        return None if version is None else (*version, self._generation)

    # -- status --------------------------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        try:
            up = bool(self._call(lambda: self._admin.ping(), retry=True))
        except StoreUnavailableError:
            up = False
        info = {
            "backend": self.backend,
            "location": self.location,
            "graph": self.graph_name,
            "up": up,
        }
        if self.server is not None and self.server.info is not None:
            info["pid"] = self.server.info.pid
            info["data_dir"] = str(self.server.folder)
        return info

    def close(self) -> None:
        for connection in {id(c): c for c in (self._reader, self._admin)}.values():
            connection.close()
        if self.server is not None:
            self.server.close()

    # -- plumbing ------------------------------------------------------------------------

    def _ensure_graph(self) -> None:
        if not self._call(lambda: self._admin.exists(self.graph_name)):
            self._call(
                lambda: self._admin.execute_command("GRAPH.QUERY", self.graph_name, "RETURN 1")
            )

    def _call(
        self, action: Callable[[], Any], *, retry: bool = False, query: str | None = None
    ) -> Any:
        """Run ``action``; when the server is lost, reconnect (once per loss, whichever thread
        sees it first) and run a read (``retry``) once more if it failed at once, on a
        connection that was already dead.

        A read that was running when the server stopped is not sent again (it may be what
        stopped it, past its memory limit); one that did so twice, or that its watchdog
        stopped, is refused from then on.
        """
        if query is not None and query in self._suspects:
            raise QueryTimeoutError(REFUSED_OVERRUN)
        epoch, started = self._epoch, time.monotonic()
        try:
            return action()
        except CONNECTION_ERRORS as error:
            lost = error
        if query is not None and query in self._suspects:  # stopped by its watchdog
            raise QueryTimeoutError(
                "the query ran past its time limit without stopping, so the server was "
                "restarted to stop it"
            )
        running = time.monotonic() - started > RUNNING_S
        if running and query is not None:
            if len(self._strikes) > 1000:
                self._strikes.clear()
            self._strikes[query] = self._strikes.get(query, 0) + 1
            if self._strikes[query] >= 2:
                self._suspects.add(query)
        if self._reconnect(epoch) and retry and not running:
            try:
                return action()
            except CONNECTION_ERRORS as error:  # cut off twice in a row: it stops the server
                lost = error
                if query is not None:
                    self._suspects.add(query)
        raise StoreUnavailableError(f"FalkorDB at {self.location} is unreachable: {lost}")

    def _reconnect(self, epoch: int) -> bool:
        """Reach the server again: the embedded one as it runs now, restarted if it died."""
        with self._reconnecting:
            if self._epoch != epoch:
                return True  # another thread did it
            if self.server is not None:
                try:
                    info = self.server.reopen()
                except StoreUnavailableError as error:
                    log.warning("could not reach FalkorDB again: %s", error)
                    return False
                old = {id(c): c for c in (self._admin, self._reader)}.values()
                self._admin, self._reader = admin_connection(info), reader_connection(info)
                self.location = info.socket
                for connection in old:
                    connection.close()
                log.warning("reconnected to FalkorDB (pid %s)", info.pid)
                try:  # an empty graph is not kept across a restart
                    if not self._admin.exists(self.graph_name):
                        self._admin.execute_command("GRAPH.QUERY", self.graph_name, "RETURN 1")
                except CONNECTION_ERRORS:
                    return False
            self._generation = None
            self._schema.clear()
            self._epoch += 1
            return True


class _StagingWriter(Writer):
    def __init__(self, store: FalkorStore, graph: str) -> None:
        self.store, self.graph = store, graph

    def run(self, cypher: LiteralString, params: Mapping[str, Any] | None = None) -> Result:
        result = self.store._write_to(self.graph, cypher, params)
        log.info("load: wrote a statement into %s", self.graph)
        return result


def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id") as file:
            return file.read().strip()
    except OSError:
        return ""


def _process_start(pid: object) -> str | None:
    """Return when process ``pid`` started (clock ticks since boot), or None if it is gone."""
    if not isinstance(pid, int):
        return None
    try:
        with open(f"/proc/{pid}/stat") as file:
            fields = file.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == "Z" else fields[19]


def _this_process() -> dict[str, Any]:
    """Who holds a lock: host, boot, pid and the pid's start time (pids are reused)."""
    pid = os.getpid()
    return {
        "host": socket.gethostname(),
        "boot": _boot_id(),
        "pid": pid,
        "start": _process_start(pid),
    }


def _holder(held: bytes | None) -> str:
    try:
        holder = json.loads(held or b"{}")
        return f"pid {holder['pid']} on {holder['host']}"
    except (ValueError, KeyError, TypeError):
        return "an unknown process"


def _glob_escape(text: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in text)


def _reply(connection: Any) -> Any:
    """Read one reply; an error reply is returned (as its ``ResponseError``), not raised."""
    try:
        return connection.read_response()
    except redis.ResponseError as error:
        return error


def _connect_url(url: str, default_graph: str) -> tuple[redis.Redis, str]:
    parts = urlsplit(url)
    graph = parts.path.strip("/") or default_graph
    connection = redis.Redis(
        host=parts.hostname or "localhost",
        port=parts.port or 6379,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )
    return connection, graph


def _raise_for(response: Any, cypher: str) -> None:
    if isinstance(response, redis.ResponseError) and "max pending queries" in str(response).lower():
        raise StoreUnavailableError("FalkorDB has too many queries waiting; try again in a moment")
    if isinstance(response, redis.ResponseError):
        raise _query_error(str(response), cypher)
    if isinstance(response, Exception):
        raise StoreUnavailableError(str(response))


def _query_error(message: str, cypher: str) -> QueryError:
    lowered = message.lower()
    if "read-only" in lowered or "noperm" in lowered or "no permissions" in lowered:
        return ReadOnlyError(
            "the read path is read-only: this statement writes to the graph and was refused"
        )
    if "timed out" in lowered or "timeout" in lowered:
        return QueryTimeoutError(f"the query ran past its time limit and was stopped ({message})")
    return QueryError(message)
