"""Capacity for user-written queries (console and saved), kept apart from the pages'.

Console and saved queries may run for their whole time limit; pages run short indexed reads.
So console and saved queries get ``ECOMAP_QUERY_SLOTS`` places at once (the server's other
threads stay free for pages), one per client (its proxy user, else its address); at most
``ECOMAP_QUERY_QUEUE`` more wait, for up to a second, and every other one is answered 503
at once, with a ``Retry-After``.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, current_app, g, request
from werkzeug.exceptions import ServiceUnavailable

KEY = "ecomap.query_slots"
WAIT_S = 1.0


class QuerySlots:
    """A bounded number of running queries, per client and in all, and a bounded queue."""

    def __init__(self, slots: int, per_client: int, queue: int) -> None:
        self.slots, self.per_client, self.queue = slots, per_client, queue
        self._changed = threading.Condition()
        self._running: Counter[str] = Counter()
        self._waiting = 0

    @contextmanager
    def hold(self, client: str) -> Iterator[None]:
        """Run the body in a slot, or raise a 503 when none frees up in time."""
        self._acquire(client)
        try:
            yield
        finally:
            with self._changed:
                self._running[client] -= 1
                self._changed.notify_all()

    def _acquire(self, client: str) -> None:
        with self._changed:
            if not self._free(client) and self._waiting >= self.queue:
                raise busy("Too many queries are waiting to run; try again in a moment.")
            self._waiting += 1
            try:
                if not self._changed.wait_for(lambda: self._free(client), timeout=WAIT_S):
                    raise busy(
                        "Your other queries are still running; try again when they finish."
                        if self._running[client] >= self.per_client
                        else "Every place for console and saved queries is taken; "
                        "try again in a moment."
                    )
            finally:
                self._waiting -= 1
            self._running[client] += 1

    def _free(self, client: str) -> bool:
        total = sum(self._running.values())
        return total < self.slots and self._running[client] < self.per_client


def busy(message: str) -> ServiceUnavailable:
    """A 503 that tells the client when to retry."""
    error = ServiceUnavailable(description=message)
    error.retry_after = 1
    return error


def init_app(app: Flask, slots: int, per_client: int, queue: int) -> None:
    """Give the app its query slots."""
    app.extensions[KEY] = QuerySlots(slots, per_client, queue)


def client_key() -> str:
    """Who is asking: the signed-in user, else the address the request came from."""
    return f"user:{g.user}" if g.get("user") else f"addr:{request.remote_addr}"


def query_slots() -> QuerySlots:
    """The app's query slots (to hold one outside the request, for a run it starts)."""
    slots: QuerySlots = current_app.extensions[KEY]
    return slots


@contextmanager
def query_slot() -> Iterator[None]:
    """Hold one of the app's query slots for a console or saved query."""
    with query_slots().hold(client_key()):
        yield
