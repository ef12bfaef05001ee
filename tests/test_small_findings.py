"""The smaller findings of the attack and fault test: each refused cleanly, with its reason."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from graph.store.results import Result
from web.app import create_app
from web.db import close_store
from web.render.formatting import as_csv

ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-secret-key"
USER = {"X-Forwarded-User": "anna"}
CLI = "from web.cli.commands import main; main()"


@pytest.fixture(scope="module")
def open_app(settings, seeded):
    app = create_app({"SETTINGS": settings, "TESTING": False})
    yield app
    close_store(app)


@pytest.fixture(scope="module")
def proxy_app(settings, seeded):
    app = create_app({"SETTINGS": settings.but(access="proxy", secret_key=SECRET)})
    yield app
    close_store(app)


def ecomap(settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ECOMAP_DATA_DIR": str(settings.data_dir)}
    return subprocess.run(
        [sys.executable, "-c", CLI, *args], env=env, capture_output=True, text=True, timeout=60
    )


def console(client, cypher: str, params: str, **headers):
    query = urlencode({"cypher": cypher, "params": params})
    return client.get(f"/console.json?{query}", headers=headers)


@pytest.mark.parametrize("expiry", ["²", "١٢٣", "+5", "99999999999999999999"])
def test_an_expiry_that_is_not_ascii_digits_is_a_403(proxy_app, expiry):
    query = urlencode({"exp": expiry, "sig": "x"})
    response = proxy_app.test_client().get(f"/embed/network/oulu?{query}")
    assert response.status_code == 403
    assert "not signed" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "params, message",
    [
        ('{"x": "\\ud800"}', "$x contains a lone surrogate"),
        ('{"x": ["a", "\\udfff"]}', "$x[1] contains a lone surrogate"),
        ('{"x": 9223372036854775808}', "$x is 9223372036854775808, beyond the 64-bit"),
        ('{"x": -9223372036854775809}', "beyond the 64-bit whole numbers"),
    ],
)
def test_console_values_no_database_stores_are_400s_naming_them(open_app, params, message):
    response = console(open_app.test_client(), "RETURN $x + 1 AS y", params)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_the_largest_64_bit_values_still_pass(open_app):
    response = console(open_app.test_client(), "RETURN $x AS y", '{"x": 9223372036854775807}')
    assert response.get_json()["rows"] == [{"y": 9223372036854775807}]


@pytest.mark.parametrize(
    "value, message",
    [('"\\ud800"', "lone surrogate"), ("18446744073709551616", "beyond the 64-bit")],
)
def test_cli_parameters_no_database_stores_are_clean_errors(settings, seeded, value, message):
    done = ecomap(settings, "query", "RETURN $x AS y", "-p", f"x={value}")
    assert done.returncode == 1
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unexpected_error_is_a_500_page_that_names_itself(settings, seeded):
    app = create_app({"SETTINGS": settings})
    app.add_url_rule("/-/boom.json", "boom_json", lambda: 1 / 0)
    app.add_url_rule("/boom", "boom", lambda: 1 / 0)
    try:
        client = app.test_client()
        twin = client.get("/-/boom.json")
        assert twin.status_code == 500
        assert twin.get_json()["title"] == "Internal Server Error"
        page = client.get("/boom")
        assert page.status_code == 500
        text = page.get_data(as_text=True)
        assert "Internal Server Error" in text and "property object" not in text
    finally:
        close_store(app)


def test_health_behind_the_proxy_tells_anonymous_callers_only_the_state(proxy_app):
    client = proxy_app.test_client()
    anonymous = client.get("/-/health")
    assert anonymous.status_code == 200
    assert anonymous.get_json() == {"status": "ok"}
    signed_in = client.get("/-/health", headers=USER).get_json()
    assert signed_in["store"]["backend"] == "embedded" and signed_in["counts"]


def test_the_host_header_never_chooses_where_a_signed_link_points(proxy_app):
    client = proxy_app.test_client()
    forged = {**USER, "Host": "evil.example"}
    body = client.get("/network/oulu.json", headers=forged).get_json()
    assert "evil.example" not in body["embed"]["url"]
    assert body["embed"]["url"].startswith("/embed/network/oulu?")
    link = client.get("/-/embed-link.json?path=/embed/network/oulu", headers=forged)
    assert "evil.example" not in link.get_json()["url"]


def test_with_a_public_url_links_point_there_and_other_hosts_are_refused(settings, seeded):
    public = settings.but(
        access="proxy", secret_key=SECRET, public_url="https://ecomap.example.org"
    )
    app = create_app({"SETTINGS": public})
    try:
        client = app.test_client()
        headers = {**USER, "Host": "ecomap.example.org"}
        body = client.get("/network/oulu.json", headers=headers).get_json()
        assert urlsplit(body["embed"]["url"]).netloc == "ecomap.example.org"
        assert client.get("/", headers={**USER, "Host": "evil.example"}).status_code == 400
    finally:
        close_store(app)


def test_links_live_one_year_at_most(proxy_app, settings, seeded):
    client = proxy_app.test_client()
    year = client.get("/-/embed-link.json?path=/embed/network/oulu&days=365", headers=USER)
    assert year.status_code == 200
    longer = client.get("/-/embed-link.json?path=/embed/network/oulu&days=3650", headers=USER)
    assert longer.status_code == 400
    done = ecomap(settings, "sign-link", "/network/oulu", "--days", "3650")
    assert done.returncode == 2 and "365" in done.stderr


def test_csv_cells_a_spreadsheet_would_run_are_quoted():
    cells = ['=HYPERLINK("http://x")', "@SUM(A1)", "+1+2", "-2+3", "\t=1", "plain"]
    result = Result(["text", "number"], [{"text": c, "number": -5} for c in cells])
    rows = list(csv.reader(io.StringIO(as_csv(result))))[1:]
    assert [row[0] for row in rows] == [
        '\'=HYPERLINK("http://x")',
        "'@SUM(A1)",
        "'+1+2",
        "'-2+3",
        "'\t=1",
        "plain",
    ]
    assert {row[1] for row in rows} == {"-5"}  # numbers stay numbers


def test_saved_query_csv_quotes_formulas(open_app):
    response = open_app.test_client().get("/queries/find-by-name.csv?words=oulu")
    assert response.status_code == 200
    assert not any(
        cell.startswith(("=", "@", "+"))
        for row in csv.reader(io.StringIO(response.get_data(as_text=True)))
        for cell in row
    )


@pytest.mark.parametrize("words", ['oulu) "(', "hospit* |", "-", "((oulu", "univ*)"])
def test_find_by_name_takes_any_punctuation(open_app, words):
    response = open_app.test_client().get(
        "/queries/find-by-name.json?" + urlencode({"words": words})
    )
    if not any(ch.isalnum() for ch in words):
        assert response.status_code == 400
        assert "words of letters or digits" in response.get_json()["error"]
    else:
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["rows"]


def test_cli_csv_quotes_formulas(settings, seeded):
    done = ecomap(settings, "query", "RETURN '=1+1' AS x, -1 AS n", "--format", "csv")
    assert done.stdout.splitlines()[1] == "'=1+1,-1"
    assert json.loads(ecomap(settings, "query", "RETURN 1 AS x", "--format", "json").stdout)
