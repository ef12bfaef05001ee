"""Saved-query pages, their .json twins and downloads, and the console, on the seed data."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from graph.errors import SettingsError
from graph.library.saved_queries import load_library
from graph.store.results import to_jsonable
from tests.conftest import digest
from web.app import create_app
from web.db import close_store
from web.settings import load_app_settings
from web.views.query_forms import shown_text
from web.views.query_results import cited_ids, result_network

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = load_library(ROOT / "queries")
SLUGS = [saved.slug for saved in LIBRARY]
ROW = re.compile(r"<tr><td[ >]")


def make_app(settings, **config):
    """Build an app on ``settings`` with the project's library (or ``QUERIES``)."""
    return create_app(
        {"SETTINGS": settings, "TESTING": True, "QUERIES": ROOT / "queries", **config}
    )


@pytest.fixture(scope="module")
def client(settings, seeded):
    app = make_app(settings)
    yield app.test_client()
    close_store(app)


def example_query(slug: str) -> str:
    """Return the query string of a saved query's example values."""
    examples = LIBRARY.get(slug).examples()
    return urlencode([(name, shown_text(value)) for name, value in examples.items()])


def console(client, cypher: str, params: str = "", suffix: str = ".json", **more):
    """Ask the console (its .json twin unless told otherwise)."""
    return client.get(
        f"/console{suffix}?" + urlencode({"cypher": cypher, "params": params, **more})
    )


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def select_values(page: str, name: str) -> list[str]:
    """Return the option values of the <select name=...> on a page (blank placeholder dropped)."""
    found = re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no select {name}"
    return [v for v in re.findall(r'<option value="([^"]*)"', found.group(1)) if v]


# -- the library -------------------------------------------------------------------------


def test_library_json_lists_the_queries_with_their_parameters(client):
    body = client.get("/queries.json").get_json()
    assert len(body["queries"]) >= 12
    assert [q["slug"] for q in body["queries"]] == SLUGS
    partners = next(q for q in body["queries"] if q["slug"] == "ties-of-organisation")
    assert partners["title"] == "Everything tied to an organisation"
    assert [(p["name"], p["choices"], p["depends_on"]) for p in partners["params"]] == [
        ("country", "countries", []),
        ("city", "cities", ["country"]),
        ("org", "city-organisations", ["city"]),
    ]


@pytest.mark.parametrize(
    "q, expected",
    [
        ("signed AFTER", {"agreements-by-year"}),
        ("COUNTRY_B", {"ties-between-countries"}),
        ("renewal  Agreements", {"agreements-expiring", "agreements-valid-in"}),
        ("nothing-like-this", set()),
    ],
)
def test_library_json_filters_server_side(client, q, expected):
    found = {item["slug"] for item in client.get(f"/queries.json?q={q}").get_json()["queries"]}
    assert found == expected


def test_library_page_lists_every_query_and_hides_those_the_filter_leaves_out(client):
    page = client.get("/queries?q=hospital").get_data(as_text=True)
    items = re.findall(r"<li class=\"query-item\"[^>]*>", page)
    assert len(items) == len(LIBRARY)
    shown = [item for item in items if " hidden" not in item]
    assert 0 < len(shown) < len(items)
    assert '<script src="/static/queries.js" defer></script>' in page
    assert 'href="/queries">Saved queries</a>' in page and 'href="/console">Console</a>' in page


# -- every query, from its page and its twin ------------------------------------------------


@pytest.mark.parametrize("slug", SLUGS)
def test_query_runs_from_its_page_and_twin_with_its_examples(client, seeded, slug):
    saved = LIBRARY.get(slug)
    direct = saved.run(seeded, saved.examples())
    query = example_query(slug)
    body = client.get(f"/queries/{slug}.json?{query}").get_json()
    assert body["columns"] == direct.columns
    assert body["rows"] == to_jsonable(direct.rows) and body["rows"]
    assert body["truncated"] is direct.truncated
    assert [p["name"] for p in body["params"]] == [p.name for p in saved.params]
    assert {s["id"] for s in body["sources"]} == set(cited_ids(direct))
    response = client.get(f"/queries/{slug}?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert len(ROW.findall(page)) == len(direct.rows)
    assert f'<a class="download" href="/queries/{slug}.csv?' in page
    # a network only for rows that hold ties; lists of entities alone are a table
    without_ties = ("agreements-by-year", "best-connected", "companies-without-ties")
    without_ties += ("find-by-name", "in-several-programmes")
    assert ('<iframe class="network-frame"' in page) == (slug not in without_ties)
    assert bool(result_network(direct)[1]) == (slug not in without_ties)
    headings = re.findall(r'<th scope="col" data-column="([^"]+)">([^<]+)</th>', page)
    assert [name for name, _ in headings] == [c for c in direct.columns if saved.column_title(c)]
    assert all(title == saved.column_title(name) for name, title in headings)


def test_the_twin_gives_each_parameter_its_value_and_options(client):
    body = client.get("/queries/ties-of-organisation.json?" + example_query("ties-of-organisation"))
    params = {p["name"]: p for p in body.get_json()["params"]}
    assert params["country"]["value"] == "FI" and params["city"]["value"] == "oulu"
    assert {"value": "oulu", "label": "Oulu"} in params["city"]["options"]
    org_ids = [o["value"] for o in params["org"]["options"]]
    assert "oulu-university-hospital" in org_ids and "tohoku-university-hospital" not in org_ids


def test_table_links_nodes_names_relationships_and_cites_sources(client):
    page = client.get("/queries/partners-of?org=oulu").get_data(as_text=True)
    assert '<a href="/entity/sendai" class="entity kind-city">Sendai</a>' in page
    assert '<span class="tie-words">co-incubation agreement, 2020–2025</span>' in page
    assert "AGREEMENT" not in page.split('<table class="results-table">')[1]
    assert '<a href="/entity/oulu" class="entity kind-city">Oulu</a>' not in page  # "a -"
    assert re.search(r'<a href="#source-(src-[a-z0-9-]+)" class="source">[^<]+</a>', page)
    assert '<section class="sources"' in page and 'id="source-' in page


def test_paths_are_shown_as_chains(client):
    page = client.get("/queries/chains-between?" + example_query("chains-between")).get_data(
        as_text=True
    )
    assert '>Kipuwex</a><span class="step"> —participated in→ </span>' in page


def test_query_view_draws_the_results_and_may_be_framed_by_us(client):
    response = client.get("/queries/partners-of/view?org=oulu")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    page = response.get_data(as_text=True)
    assert "Partners of an organisation" in page and 'body class="ecomap-network"' in page


# -- downloads ---------------------------------------------------------------------------


def test_csv_has_a_header_the_rows_and_the_title_of_each_source(client, seeded):
    saved = LIBRARY.get("partners-of")
    direct = saved.run(seeded, {"org": "oulu"})
    response = client.get("/queries/partners-of.csv?org=oulu")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="partners-of.csv"'
    header, *rows = csv_rows(response)
    at = direct.columns.index("source") + 1
    assert header == [*direct.columns[:at], "source_title", *direct.columns[at:]]
    assert len(rows) == len(direct.rows)
    titles = {
        s["id"]: s["title"]
        for s in client.get("/queries/partners-of.json?org=oulu").get_json()["sources"]
    }
    for line, row in zip(rows, direct.rows, strict=True):
        assert line[header.index("partner")] == row["partner"]
        assert line[header.index("evidence")] == row["evidence"]
        assert line[header.index("source_title")] == titles[row["source"]]


def test_csv_of_listed_sources_lists_their_titles(client):
    response = client.get("/queries/agreements-by-year.csv?" + example_query("agreements-by-year"))
    header, *rows = csv_rows(response)
    assert header[header.index("source") + 1] == "source_title"
    for line in rows:
        ids, titles = (
            json.loads(line[header.index("source")]),
            json.loads(line[header.index("source_title")]),
        )
        assert len(ids) == len(titles) and all(t and not t.startswith("src-") for t in titles)


def test_json_carries_the_sources_with_their_titles(client):
    body = client.get("/queries/partners-of.json?org=oulu").get_json()
    cited = {row["source"] for row in body["rows"]}
    assert {s["id"] for s in body["sources"]} == cited
    assert all(s["title"] and s["publisher"] for s in body["sources"])


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, name",
    [
        (
            "/queries/ties-of-organisation.json?country=FI&city=sendai&org=oulu-university-hospital",
            "$city",
        ),
        (
            "/queries/ties-of-organisation.json?country=FI&city=oulu&org=tohoku-university-hospital",
            "$org",
        ),
        ("/queries/partners-of.json?org=no-such-org", "$org"),
        (
            "/queries/event-participants.json?event=evt-tohoku-delegation-oulu-2019&kind=Robot",
            "$kind",
        ),
        ("/queries/best-connected.json?kinds=Hospital,Person", "$kinds"),
    ],
)
def test_a_value_outside_the_choices_is_a_400_naming_the_parameter(client, url, name):
    response = client.get(url)
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert f"{name}: " in message and "is not one of its choices" in message


def test_the_page_shows_the_refusal_with_the_form(client):
    response = client.get("/queries/ties-of-organisation?country=FI&city=sendai&org=x")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "$city: &#39;sendai&#39; is not one of its choices when $country = &#39;FI&#39;" in page
    assert '<form class="query-form"' in page


@pytest.mark.parametrize(
    "url, message",
    [
        ("/queries/agreements-valid-in.json?year=abc", "$year must be a whole number, not 'abc'"),
        ("/queries/programme-funders.json?min_amount=lots", "$min_amount must be a number, not"),
        ("/queries/agreements-by-year.json?since=2024-13", "$since must be a date: YYYY, YYYY-MM"),
        (
            "/queries/agreements-expiring.json?before=2031&include_renewed=maybe",
            "must be true or fa",
        ),
        ("/queries/agreements-valid-in.json?year=1&year=2", "$year takes one value, not 2"),
        ("/queries/agreements-valid-in.json?year=" + "9" * 2001, "at most 2000 characters"),
    ],
)
def test_a_value_of_the_wrong_type_is_a_400(client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


@pytest.mark.parametrize(
    "url",
    [
        "/queries/no-such-query",
        "/queries/no-such-query.json",
        "/queries/no-such-query.csv",
        "/queries/no-such-query/view",
        "/queries/no-such-query/choices/city.json",
        "/queries/ties-of-organisation/choices/nothing.json",
        "/queries/agreements-valid-in/choices/year.json",
    ],
)
def test_unknown_query_or_dropdown_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_no_parameters_at_all_shows_the_form_with_a_message(client):
    response = client.get("/queries/ties-of-organisation")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Choose Country, City, Organisation, then run the query." in page
    assert 'class="results"' not in page
    body = client.get("/queries/ties-of-organisation.json").get_json()
    assert body["rows"] == [] and body["params"][0]["value"] is None


def test_a_missing_required_parameter_among_others_is_a_400(client):
    response = client.get("/queries/ties-of-organisation.json?country=FI")
    assert response.status_code == 400
    assert response.get_json()["error"] == "ties-of-organisation: $city is required"


def test_a_database_error_is_a_400_with_its_message(settings, seeded, tmp_path):
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "broken.cypher").write_text(
        "// title: Broken\n// param: x example=1\n\nRETURN no_such_function($x) AS y\n"
    )
    app = make_app(settings, QUERIES=folder)
    try:
        for suffix in ("", ".json"):
            response = app.test_client().get(f"/queries/broken{suffix}?x=1")
            assert response.status_code == 400
            assert "no_such_function" in response.get_data(as_text=True)
    finally:
        close_store(app)


# -- cascading choices -------------------------------------------------------------------


def test_choices_of_a_dependent_dropdown_follow_the_value_it_depends_on(client, seeded):
    finnish = seeded.read("MATCH (c:City) WHERE c.country = 'FI' RETURN c.id AS id ORDER BY id")
    others = seeded.read("MATCH (c:City) WHERE c.country <> 'FI' RETURN c.id AS id")
    body = client.get("/queries/ties-of-organisation/choices/city.json?country=FI").get_json()
    cities = sorted(option["value"] for option in body["options"])
    assert cities == [row["id"] for row in finnish.rows] and "oulu" in cities
    assert not set(cities) & {row["id"] for row in others.rows}
    orgs = client.get("/queries/ties-of-organisation/choices/org.json?city=oulu").get_json()
    assert {
        "value": "oulu-university-hospital",
        "label": "Oulu University Hospital (Hospital)",
    } in (orgs["options"])


def test_without_javascript_update_choices_refills_the_form_without_running(client):
    response = client.get("/queries/ties-of-organisation?country=FI&city=&org=&_choices=1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert sorted(select_values(page, "city")) == ["helsinki", "oulu", "tampere", "vantaa"]
    assert select_values(page, "org") == []
    assert 'class="results"' not in page
    page = client.get("/queries/ties-of-organisation?country=FI&city=oulu&_choices=1").get_data(
        as_text=True
    )
    assert "oulu-university-hospital" in select_values(page, "org")
    assert '<option value="oulu" selected>Oulu</option>' in page


def test_a_stale_choice_does_not_fill_the_dropdowns_below_it(client):
    page = client.get("/queries/ties-of-organisation?country=JP&city=oulu&_choices=1").get_data(
        as_text=True
    )
    assert "sendai" in select_values(page, "city") and "oulu" not in select_values(page, "city")
    assert select_values(page, "org") == []


# -- the console -------------------------------------------------------------------------


def test_console_runs_a_read_with_parameters(client, seeded):
    cypher = "MATCH (c:City) WHERE c.country = $country RETURN c.id AS id, $n AS n ORDER BY id"
    expected = seeded.read(cypher, {"country": "FI", "n": 3})
    for params in ('{"country": "FI", "n": 3}', "country=FI\nn=3", ' country = "FI" \r\n\nn=3'):
        body = console(client, cypher, params).get_json()
        assert body["rows"] == expected.rows and body["columns"] == ["id", "n"], params
        assert body["params"] == {"country": "FI", "n": 3}
    page = console(client, cypher, "country=FI\nn=3", suffix="").get_data(as_text=True)
    assert len(ROW.findall(page)) == len(expected.rows)


def test_console_page_shows_table_network_and_downloads(client):
    cypher = "MATCH (o:Entity {id: $org})-[r:AGREEMENT]-(x) RETURN o, r, x, r.source AS source"
    page = console(client, cypher, "org=oulu", suffix="").get_data(as_text=True)
    assert (
        '<iframe class="network-frame" title="Network of the results" src="/console/view?' in page
    )
    assert 'href="/console.cypher?cypher=MATCH' in page
    assert '<section class="sources"' in page
    view = console(client, cypher, "org=oulu", suffix="/view")
    assert view.status_code == 200
    assert view.headers["Content-Security-Policy"] == "frame-ancestors 'self'"


WRITES = [
    "CREATE (n:Intruder)",
    "create (n:Intruder {name: 'x'})",
    "MERGE (n:Intruder {id: 1})",
    "mErGe (n:Entity {id: 'oulu'}) ON MATCH SET n.name = 'hacked'",
    "MATCH (n:City) SET n.hacked = true",
    "MATCH (n:City) SET n:Intruder",
    "MATCH (n) WHERE n.id = 'oulu' DELETE n",
    "MATCH (n) DETACH DELETE n",
    "match (n) detach delete n",
    "MATCH ()-[r]->() DELETE r",
    "MATCH (n:City) REMOVE n.name",
    "MATCH (n:City) REMOVE n:City",
    "CREATE INDEX FOR (n:Intruder) ON (n.id)",
    "DROP INDEX ON :Entity(id)",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "load csv with headers from 'https://example.org/x.csv' AS row RETURN row",
    "CALL db.idx.fulltext.drop('Entity')",
    "call DB.IDX.FULLTEXT.DROP('Entity')",
    "CALL `db`.`idx`.`fulltext`.`drop`('Entity')",
    "CALL db.idx.fulltext.createNodeIndex('Intruder', 'name')",
    "CALL { CREATE (n:Intruder) } RETURN 1",
    "MATCH (n:City) WITH n LIMIT 1 CALL { WITH n SET n.hacked = 1 } RETURN 1",
    "// a harmless comment\nCREATE (n:Intruder)",
    "/* MATCH (n) RETURN n */ MATCH (n) DETACH DELETE n",
    "cAlL { // a comment\n cReAtE (n:Intruder) } RETURN 1",
    "MATCH (n) RETURN n.id AS x UNION CREATE (m:Intruder) RETURN m.id AS x",
    "UNWIND [1, 2] AS x CREATE (:Intruder {x: x})",
    "MATCH (n:City) FOREACH (x IN [1] | SET n.hacked = x)",
    "CALL db.labels() YIELD label CREATE (:Intruder {l: label})",
]


@pytest.mark.parametrize("statement", WRITES)
def test_console_refuses_writes_and_nothing_changes(client, seeded, statement):
    before = digest(seeded)
    response = console(client, statement)
    assert response.status_code == 400
    message = response.get_json()["error"]
    assert "read-only" in message or "not allowed" in message, message
    assert digest(seeded) == before
    assert seeded.read("MATCH (n:Intruder) RETURN count(n) AS n").value() == 0


def test_console_page_shows_the_refusal(client, seeded):
    response = console(client, "MATCH (n) DETACH DELETE n", suffix="")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<p class="error" role="alert">the read path is read-only' in page
    assert ">MATCH (n) DETACH DELETE n</textarea>" in page


CYPHER_VALUE = '"}) DETACH DELETE n //'


@pytest.mark.parametrize(
    "params",
    [json.dumps({"v": CYPHER_VALUE}), f"v={CYPHER_VALUE}", f"v={json.dumps(CYPHER_VALUE)}"],
)
def test_a_value_carrying_cypher_is_bound_as_data(client, seeded, params):
    before = digest(seeded)
    body = console(client, "RETURN $v AS v", params).get_json()
    assert body["rows"] == [{"v": CYPHER_VALUE}]
    body = console(client, "MATCH (n:Entity {id: $v}) RETURN n", params).get_json()
    assert body["rows"] == []
    assert digest(seeded) == before


@pytest.mark.parametrize(
    "params, message",
    [
        ('{"a": 1', "the parameters are not a valid JSON object: Expecting"),
        ('{"a": 1, "a": 2}', "'a' is given twice"),
        ("[1, 2]", "parameters, line 1: write name=value (or one JSON object), not '[1, 2]'"),
        ("a=1\nb", "parameters, line 2: write name=value (or one JSON object), not 'b'"),
        ("1a=2", "parameters, line 1: write name=value"),
        ("a=1\n\na=2", "parameters, line 3: a is given twice"),
        ('{"1a": 1}', "parameter name '1a' is not a plain identifier"),
        ('{"a": NaN}', "$a is nan, which no database stores"),
        ("a=" + "[" * 40 + "]" * 40, "nested deeper than"),
        ("a=" + "[" * 20000, "longer than 20,000 characters"),
    ],
)
def test_malformed_parameters_are_a_400(client, params, message):
    response = console(client, "RETURN $a AS a", params)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_console_caps_the_length_of_the_query(client):
    long = "RETURN 1 AS x " + "/" * 10 + " " * 20_000
    response = console(client, long)
    assert response.status_code == 400
    assert "the console takes 20,000" in response.get_json()["error"]


def test_console_reports_truncation(client):
    body = console(client, "UNWIND range(1, 500) AS x RETURN x").get_json()
    assert body["truncated"] is True and len(body["rows"]) == 100
    page = console(client, "UNWIND range(1, 500) AS x RETURN x", suffix="").get_data(as_text=True)
    assert "First 100 rows</strong>: the row cap (100) cut the rest." in page


def test_console_escapes_what_it_shows(client):
    cypher = "RETURN '<script>alert(1)</script>' AS x"
    page = console(client, cypher, suffix="").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in page


def test_console_is_off_when_switched_off(settings, seeded):
    app = make_app(settings.but(console="off"))
    client = app.test_client()
    try:
        for url in (
            "/console",
            "/console.json",
            "/console/view?cypher=RETURN+1",
            "/console.cypher",
        ):
            response = client.get(url)
            assert response.status_code == 404
            assert "The console is switched off (ECOMAP_CONSOLE=off)" in response.get_data(
                as_text=True
            )
        page = client.get("/queries").get_data(as_text=True)
        assert 'href="/console"' not in page and 'href="/queries">Saved queries</a>' in page
    finally:
        close_store(app)


def test_console_setting_is_on_or_off():
    assert load_app_settings({}).console == "on"
    assert load_app_settings({"ECOMAP_CONSOLE": "off"}).console == "off"
    with pytest.raises(SettingsError, match="ECOMAP_CONSOLE must be 'on' or 'off', not 'no'"):
        load_app_settings({"ECOMAP_CONSOLE": "no"})


def test_console_download_is_a_file_the_library_loads(client, seeded, tmp_path):
    cypher = (
        "// cities of a country\n"
        "MATCH (c:City) WHERE c.country = $country AND size($kinds) >= $n AND $flag\n"
        "RETURN c.id AS id, $label AS label, $ratio AS ratio ORDER BY id"
    )
    params = {
        "country": "FI",
        "kinds": ["Hospital", "City"],
        "n": 2,
        "flag": True,
        "label": 'it\'s "quoted" text',
        "ratio": 0.5,
        "unused": "x",
    }
    response = console(client, cypher, json.dumps(params), suffix=".cypher", title="Finnish cities")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="finnish-cities.cypher"'
    text = response.get_data(as_text=True)
    assert text.startswith(
        "// title: Finnish cities\n// description: Saved from the Ecomap console.\n"
    )
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "finnish-cities.cypher").write_text(text, encoding="utf-8")
    saved = load_library(folder).get("finnish-cities")
    assert saved.title == "Finnish cities"
    assert [p.name for p in saved.params] == ["country", "kinds", "n", "flag", "label", "ratio"]
    from_library = saved.run(seeded, saved.examples())
    from_console = console(client, cypher, json.dumps(params)).get_json()
    assert to_jsonable(from_library.rows) == from_console["rows"] and from_console["rows"]


@pytest.mark.parametrize(
    "params, message",
    [
        ('{"m": {"a": 1}}', '$m = {"a": 1} cannot be a saved query\'s example'),
        ('{"m": "two\\nlines"}', "cannot be a saved query's example"),
        ("", "the query uses $m: give it a value"),
    ],
)
def test_console_download_refuses_what_a_header_cannot_declare(client, params, message):
    response = console(client, "RETURN $m AS m", params, suffix=".cypher")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#34;", '"').replace("&#39;", "'")


# -- networks of results -----------------------------------------------------------------


def test_a_relationship_is_drawn_only_between_nodes_of_its_row(seeded):
    half = seeded.read("MATCH (a:Hospital)-[r:AGREEMENT]->(b) RETURN a, r ORDER BY r.id")
    nodes, edges = result_network(half)
    assert nodes and edges == []
    whole = seeded.read("MATCH (a:Hospital)-[r:AGREEMENT]->(b) RETURN a, r, b ORDER BY r.id")
    nodes, edges = result_network(whole)
    ids = {node["id"] for node in nodes}
    assert len(edges) == len(whole.rows) and all({e["from"], e["to"]} <= ids for e in edges)
    assert {e["id"] for e in edges} == {row["r"].properties["id"] for row in whole.rows}


def test_paths_are_drawn_with_their_nodes_and_ties(seeded):
    saved = LIBRARY.get("chains-between")
    result = saved.run(seeded, saved.examples())
    nodes, edges = result_network(result)
    assert [n["name"] for n in nodes] == result.rows[0]["chain"]
    assert [e["type"] for e in edges] == result.rows[0]["ties"]
