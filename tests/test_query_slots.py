"""Console and saved queries cannot starve the pages: bounded slots, per client, 503 fast."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlencode

import pytest

from web.app import create_app
from web.db import close_store

SLOW = "UNWIND range(1, 20000) AS a UNWIND range(1, 20000) AS b RETURN count(*) AS n"


@pytest.fixture
def app(settings, seeded):
    app = create_app(
        {"SETTINGS": settings.but(read_timeout_ms=3000, query_queue=1), "TESTING": True}
    )
    yield app
    close_store(app)


def console_url(cypher: str) -> str:
    return "/console.json?" + urlencode({"cypher": cypher})


def start_slow_query(app, address: str = "10.0.0.1") -> tuple[threading.Thread, list]:
    answers: list = []

    def run() -> None:
        client = app.test_client()
        answers.append(client.get(console_url(SLOW), environ_base={"REMOTE_ADDR": address}))

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.3)  # it holds the slot now
    return thread, answers


def timed_get(app, url: str, address: str):
    started = time.monotonic()
    response = app.test_client().get(url, environ_base={"REMOTE_ADDR": address})
    return response, time.monotonic() - started


def test_a_second_query_of_the_same_client_is_a_quick_503(app):
    thread, _ = start_slow_query(app)
    response, elapsed = timed_get(app, console_url("RETURN 1 AS x"), "10.0.0.1")
    thread.join()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert "still running" in response.get_json()["error"]
    assert elapsed < 1.5


def test_pages_answer_while_the_query_slots_are_taken(app):
    thread, answers = start_slow_query(app)
    for url in ("/.json", "/entity/oulu.json", "/search.json?q=oulu"):
        response, _ = timed_get(app, url, "10.0.0.2")
        assert response.status_code == 200
    # The pages did not wait for the slow query: it still holds its slot (up to 3 s).
    assert thread.is_alive() and not answers
    thread.join()
    assert answers[0].status_code == 400  # it ran past its time limit


def test_beyond_the_queue_the_answer_is_503_at_once(app):
    thread, _ = start_slow_query(app)
    waiting = threading.Thread(
        target=timed_get, args=(app, console_url("RETURN 1 AS x"), "10.0.0.3")
    )
    waiting.start()  # the one place in the queue
    time.sleep(0.1)
    response, elapsed = timed_get(app, console_url("RETURN 1 AS x"), "10.0.0.4")
    waiting.join()
    thread.join()
    assert response.status_code == 503
    assert "waiting" in response.get_json()["error"]
    assert elapsed < 0.2


def test_a_slot_is_given_back_after_an_error(app):
    client = app.test_client()
    for _ in range(3):
        assert client.get(console_url("RETURN range(1, 1000000000) AS l")).status_code == 400
    assert client.get(console_url("RETURN 1 AS x")).status_code == 200
