"""The read watchdog's deadlines: an action runs once its deadline passes, never if cancelled."""

from __future__ import annotations

import threading
import time

from graph.store.deadlines import PRUNE_AT, Deadlines


def test_an_action_runs_after_its_deadline_and_a_cancelled_one_never():
    deadlines, fired = Deadlines(), []
    done = threading.Event()
    started = time.monotonic()
    with deadlines.watching(60.0, lambda: fired.append("late")):
        with deadlines.watching(0.05, lambda: (fired.append("due"), done.set())):
            assert done.wait(10)
    assert fired == ["due"] and time.monotonic() - started >= 0.05
    with deadlines.watching(0.05, lambda: fired.append("cancelled")):
        pass
    time.sleep(0.3)
    assert fired == ["due"]


def test_one_thread_serves_every_read():
    deadlines = Deadlines("deadline-test")
    for _ in range(50):
        with deadlines.watching(30.0, lambda: None):
            pass
    assert [t.name for t in threading.enumerate()].count("deadline-test") == 1


def test_a_later_deadline_fires_after_the_earlier_one_was_cancelled():
    deadlines, done = Deadlines(), threading.Event()
    with deadlines.watching(0.05, lambda: None):
        pass  # cancelled: the thread still waits until it was due, then drops it
    with deadlines.watching(0.2, done.set):
        assert done.wait(10)


def test_cancelled_deadlines_behind_a_long_one_are_dropped():
    deadlines = Deadlines()
    with deadlines.watching(30.0, lambda: None):  # live, and due first: the thread waits on it
        for _ in range(3 * PRUNE_AT):
            with deadlines.watching(60.0, lambda: None):
                pass
        assert len(deadlines._waiting) <= PRUNE_AT + 1
