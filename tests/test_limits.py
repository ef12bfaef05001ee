"""Reads are time-limited and row-capped."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from graph.errors import QueryTimeoutError
from graph.settings import Settings
from graph.store.backends import open_store


def test_slow_query_is_stopped_by_the_time_limit(store):
    with pytest.raises(QueryTimeoutError, match="time limit"):
        store.read(
            "UNWIND range(1, 4000) AS a UNWIND range(1, 4000) AS b "
            "WITH a, b WHERE a * b = -1 RETURN count(*) AS n",
            timeout_ms_=200,
        )


def test_store_answers_after_a_timeout(store):
    with pytest.raises(QueryTimeoutError):
        store.read(
            "UNWIND range(1, 5000) AS a UNWIND range(1, 5000) AS b RETURN count(*) AS n",
            timeout_ms_=100,
        )
    assert store.read("RETURN 2 AS two").value() == 2


def test_row_cap_truncates_and_says_so(store, settings):
    result = store.read("UNWIND range(1, 1000) AS x RETURN x")
    assert len(result.rows) == settings.row_cap
    assert result.truncated is True
    assert result.rows[-1] == {"x": settings.row_cap}


def test_result_at_the_cap_is_not_truncated(store, settings):
    result = store.read("UNWIND range(1, $n) AS x RETURN x", {"n": settings.row_cap})
    assert len(result.rows) == settings.row_cap
    assert result.truncated is False


def test_a_smaller_cap_per_call(store):
    result = store.read("UNWIND range(1, 50) AS x RETURN x", row_cap_=7)
    assert [row["x"] for row in result.rows] == list(range(1, 8))
    assert result.truncated is True


def test_a_time_limit_past_the_write_limit_is_held_to_it(store, settings):
    assert store.read_limits(timeout_ms=10**9).timeout_ms == settings.write_timeout_ms
    assert store.read("RETURN 1 AS one", timeout_ms_=10**9).value() == 1


def test_no_time_limit_asked_is_the_read_limit(store, settings):
    assert store.read_limits().timeout_ms == settings.read_timeout_ms
    assert store.read_limits(timeout_ms=50).timeout_ms == 50


def test_a_larger_cap_per_call_is_held_to_the_setting(store, settings):
    result = store.read("UNWIND range(1, 1000) AS x RETURN x", row_cap_=10**6)
    assert len(result.rows) == settings.row_cap
    assert result.truncated is True


def test_every_read_is_traced_once_with_its_parameters(store):
    seen = []
    store.tracer = lambda cypher, params: seen.append((cypher, dict(params)))
    try:
        store.read("RETURN $n AS n", {"n": 3})
    finally:
        store.tracer = None
    assert seen == [("RETURN $n AS n", {"n": 3})]


def test_a_range_too_long_to_build_is_refused_before_it_runs(store, settings):
    from graph.errors import QueryLimitError

    started = time.monotonic()
    with pytest.raises(QueryLimitError, match="1,000,000,000 items"):
        store.read("UNWIND range(1, 1000000000) AS x RETURN count(x) AS n")
    assert time.monotonic() - started < settings.read_timeout_ms / 1000 + 1


@pytest.mark.parametrize(
    "cypher, params, message",
    [
        ("RETURN [x IN range(1, 3000) | range(1, 3000)] AS l", {}, "9,000,000 items"),
        ("RETURN range(1, $n) AS l", {"n": 10**10}, "10,000,000,000 items"),
        ("RETURN range(1, 1000 * 1000 * 1000) AS l", {}, "1,000,000,000 items"),
        ("RETURN range(1, toInteger('9')) AS l", {}, "known before the query runs"),
        ("RETURN range(1, $n) AS l", {"n": "9"}, r"\$n must be given as a whole number"),
    ],
)
def test_list_sizes_are_checked_before_they_run(store, cypher, params, message):
    from graph.errors import QueryLimitError

    with pytest.raises(QueryLimitError, match=message):
        store.read(cypher, params)


def test_ranges_of_known_small_size_run(store):
    assert store.read("RETURN size(range(0, size($ids) - 2)) AS n", {"ids": [1, 2, 3]}).value() == 2
    assert store.read("UNWIND range(1, 2000) AS a UNWIND range(1, 2000) AS b RETURN 1 AS x LIMIT 1")


def peak_rss_while(pid: int, done: threading.Event) -> list[int]:
    """Sample the server's peak resident memory (VmHWM, bytes) until ``done`` or it exits."""
    peaks = [0]

    def sample() -> None:
        while not done.is_set():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                return
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) * 1024)
            time.sleep(0.005)

    threading.Thread(target=sample, daemon=True).start()
    return peaks


def test_no_query_takes_the_server_past_its_memory_limit(tmp_path):
    """A list the guard cannot see (built from rows) stops at the server's memory floor."""
    from graph.errors import EcomapError

    limit_mb = 768
    settings = Settings(data_dir=tmp_path, server_memory_mb=limit_mb, read_timeout_ms=5000)
    with open_store(settings) as store:
        store.write("CREATE (:Entity {id: 'kept'})")
        pid, done = store.describe()["pid"], threading.Event()
        peaks = peak_rss_while(pid, done)
        started = time.monotonic()
        with pytest.raises(EcomapError):
            store.read(
                "UNWIND range(1, 200000) AS x WITH collect(x) AS l RETURN size([a IN l | l]) AS n"
            )
        elapsed = time.monotonic() - started
        done.set()
        assert elapsed < settings.read_timeout_ms / 1000 + 1
        assert max(peaks) < limit_mb * 1024 * 1024
        assert store.read("MATCH (n {id: 'kept'}) RETURN count(n) AS n").value() == 1


def test_a_query_that_stops_the_server_twice_is_refused_after_that(tmp_path):
    from graph.errors import EcomapError, QueryError

    poison = "UNWIND range(1, 200000) AS x WITH collect(x) AS l RETURN size([a IN l | l]) AS n"
    settings = Settings(data_dir=tmp_path, server_memory_mb=768)
    with open_store(settings) as store:
        store.write("CREATE (:Entity {id: 'kept'})")
        for _ in range(2):  # it stops the server, and not sent again within a call
            with pytest.raises(EcomapError):
                store.read(poison)
        started = time.monotonic()
        with pytest.raises(QueryError, match="stopped the server before"):
            store.read(poison)
        assert time.monotonic() - started < 0.5
        assert store.read("RETURN 1 AS x").value() == 1


def test_a_read_that_ignores_its_time_limit_is_stopped_within_a_second_of_it(tmp_path):
    """One record that builds a huge list is not interrupted by FalkorDB's own limit."""
    from graph.errors import QueryTimeoutError, StoreUnavailableError

    settings = Settings(data_dir=tmp_path, read_timeout_ms=1000)
    with open_store(settings) as store:
        store.write("CREATE (:Entity {id: 'kept'})")
        pid, done = store.describe()["pid"], threading.Event()
        peaks = peak_rss_while(pid, done)
        started = time.monotonic()
        # Stopped by its watchdog, or (on a slow machine) by the memory floor first.
        with pytest.raises((QueryTimeoutError, StoreUnavailableError)):
            store.read(
                "UNWIND range(1, 300000) AS x WITH collect(x) AS l RETURN size([a IN l | l]) AS n"
            )
        done.set()
        assert time.monotonic() - started < settings.read_timeout_ms / 1000 + 1
        assert max(peaks) < 2 * 1024**3
        assert store.read("MATCH (n {id: 'kept'}) RETURN count(n) AS n").value() == 1


def test_reads_sent_together_answer_in_order_each_capped_and_traced(store, settings):
    from graph.store.base import Read

    seen = []
    store.tracer = lambda cypher, params: seen.append(dict(params))
    try:
        first, second, third = store.read_many(
            [
                Read("UNWIND range(1, $n) AS x RETURN x", {"n": 3}),
                Read("UNWIND range(1, $n) AS x RETURN x", {"n": 50}, row_cap=7),
                Read("UNWIND range(1, 1000) AS x RETURN x * $k AS y", {"k": 2}),
            ]
        )
    finally:
        store.tracer = None
    assert [row["x"] for row in first.rows] == [1, 2, 3] and not first.truncated
    assert [row["x"] for row in second.rows] == list(range(1, 8)) and second.truncated
    assert len(third.rows) == settings.row_cap and third.rows[-1]["y"] == 2 * settings.row_cap
    assert seen == [{"n": 3}, {"n": 50}, {"k": 2}]
    assert store.read_many([Read("RETURN 1 AS one")])[0].value() == 1


def test_a_slow_read_among_others_is_stopped_and_the_store_answers_after(store):
    from graph.store.base import Read

    slow = "UNWIND range(1, 5000) AS a UNWIND range(1, 5000) AS b RETURN count(*) AS n"
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match="time limit"):
        store.read_many(
            [Read("RETURN 1 AS one"), Read(slow, timeout_ms=100), Read("RETURN 2 AS two")]
        )
    assert time.monotonic() - started < 30
    assert [r.value() for r in store.read_many([Read("RETURN 3 AS n"), Read("RETURN 4 AS n")])] == [
        3,
        4,
    ]
