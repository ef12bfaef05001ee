"""The Flask app: health, home page and the error handler."""

from __future__ import annotations

import pytest

from web.app import create_app
from web.db import close_store


@pytest.fixture
def app(settings, embedded):
    embedded.clear()
    embedded.write(
        (__import__("pathlib").Path(__file__).parent / "data" / "graph.cypher").read_text()
    )
    app = create_app({"SETTINGS": settings, "TESTING": True})
    yield app
    close_store(app)


@pytest.fixture
def client(app):
    return app.test_client()


def test_health_answers_json_with_state_and_counts(client):
    response = client.get("/-/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["store"]["backend"] == "embedded" and body["store"]["up"] is True
    assert body["counts"]["nodes"]["City"] == 3
    assert body["counts"]["relationships"]["AGREEMENT"] == 3


def test_home_says_what_the_graph_holds(client):
    page = client.get("/").get_data(as_text=True)
    assert "6 entities and 6 ties" in page
    assert 'kind=Hospital&amp;q=">Hospital</a></th><td>2</td>' in page


def test_unknown_page_is_a_404_page_and_json_for_json(client):
    assert client.get("/nowhere").status_code == 404
    response = client.get("/nowhere.json")
    assert response.status_code == 404 and response.get_json()["ok"] is False


def test_pages_refuse_to_be_framed(client):
    response = client.get("/")
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
