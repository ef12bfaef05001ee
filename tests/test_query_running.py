"""Saved queries that scan the whole graph run in the background: a page that would wait
too long says the query is still running and looks again, the run holds its client's query
slot, and its answer (or its error) reaches the next request.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from graph.library.saved_queries import load_library
from graph.store.results import to_jsonable
from web.app import create_app
from web.db import close_store, get_store
from web.views import queries as query_views
from web.views.query_forms import shown_text

ROOT = Path(__file__).resolve().parent.parent
SLUG = "partners-of-partners"
SAVED = load_library(ROOT / "queries").get(SLUG)
EXAMPLE = urlencode([(name, shown_text(value)) for name, value in SAVED.examples().items()])
MARK = "AS fellows"  # a phrase of the query's text: the tracer knows its runs by it
SLOW = "UNWIND range(1, 20000) AS a UNWIND range(1, 20000) AS b RETURN count(*) AS n"


@pytest.fixture
def app(settings, seeded) -> Iterator:
    """A new app each time: nothing kept from another test's runs."""
    app = create_app(
        {"SETTINGS": settings.but(read_timeout_ms=3000, query_slots=2), "TESTING": True}
    )
    yield app
    close_store(app)


def gated(app) -> tuple[threading.Event, list[str]]:
    """Hold each run of the query until the returned event is set; count the runs."""
    with app.app_context():
        store = get_store()
    go_on, runs = threading.Event(), []

    def tracer(cypher: str, params) -> None:
        if MARK in cypher:
            runs.append(cypher)
            assert go_on.wait(30)

    store.tracer = tracer
    return go_on, runs


def until_answered(client, url: str, within_s: float = 30) -> object:
    """Ask again, as the page does, until the answer is no longer 202."""
    deadline = time.monotonic() + within_s
    while (response := client.get(url)).status_code == 202 and time.monotonic() < deadline:
        time.sleep(0.05)
    return response


def test_the_saved_query_is_marked_as_scanning_the_whole_graph():
    assert MARK in SAVED.text_for("falkordb") and SAVED.scans_whole_graph


def test_a_long_run_answers_202_and_looks_again_then_shows_its_rows(app, seeded, monkeypatch):
    monkeypatch.setattr(query_views, "RUN_WAIT_S", 0.05)
    go_on, runs = gated(app)
    client = app.test_client()
    page = client.get(f"/queries/{SLUG}?{EXAMPLE}")
    assert page.status_code == 202
    assert page.headers["Refresh"] == str(query_views.LOOK_AGAIN_S)
    text = page.get_data(as_text=True)
    assert "still running" in text and "<table" not in text
    twin = client.get(f"/queries/{SLUG}.json?{EXAMPLE}")
    assert twin.status_code == 202 and twin.get_json()["running"] is True
    assert twin.headers["Retry-After"] == str(query_views.LOOK_AGAIN_S)
    assert "Refresh" not in twin.headers
    assert len(runs) == 1  # both asked for the one run under way
    go_on.set()
    done = until_answered(client, f"/queries/{SLUG}.json?{EXAMPLE}")
    direct = SAVED.run(seeded, SAVED.examples())
    assert done.status_code == 200 and "running" not in done.get_json()
    assert done.get_json()["rows"] == to_jsonable(direct.rows) and direct.rows
    shown = client.get(f"/queries/{SLUG}?{EXAMPLE}")
    assert shown.status_code == 200 and shown.get_data(as_text=True).count("<tr><td") == len(
        direct.rows
    )
    csv = client.get(f"/queries/{SLUG}.csv?{EXAMPLE}")
    assert csv.status_code == 200
    assert len(runs) == 1  # the page, its twin and the download use the answer kept


def test_the_run_holds_its_clients_query_slot_while_it_goes_on(app, monkeypatch):
    monkeypatch.setattr(query_views, "RUN_WAIT_S", 0.05)
    go_on, _ = gated(app)
    client = app.test_client()
    assert client.get(f"/queries/{SLUG}.json?{EXAMPLE}").status_code == 202
    time.sleep(0.2)  # the run has its slot now
    console = client.get("/console.json?" + urlencode({"cypher": "RETURN 1 AS x"}))
    assert console.status_code == 503 and "still running" in console.get_json()["error"]
    other = app.test_client().get(
        "/console.json?" + urlencode({"cypher": "RETURN 1 AS x"}),
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other.status_code == 200  # another client's place is its own
    go_on.set()
    assert until_answered(client, f"/queries/{SLUG}.json?{EXAMPLE}").status_code == 200
    console = client.get("/console.json?" + urlencode({"cypher": "RETURN 1 AS x"}))
    assert console.status_code == 200  # the slot was given back


def test_a_run_that_fails_says_why_and_the_next_request_runs_it_again(app):
    client = app.test_client()
    answers: list = []
    slow = threading.Thread(
        target=lambda: answers.append(client.get("/console.json?" + urlencode({"cypher": SLOW})))
    )
    slow.start()
    time.sleep(0.3)  # the console query holds this client's slot (up to 3 s)
    refused = client.get(f"/queries/{SLUG}.json?{EXAMPLE}")
    assert refused.status_code == 503  # its run found no slot: the error, not "running"
    assert "still running" in refused.get_json()["error"]
    slow.join()
    assert answers[0].status_code == 400  # past its time limit
    again = until_answered(client, f"/queries/{SLUG}.json?{EXAMPLE}")
    assert again.status_code == 200 and again.get_json()["rows"]
