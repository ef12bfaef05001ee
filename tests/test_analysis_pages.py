"""Analysis pages on the seed data: metrics with reasons, comparisons, changes, agreements due,
the iCalendar and Atom feeds, and ``ecomap agreements``."""

from __future__ import annotations

import csv
import datetime
import io
from xml.etree import ElementTree as ET

import icalendar
import pytest
from click.testing import CliRunner
from markupsafe import escape

from graph.analysis.metrics import COLUMN_NAMES
from web.app import create_app
from web.cli.commands import main
from web.db import close_store

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def app(settings, seeded):
    app = create_app({"SETTINGS": settings, "TESTING": True})
    yield app
    close_store(app)


@pytest.fixture
def client(app):
    return app.test_client()


def entity_count(store) -> int:
    return store.counts()["nodes"]["Entity"]


def test_metrics_rank_entities_with_cited_reasons(client, seeded):
    body = client.get("/metrics.json?year=2025&sort=betweenness&limit=10").get_json()
    rows = body["rows"]
    assert [r["rank"] for r in rows] == list(range(1, 11))
    scores = [r["betweenness"] for r in rows]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert body["method"]["betweenness"] == "exact" and body["total"] == entity_count(seeded)
    for row in rows:
        assert row["why"]["reason"].startswith(f"{row['ties']} ties to {row['neighbours']}")
        assert row["why"]["sources"], row["id"]
    cited = {s["id"] for s in body["sources"]}
    assert cited == {s for r in rows for s in r["why"]["sources"]}
    brokers = [r for r in rows if r["why"]["example"]]
    assert brokers
    for row in brokers:
        example = row["why"]["example"]
        assert row["why"]["brokerage"].startswith("broker between the ")
        assert all(
            tie["evidence"] and row["id"] in (tie["from"], tie["to"]) for tie in example["via"]
        )


def test_metrics_page_sorts_by_any_column_both_ways(client):
    for column in COLUMN_NAMES:
        for order in ("asc", "desc"):
            rows = client.get(f"/metrics.json?year=2025&sort={column}&order={order}&limit=200")
            values = [r[column] for r in rows.get_json()["rows"] if r[column] is not None]
            assert values == sorted(values, reverse=order == "desc"), (column, order)
    page = client.get("/metrics?year=2025&sort=constraint").get_data(as_text=True)
    assert "Constraint ▲" in page and page.count('class="why-row"') == 50


def test_metrics_csv_holds_every_entity(client, seeded):
    response = client.get("/metrics.csv?year=2025")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == entity_count(seeded) and set(COLUMN_NAMES) <= set(rows[0])
    assert {r["id"] for r in rows} >= {"oulu", "sendai", "tohoku-university-hospital"}


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/metrics?sort=fame", 400, "'sort' 'fame' is not one of ties"),
        ("/metrics?year=20x5", 400, "'year' must be a whole number"),
        ("/compare?ids=oulu,atlantis", 404, "No entity has the id 'atlantis'."),
        ("/changes-between?from=2025&to=2019", 400, "'from' (2025) must not be after 'to'"),
        ("/changes-between?from=2019&to=2025&around=nowhere", 404, "'nowhere'"),
        ("/agreements?today=tomorrow", 400, "'today' must be a date such as"),
    ],
)
def test_bad_parameters_say_what_is_wrong(client, url, status, message):
    response = client.get(url.replace("?", ".json?", 1))
    assert response.status_code == status
    assert message in response.get_json()["error"]


def test_entity_page_says_between_which_parts_it_brokers(client):
    rows = client.get("/metrics.json?sort=liaison&limit=200").get_json()["rows"]
    broker = next(r for r in rows if r["why"]["brokerage"])
    loner = next(r for r in rows if r["ties"] and not r["why"]["brokerage"])
    data = client.get(f"/entity/{broker['id']}.json").get_json()["brokerage"]
    pair = data["why"]["brokerage"]
    assert pair == broker["why"]["brokerage"] and pair.startswith("broker between the ")
    page = client.get(f"/entity/{broker['id']}").get_data(as_text=True)
    assert f"{escape(broker['name'])} is a {pair}." in page
    page = client.get(f"/entity/{loner['id']}").get_data(as_text=True)
    assert f"{escape(loner['name'])} brokers between no two sectors in" in page


def test_compare_oulu_and_sendai_shows_the_2025_renewal_and_the_mous(client):
    data = client.get("/compare.json?ids=oulu,sendai&year=2025").get_json()
    between = {a["id"]: a for a in data["between"]}
    renewal = between["agr-oulu-sendai-cooperation-2025"]
    assert renewal["renews"] == "agr-oulu-sendai-coincubation-2019" and renewal["evidence"]
    assert renewal["chain"][0] == "agr-oulu-sendai-coincubation-2005"
    assert {"agr-oys-tohoku-mou-2020", "agr-oys-tohoku-mou-2025"} <= set(between)
    oulu, sendai = data["ecosystems"]
    assert oulu["root"]["id"] == "oulu" and oulu["members"] > 1
    assert oulu["by_kind"]["Hospital"] >= 1 and sendai["by_kind"]["Hospital"] >= 1
    assert len(oulu["agreements_in_force"]) == len(data["years"]) and data["years"][-1] == 2025
    year_2025 = data["years"].index(2025)
    assert oulu["agreements_in_force"][year_2025] >= 3  # Sendai, Kanagawa, the hospitals' MoU
    assert "JP" in oulu["abroad"] and "FI" in sendai["abroad"]
    assert 0 < oulu["density"] <= 1 and oulu["top_brokers"]
    page = client.get("/compare?ids=oulu,sendai&year=2025").get_data(as_text=True)
    assert (
        page.count('<svg class="chart"') == 3
        and "renewal of agr-oulu-sendai-coincubation-2019" in page
    )
    assert "memorandum of understanding" in page and "<script" not in page.split("<main>")[1]


def test_compare_embed_is_framable_and_self_contained(client):
    response = client.get("/embed/compare?ids=oulu,sendai&year=2025&snapshot=1")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert "<svg" in html and 'href="/static' not in html and "Data as of" in html


def test_changes_between_2019_and_2025_around_oulu_show_renewals_and_mous(client):
    data = client.get("/changes-between.json?from=2019&to=2025&around=oulu").get_json()
    renewed = {item["tie"]["id"]: item for item in data["renewed"]}
    assert {"agr-oulu-sendai-cooperation-2025", "agr-oys-tohoku-mou-2025"} <= set(renewed)
    renewal = renewed["agr-oulu-sendai-cooperation-2025"]
    assert (
        renewal["when"] == "2025" and renewal["renews"]["id"] == "agr-oulu-sendai-coincubation-2019"
    )
    assert renewal["tie"]["evidence"] and renewal["renews"]["evidence"]
    began = {item["tie"]["id"] for item in data["began"]}
    assert {"agr-oulu-kanagawa-mou-2019", "agr-oys-tohoku-mou-2020"} <= began
    assert all(item["tie"]["evidence"] for key in ("began", "ended") for item in data[key])
    assert data["brokers_rose"] and all(b["after"] > b["before"] for b in data["brokers_rose"])
    page = client.get("/changes-between?from=2019&to=2025&around=oulu").get_data(as_text=True)
    assert "renews agr-oulu-sendai-coincubation-2019" in page and "agr-oys-tohoku-mou-2020" in page
    assert "Kanagawa Prefectural Government" in page


def test_changes_before_anything_happened_explain_themselves(client):
    page = client.get("/changes-between?from=1990&to=1991").get_data(as_text=True)
    assert "No tie was renewed in these years." in page
    assert "No new agreement in these years." in page


def test_agreements_due_lapsed_and_chains(client):
    now = client.get("/agreements.json?today=2026-12-02").get_json()
    assert {a["id"] for a in now["in_force"]} >= {"agr-oulu-sendai-cooperation-2025"}
    assert now["due"] == [] and now["lapsed"] == []
    chains = {tuple(c["ids"]) for c in now["chains"]}
    assert ("agr-oys-tohoku-mou-2020", "agr-oys-tohoku-mou-2025") in chains
    later = client.get("/agreements.json?today=2030-08-01").get_json()
    assert {a["id"] for a in later["due"]} == {
        "agr-oulu-sendai-cooperation-2025",
        "agr-oys-tohoku-mou-2025",
    }
    assert (
        later["due"][0]["days_left"]
        == (datetime.date(2030, 12, 31) - datetime.date(2030, 8, 1)).days
    )
    after = client.get("/agreements.json?today=2031-02-01").get_json()
    assert {a["id"] for a in after["lapsed"]} == {
        "agr-oulu-sendai-cooperation-2025",
        "agr-oys-tohoku-mou-2025",
    }
    page = client.get("/agreements?today=2026-12-02").get_data(as_text=True)
    assert "No agreement in force ends in the next 180 days." in page


def test_ics_feed_parses_and_holds_the_oulu_sendai_end_in_2030_as_an_all_day_event(client):
    response = client.get("/agreements.ics")
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    event = events["agr-oulu-sendai-cooperation-2025@ecomap"]
    start = event.decoded("dtstart")
    assert isinstance(start, datetime.date) and not isinstance(start, datetime.datetime)
    assert start == datetime.date(2030, 12, 31)
    assert event.decoded("dtend") == datetime.date(2031, 1, 1)
    assert "Oulu–Sendai" in str(event["summary"]) and "Alatossava" in str(event["description"])
    assert "agr-oulu-sendai-coincubation-2019@ecomap" not in events  # renewed: not due


def test_atom_feed_parses_with_one_entry_per_end_date(client):
    feed = ET.fromstring(client.get("/agreements.atom").data)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert any(t.startswith("Oulu–Sendai") and t.endswith("2030-12-31") for t in titles)
    assert feed.findtext(f"{ATOM}updated")


def test_cli_lists_agreements_due(settings, seeded):
    runner = CliRunner()
    args = [
        "--data-dir",
        str(settings.data_dir),
        "agreements",
        "--due",
        "1y",
        "--today",
        "2030-03-01",
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Ending within 365 days: 2" in result.output
    assert (
        "Oulu – Sendai: cooperation agreement (agr-oulu-sendai-cooperation-2025, ends 2030)"
        in result.output
    )
    bad = runner.invoke(main, ["--data-dir", str(settings.data_dir), "agreements", "--due", "soon"])
    assert bad.exit_code == 2 and "'soon' is not a duration such as 180d" in bad.output


def test_network_view_sizes_and_colours_nodes_by_their_metrics(client):
    plain = client.get("/network/oulu/view?as_of=2025").get_data(as_text=True)
    shown = client.get("/network/oulu/view?as_of=2025&size=betweenness&colour=sector")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and html.count('"size":') > plain.count('"size":') + 5
    assert html.count('"background":"#d62728"') >= 2  # government: Oulu and Sendai at least
    assert "2025: betweenness 0." in html and "sector government" in html
    page = client.get("/network/oulu?size=pagerank&colour=community").get_data(as_text=True)
    assert "size=pagerank" in page and "<option selected>pagerank</option>" in page
    assert client.get("/network/oulu/view?colour=rainbow").status_code == 400


def test_large_graph_entity_page_waits_for_the_metrics_page(settings, seeded, monkeypatch):
    monkeypatch.setattr("web.analysis.ENTITY_PAGE_LIMIT", 10)
    app = create_app({"SETTINGS": settings, "TESTING": True})
    try:
        client = app.test_client()
        assert client.get("/entity/oulu.json").get_json()["brokerage"]["pending"] is True
        assert "computed for the whole graph on the" in client.get("/entity/oulu").get_data(
            as_text=True
        )
        assert client.get("/metrics").status_code == 200
        assert client.get("/entity/oulu.json").get_json()["brokerage"]["why"]["reason"]
    finally:
        close_store(app)


def test_agreement_lists_are_bounded_and_say_how_many_there_are(client):
    data = client.get("/agreements.json?today=2026-12-02&limit=1").get_json()
    assert len(data["in_force"]) == 1 and data["counts"]["in_force"] > 1
    page = client.get("/agreements?today=2026-12-02&limit=1").get_data(as_text=True)
    assert f"{data['counts']['in_force']} (first 1 shown)" in page
