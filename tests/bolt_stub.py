"""A scripted Bolt 5.4 server on a loopback port, for driving the real ``neo4j`` driver offline.

No Neo4j server runs on our machines; this stub speaks just enough Bolt (handshake, HELLO,
LOGON, BEGIN, RUN, PULL, DISCARD, COMMIT, ROLLBACK, RESET, GOODBYE) for the official driver
to connect, and answers each statement with what a test scripts: records and summary
metadata, or a FAILURE with a Neo4j status code. It records every message it receives, so a
test sees what the driver sent (queries, parameters, transaction timeouts, notification
filters). Faults: ``hang`` accepts connections and never answers; :func:`refused_port`
gives a port where nothing listens.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MAGIC = b"\x60\x60\xb0\x17"
VERSION = b"\x00\x00\x04\x05"  # Bolt 5.4
HELLO, GOODBYE, RESET, RUN, DISCARD, PULL = 0x01, 0x02, 0x0F, 0x10, 0x2F, 0x3F
BEGIN, COMMIT, ROLLBACK, LOGON, LOGOFF, ROUTE = 0x11, 0x12, 0x13, 0x6A, 0x6B, 0x66
SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F


@dataclass
class Reply:
    """How the stub answers one statement: rows and summary, or a failure."""

    fields: list[str] = field(default_factory=list)
    records: list[list[Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=lambda: {"type": "r"})
    failure: tuple[str, str] | None = None  # (code, message)
    hang: bool = False  # never answer this statement
    drop: bool = False  # close the connection instead of answering


Script = Callable[[str, dict[str, Any]], Reply]


def read_reply(query: str, params: dict[str, Any]) -> Reply:
    """Answer every statement as an empty read."""
    return Reply()


# -- PackStream ----------------------------------------------------------------------------


@dataclass
class Structure:
    tag: int
    fields: list[Any]


def pack(value: Any) -> bytes:
    """Encode one value in PackStream."""
    if value is None:
        return b"\xc0"
    if value is True:
        return b"\xc3"
    if value is False:
        return b"\xc2"
    if isinstance(value, int):
        if -16 <= value < 128:
            return struct.pack(">b", value)
        for marker, fmt, low, high in (
            (b"\xc8", ">b", -(2**7), 2**7),
            (b"\xc9", ">h", -(2**15), 2**15),
            (b"\xca", ">i", -(2**31), 2**31),
            (b"\xcb", ">q", -(2**63), 2**63),
        ):
            if low <= value < high:
                return marker + struct.pack(fmt, value)
        raise OverflowError(value)
    if isinstance(value, float):
        return b"\xc1" + struct.pack(">d", value)
    if isinstance(value, str):
        data = value.encode()
        return _header(len(data), 0x80, b"\xd0", b"\xd1", b"\xd2") + data
    if isinstance(value, list | tuple):
        return _header(len(value), 0x90, b"\xd4", b"\xd5", b"\xd6") + b"".join(map(pack, value))
    if isinstance(value, dict):
        items = b"".join(pack(k) + pack(v) for k, v in value.items())
        return _header(len(value), 0xA0, b"\xd8", b"\xd9", b"\xda") + items
    if isinstance(value, Structure):
        return bytes([0xB0 + len(value.fields), value.tag]) + b"".join(map(pack, value.fields))
    raise TypeError(f"cannot pack {type(value).__name__}")


def _header(size: int, tiny: int, m8: bytes, m16: bytes, m32: bytes) -> bytes:
    if size < 16:
        return bytes([tiny + size])
    if size < 2**8:
        return m8 + struct.pack(">B", size)
    if size < 2**16:
        return m16 + struct.pack(">H", size)
    return m32 + struct.pack(">I", size)


class _Unpacker:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, size: int) -> bytes:
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk

    def number(self, fmt: str) -> int:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def value(self) -> Any:
        marker = self.take(1)[0]
        if marker < 0x80:
            return marker
        if marker >= 0xF0:
            return marker - 0x100
        high, low = marker & 0xF0, marker & 0x0F
        if high == 0x80:
            return self.take(low).decode()
        if high == 0x90:
            return [self.value() for _ in range(low)]
        if high == 0xA0:
            return {self.value(): self.value() for _ in range(low)}
        if high == 0xB0:
            tag = self.take(1)[0]
            return Structure(tag, [self.value() for _ in range(low)])
        simple = {0xC0: None, 0xC2: False, 0xC3: True}
        if marker in simple:
            return simple[marker]
        if marker == 0xC1:
            return struct.unpack(">d", self.take(8))[0]
        ints = {0xC8: ">b", 0xC9: ">h", 0xCA: ">i", 0xCB: ">q"}
        if marker in ints:
            return self.number(ints[marker])
        sizes = {0xD0: ">B", 0xD1: ">H", 0xD2: ">I"}
        if marker in sizes:
            return self.take(self.number(sizes[marker])).decode()
        if marker in (0xD4, 0xD5, 0xD6):
            size = self.number({0xD4: ">B", 0xD5: ">H", 0xD6: ">I"}[marker])
            return [self.value() for _ in range(size)]
        if marker in (0xD8, 0xD9, 0xDA):
            size = self.number({0xD8: ">B", 0xD9: ">H", 0xDA: ">I"}[marker])
            return {self.value(): self.value() for _ in range(size)}
        raise ValueError(f"unknown PackStream marker {marker:#x}")


# -- the server ----------------------------------------------------------------------------


@dataclass
class Message:
    """One message the driver sent: its tag name and fields."""

    name: str
    fields: list[Any]


NAMES = {
    HELLO: "HELLO", GOODBYE: "GOODBYE", RESET: "RESET", RUN: "RUN", DISCARD: "DISCARD",
    PULL: "PULL", BEGIN: "BEGIN", COMMIT: "COMMIT", ROLLBACK: "ROLLBACK", LOGON: "LOGON",
    LOGOFF: "LOGOFF", ROUTE: "ROUTE",
}  # fmt: skip


class BoltStub:
    """A Bolt server on 127.0.0.1 answering statements as ``script`` says."""

    def __init__(self, script: Script = read_reply, *, hang: bool = False) -> None:
        self.script, self.hang = script, hang
        self.messages: list[Message] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)  # so the accept loop sees the stub close
        self.port = self._listener.getsockname()[1]
        self._connections: list[socket.socket] = []
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def queries(self) -> list[str]:
        """Return the text of every statement the driver ran, in order."""
        return [m.fields[0] for m in self.messages if m.name == "RUN"]

    def sent(self, name: str) -> list[list[Any]]:
        """Return the fields of every message of one kind."""
        return [m.fields for m in self.messages if m.name == name]

    def __enter__(self) -> BoltStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._closed.set()
        self._listener.close()
        for connection in list(self._connections):
            _close(connection)
        self._thread.join(timeout=5)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connection.settimeout(None)
            self._connections.append(connection)
            if not self.hang:
                threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            if _read_exact(connection, 20)[:4] != MAGIC:
                return
            connection.sendall(VERSION)
            _Session(self, connection).run()
        except (OSError, ConnectionError):
            pass
        finally:
            _close(connection)


class _Session:
    """One connection's conversation: answers in order, IGNORED after a failure until RESET."""

    def __init__(self, stub: BoltStub, connection: socket.socket) -> None:
        self.stub, self.connection = stub, connection
        self.failed = False
        self.pending: Reply | None = None

    def run(self) -> None:
        while True:
            message = _read_message(self.connection)
            if message is None:
                return
            self.stub.messages.append(message)
            if message.name == "GOODBYE":
                return
            if not self.answer(message):
                return

    def answer(self, message: Message) -> bool:
        if message.name == "RESET":
            self.failed, self.pending = False, None
            return self.send(SUCCESS, {})
        if self.failed:
            return self.send(IGNORED)
        if message.name == "HELLO":
            return self.send(SUCCESS, {"server": "Neo4j/5.26.0", "connection_id": "bolt-1"})
        if message.name == "RUN":
            return self.on_run(message.fields[0], message.fields[1] or {})
        if message.name in ("PULL", "DISCARD"):
            return self.on_pull()
        if message.name == "COMMIT":
            return self.send(SUCCESS, {"bookmark": "stub:1"})
        return self.send(SUCCESS, {})  # LOGON, BEGIN, ROLLBACK, LOGOFF

    def on_run(self, query: str, params: dict[str, Any]) -> bool:
        reply = self.stub.script(query, params)
        if reply.drop:
            return False
        if reply.hang:
            self.stub._closed.wait()
            return False
        if reply.failure is not None:
            code, text = reply.failure
            self.failed = True
            return self.send(FAILURE, {"code": code, "message": text})
        self.pending = reply
        return self.send(SUCCESS, {"fields": reply.fields, "t_first": 1, "qid": 0})

    def on_pull(self) -> bool:
        reply, self.pending = self.pending or Reply(), None
        for record in reply.records:
            if not self.send(RECORD, record):
                return False
        return self.send(SUCCESS, {"t_last": 1, "db": "neo4j", **reply.summary})

    def send(self, tag: int, *fields: Any) -> bool:
        body = bytes([0xB0 + len(fields), tag]) + b"".join(map(pack, fields))
        chunks = b"".join(
            struct.pack(">H", len(body[i : i + 0xFFFF])) + body[i : i + 0xFFFF]
            for i in range(0, len(body), 0xFFFF)
        )
        try:
            self.connection.sendall(chunks + b"\x00\x00")
        except OSError:
            return False
        return True


def _read_exact(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _read_message(connection: socket.socket) -> Message | None:
    body = b""
    try:
        while True:
            size = struct.unpack(">H", _read_exact(connection, 2))[0]
            if size == 0:
                if body:
                    break
                continue  # a NOOP chunk
            body += _read_exact(connection, size)
    except ConnectionError:
        return None
    structure = _Unpacker(body).value()
    return Message(NAMES.get(structure.tag, hex(structure.tag)), structure.fields)


def _close(connection: socket.socket) -> None:
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    connection.close()


def refused_port() -> int:
    """Return a loopback port where nothing listens (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
