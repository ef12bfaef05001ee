"""Slowing password guessing: after a few failures for one name from one address, wait.

After ``FREE`` failures each further one doubles the wait (1 s, 2 s, 4 s … up to ``MAX_WAIT``);
while waiting every attempt is refused unchecked, so a right guess does not help. Kept per
process: with several workers each counts on its own, which still bounds the rate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

FREE = 3
MAX_WAIT = 300.0
FORGET_AFTER = 3600.0


class LoginThrottle:
    """Failures and waits by (name, address)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[tuple[str, str], tuple[int, float]] = {}

    def wait(self, name: str, address: str) -> float:
        """Return how many seconds this name and address must still wait (0: may try now)."""
        with self._lock:
            count, last = self._failures.get(_key(name, address), (0, 0.0))
        if count < FREE:
            return 0.0
        delay = min(2.0 ** (count - FREE), MAX_WAIT)
        return max(0.0, last + delay - self._clock())

    def failed(self, name: str, address: str) -> None:
        """Count one failure."""
        now = self._clock()
        with self._lock:
            self._forget_old(now)
            count, _ = self._failures.get(_key(name, address), (0, 0.0))
            self._failures[_key(name, address)] = (count + 1, now)

    def succeeded(self, name: str, address: str) -> None:
        """Forget the failures of this name and address."""
        with self._lock:
            self._failures.pop(_key(name, address), None)

    def _forget_old(self, now: float) -> None:
        if len(self._failures) > 10_000:
            self._failures = {k: v for k, v in self._failures.items() if now - v[1] < FORGET_AFTER}


def _key(name: str, address: str) -> tuple[str, str]:
    return name.strip().casefold(), address
