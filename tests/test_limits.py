"""Reads are time-limited and row-capped."""

from __future__ import annotations

import pytest

from graph.errors import QueryTimeoutError


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
