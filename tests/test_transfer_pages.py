"""The import and export endpoints through Flask's test client."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from tests.conftest import digest


@pytest.fixture(scope="module")
def client(settings: Any, seeded: Any):
    from tests.edit_helpers import sign_in
    from web.app import create_app
    from web.auth.accounts import add_account
    from web.db import close_store

    app = create_app({"SETTINGS": settings, "TESTING": True})
    add_account(seeded, "importer", "editor", "correct horse battery")
    try:
        client = app.test_client()
        sign_in(client, "importer")  # importing changes the graph: an editor's work
        yield client
    finally:
        close_store(app)


def csrf(client: Any) -> str:
    from tests.edit_helpers import csrf_token

    return csrf_token(client, "/import")


def test_import_page_and_its_json_twin(client: Any) -> None:
    page = client.get("/import")
    assert page.status_code == 200 and b"template" in page.data
    assert client.get("/import.json").get_json()["plan"] is None


def test_template_download_is_a_workbook(client: Any) -> None:
    import openpyxl

    response = client.get("/import/template.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["Read me", "Entities", "Ties", "Sources"]
    book.close()


@pytest.mark.parametrize("fmt", ["xlsx", "csv.zip", "graphml", "gexf"])
def test_whole_graph_exports(client: Any, fmt: str) -> None:
    response = client.get(f"/export/graph.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith(f"ecosystem.{fmt}")
    if fmt == "csv.zip":
        names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
        assert names == ["entities.csv", "ties.csv", "sources.csv"]


def test_network_export_holds_the_network_page_entities(client: Any) -> None:
    import networkx as nx

    page = client.get("/network/oulu.json?hops=1").get_json()
    response = client.get("/export/network/oulu.graphml?hops=1")
    graph = nx.read_graphml(io.BytesIO(response.data))
    assert set(graph.nodes) == {n["id"] for n in page["nodes"]}
    assert client.get("/export/network/nobody.xlsx").status_code == 404


def test_pages_link_their_downloads(client: Any) -> None:
    assert b"/export/graph.gexf" in client.get("/").data
    assert b"/export/network/oulu.xlsx" in client.get("/network/oulu").data
    paths = client.get("/paths?from=oulu&to=tohoku-university-hospital").data
    assert b"/export/graph.graphml?ids=" in paths


def test_upload_of_something_else_is_refused(client: Any, seeded: Any) -> None:
    before = digest(seeded)
    data = {"file": (io.BytesIO(b"MZ\x90\x00"), "tool.exe"), "csrf_token": csrf(client)}
    response = client.post("/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert digest(seeded) == before


def test_apply_with_a_stale_digest_is_refused(client: Any, seeded: Any) -> None:
    rows = "id,name,kind,country,source,quote\nnew-co,New Co,Company,FI,News,New Co exists.\n"
    data = {"file": (io.BytesIO(rows.encode()), "entities.csv"), "csrf_token": csrf(client)}
    preview = client.post("/import.json", data=data, content_type="multipart/form-data")
    body = preview.get_json()
    assert body["summary"]["entities"]["new"] == 1
    before = digest(seeded)
    form = {"token": body["token"], "digest": "0" * 64, "csrf_token": csrf(client)}
    assert client.post("/import/apply", data=form).status_code == 409
    assert digest(seeded) == before
    form["digest"] = body["digest"]
    assert client.post("/import/apply", data=form).status_code == 200
    assert seeded.read("MATCH (n:Entity {id: 'new-co'}) RETURN n.name").value() == "New Co"
