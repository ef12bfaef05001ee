"""One thread that acts when a read passes its deadline, shared by every read of a store.

A timer thread per read cost a thread start on every query; a page of twenty queries paid it
twenty times. Here a read registers its deadline and cancels it when it returns.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PRUNE_AT = 1024  # deadlines kept, live or cancelled, before the cancelled ones are dropped


class Deadlines:
    """Run an action when its deadline passes, unless it was cancelled first."""

    def __init__(self, name: str = "ecomap-deadlines") -> None:
        self.name = name
        self._waiting: list[tuple[float, int, Callable[[], None]]] = []
        self._live: set[int] = set()
        self._numbers = itertools.count()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    @contextmanager
    def watching(self, seconds: float, action: Callable[[], None]) -> Iterator[None]:
        """Run ``action`` if the block has not ended ``seconds`` from now."""
        number = self._add(seconds, action)
        try:
            yield
        finally:
            with self._changed:
                self._live.discard(number)

    def _add(self, seconds: float, action: Callable[[], None]) -> int:
        with self._changed:
            number = next(self._numbers)
            due = time.monotonic() + seconds
            # The thread wakes by the earliest deadline waiting (even a cancelled one, which
            # it then drops); it needs waking now only for a deadline before that one.
            sooner = not self._waiting or due < self._waiting[0][0]
            if len(self._waiting) >= PRUNE_AT:  # cancelled ones wait behind a long one
                self._waiting = [entry for entry in self._waiting if entry[1] in self._live]
                heapq.heapify(self._waiting)
            heapq.heappush(self._waiting, (due, number, action))
            self._live.add(number)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            if sooner:
                self._changed.notify()
        return number

    def _run(self) -> None:
        while True:
            with self._changed:
                action = self._next_due()
            if action is not None:
                action()

    def _next_due(self) -> Callable[[], None] | None:
        """Wait for the earliest live deadline; return its action once it has passed."""
        while True:
            while self._waiting and self._waiting[0][1] not in self._live:
                heapq.heappop(self._waiting)  # cancelled: the read returned in time
            if not self._waiting:
                self._changed.wait()
                continue
            due, number, action = self._waiting[0]
            left = due - time.monotonic()
            if left <= 0:
                heapq.heappop(self._waiting)
                self._live.discard(number)
                return action
            self._changed.wait(left)
