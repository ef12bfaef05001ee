"""Pages whose cost is what they show: a hub's ties a page at a time, grouped and counted;
whole-graph answers remembered per data version and read again after a change.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from graph.errors import SavedQueryError
from graph.explore import entities, overview
from graph.explore.entities import ALL_AT_ONCE, PER_GROUP
from graph.library.saved_queries import load_library
from graph.load.loader import load_graph
from graph.store.backends import open_store
from graph.store.base import Store
from web.app import create_app
from web.db import close_store, get_store

ROOT = Path(__file__).resolve().parent.parent
COMPANIES, ORGANISATIONS, PEOPLE = 37, 14, 3
SOURCE = {"source": "register", "evidence": "listed in the register"}


def hub_graph() -> tuple[list[dict], list[dict]]:
    """A city that 51 organisations are located in and 3 people visited, in a region."""
    nodes = [
        {"label": "Region", "id": "north", "name": "North", "country": "FI"},
        {"label": "City", "id": "hub", "name": "Hub City", "country": "FI"},
    ]
    ties = [{"type": "LOCATED_IN", "id": "loc-hub", "from": "hub", "to": "north"}]
    for label, prefix, count in (
        ("Company", "co", COMPANIES),
        ("Organisation", "org", ORGANISATIONS),
    ):
        for n in range(count):
            entity = f"{prefix}-{n:02d}"
            nodes.append(
                {"label": label, "id": entity, "name": f"{label} {n % 7}", "country": "FI"}
            )
            ties.append({"type": "LOCATED_IN", "id": f"loc-{entity}", "from": entity, "to": "hub"})
    for n in range(PEOPLE):
        nodes.append({"label": "Person", "id": f"p-{n}", "name": f"Person {n}", "country": "FI"})
        ties.append({"type": "VISITED", "id": f"visit-{n}", "from": f"p-{n}", "to": "hub"})
    return [{**node, **SOURCE} for node in nodes], [{**tie, **SOURCE} for tie in ties]


@pytest.fixture(scope="module")
def hub_app(settings, embedded: Store):
    embedded.clear()
    load_graph(embedded, *hub_graph(), [{"id": "register", "title": "Register"}], reset=True)
    app = create_app({"SETTINGS": settings, "TESTING": True})
    yield app
    close_store(app)


@pytest.fixture(scope="module")
def client(hub_app):
    return hub_app.test_client()


def entity_json(client, query: str = "") -> dict:
    response = client.get(f"/entity/hub.json{query}")
    assert response.status_code == 200, response.data
    return response.get_json()


# -- a hub's ties ------------------------------------------------------------------------------


def test_a_hub_shows_each_type_counted_by_kind_with_its_first_ties(client):
    data = entity_json(client)
    located, visited = data["groups"]
    assert (located["type"], visited["type"]) == ("LOCATED_IN", "VISITED")
    assert located["total"] == COMPANIES + ORGANISATIONS + 1  # and its own place
    assert located["kinds"] == {"Company": COMPANIES, "Organisation": ORGANISATIONS, "Region": 1}
    assert visited["kinds"] == {"Person": PEOPLE} and len(visited["ties"]) == PEOPLE
    assert len(located["ties"]) == PER_GROUP and located["more"] is True
    assert data["ties_total"] == COMPANIES + ORGANISATIONS + 1 + PEOPLE
    assert data["ties_shown"] == PER_GROUP + PEOPLE


def test_paging_through_one_type_shows_every_tie_once_in_a_stable_order(client):
    seen: list[str] = []
    skip = 0
    while True:
        data = entity_json(client, f"?type=LOCATED_IN&skip={skip}")
        (group,) = data["groups"]
        assert len(group["ties"]) <= group["size"]
        seen += [tie["id"] for tie in group["ties"]]
        if not group["more"]:
            break
        skip += len(group["ties"])
    assert len(seen) == len(set(seen)) == COMPANIES + ORGANISATIONS + 1
    first = entity_json(client, "?type=LOCATED_IN")["groups"][0]["ties"]
    assert [tie["id"] for tie in first] == seen[: len(first)]  # the same order every time
    assert seen[:PER_GROUP] == [t["id"] for t in entity_json(client)["groups"][0]["ties"]]


def test_a_small_page_size_pages_and_the_kind_filter_counts(client, hub_app):
    from graph.explore.entities import get_entity

    with hub_app.app_context():
        store = get_store()
        pages = [
            get_entity(
                store, "hub", tie_type="LOCATED_IN", kind="Organisation", skip=s, page_size=5
            )
            for s in range(0, ORGANISATIONS, 5)
        ]
    ids = [tie["other"]["id"] for page in pages for tie in page["groups"][0]["ties"]]
    assert sorted(ids) == [f"org-{n:02d}" for n in range(ORGANISATIONS)]
    assert [page["groups"][0]["more"] for page in pages] == [True, True, False]
    assert pages[0]["groups"][0]["of"] == ORGANISATIONS


def test_the_page_links_to_the_rest_of_a_type(client):
    page = client.get("/entity/hub").get_data(as_text=True)
    assert f'href="/entity/hub?type=LOCATED_IN&amp;skip={PER_GROUP}"' in page
    assert 'href="/entity/hub?type=LOCATED_IN&amp;kind=Company"' in page
    second = client.get("/entity/hub?type=LOCATED_IN&skip=100").get_data(as_text=True)
    assert "skip=0" in second and 'rel="next"' not in second


def round_trips(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """Record each exchange with the server from now on (each pipeline is one)."""
    sent: list[str | None] = []
    real = store._call  # type: ignore[attr-defined]

    def counted(action, *, retry=False, query=None):
        sent.append(query)
        return real(action, retry=retry, query=query)

    monkeypatch.setattr(store, "_call", counted)
    return sent


@pytest.mark.parametrize(("entity", "query", "trips"), [
    ("co-01", "", 1),  # a small entity: its stamp, node, counts and ties in one pipeline
    ("hub", "", 1),  # 55 ties, read at once
    ("hub", "?type=LOCATED_IN", 2),  # one type's page: read once its counts are known
])  # fmt: skip
def test_an_entity_page_reads_in_one_round_trip_when_its_ties_fit_one_read(
    client, hub_app, monkeypatch, entity, query, trips
):
    with hub_app.app_context():
        store = get_store()
    assert client.get("/entity/co-00").status_code == 200  # what is kept per version, kept
    sent = round_trips(store, monkeypatch)
    page = client.get(f"/entity/{entity}{query}")
    assert page.status_code == 200
    assert len(sent) == trips, sent
    assert "Hub City" in page.get_data(as_text=True)


def test_ties_the_model_does_not_know_are_not_shown_and_hide_none_of_its_own(client, settings):
    """Ties written by another tool: of other types, or to nodes that are not entities."""
    with open_store(settings) as other:
        other.write(
            "MATCH (n:Entity {id: 'co-03'}), (hub:Entity {id: 'hub'}) "
            "CREATE (t:Thing {id: 'elsewhere'}), (n)-[:MENTIONED_BY]->(hub) "
            "WITH n, t UNWIND range(1, $count) AS i CREATE (n)-[:MENTIONED_BY]->(t)",
            {"count": ALL_AT_ONCE + 1},
        )
    try:
        data = client.get("/entity/co-03.json").get_json()
        (located,) = data["groups"]
        assert [t["other"]["id"] for t in located["ties"]] == ["hub"]
        assert data["ties_shown"] == data["ties_total"] == 1
    finally:
        with open_store(settings) as other:
            other.write("MATCH (t:Thing {id: 'elsewhere'}) DETACH DELETE t")
            other.write("MATCH (:Entity {id: 'co-03'})-[r:MENTIONED_BY]->() DELETE r")


def test_a_hub_read_type_by_type_shows_what_it_shows_read_at_once(client, hub_app, monkeypatch):
    """Past ALL_AT_ONCE ties an entity's counts come from its degrees and its ties a type at
    a time: the same page, in three round trips."""
    at_once = entity_json(client)
    with hub_app.app_context():
        store = get_store()
    monkeypatch.setattr(entities, "ALL_AT_ONCE", COMPANIES)  # the hub has more
    sent = round_trips(store, monkeypatch)
    assert entity_json(client) == at_once
    assert len(sent) == 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?skip=20", "'kind' and 'skip' page through the ties of one 'type'; give it too"),
        ("?type=KNOWS", "'type' 'KNOWS' is not one of"),
        ("?type=LOCATED_IN&skip=-1", "'skip'"),
    ],
)
def test_bad_paging_is_refused_saying_why(client, query, message):
    response = client.get(f"/entity/hub.json{query}")
    assert response.status_code == 400
    assert message in response.get_json()["error"]


# -- remembered per data version --------------------------------------------------------------


def test_the_home_page_reads_the_whole_graph_once_per_version(client, hub_app, settings):
    with hub_app.app_context():
        store = get_store()
    sent: list[str] = []
    store.tracer = lambda cypher, params: sent.append(cypher)
    try:
        first = client.get("/.json").get_json()
        reads = len(sent)
        again = client.get("/.json").get_json()
        assert again == first and len(sent) == reads + 1  # only the data-as-of stamp
        with open_store(settings) as other:  # another process adds a company
            other.write("CREATE (:Entity:Company {id: 'late', name: 'Late Oy', country: 'FI'})")
        changed = client.get("/.json").get_json()
        assert changed["kinds"]["Company"] == first["kinds"]["Company"] + 1
    finally:
        store.tracer = None
        store.write("MATCH (n:Entity {id: 'late'}) DETACH DELETE n")
    assert client.get("/.json").get_json()["kinds"]["Company"] == COMPANIES


def test_the_home_page_answers_while_its_lists_are_still_being_read(client, hub_app, monkeypatch):
    with hub_app.app_context():
        store = get_store()
    store.write("MATCH (n:Entity {id: 'hub'}) SET n.name = 'Hub City'")  # a new data version
    go_on = threading.Event()
    read_lists = overview._lists

    def slow(*args):
        assert go_on.wait(30)
        return read_lists(*args)

    monkeypatch.setattr(overview, "_lists", slow)
    monkeypatch.setattr(overview, "LISTS_WAIT_S", 0.05)
    waiting = client.get("/.json").get_json()
    assert waiting["programmes"] is None and waiting["latest_agreements"] is None
    assert waiting["computing"] == ["programmes", "latest_agreements"]
    assert waiting["kinds"]["Company"] == COMPANIES  # the counts do not wait
    assert "Being counted" in client.get("/").get_data(as_text=True)
    go_on.set()
    monkeypatch.setattr(overview, "LISTS_WAIT_S", 30)
    done = client.get("/.json").get_json()
    assert done["computing"] == [] and done["programmes"] == [] and done["latest_agreements"] == []


def test_an_answer_computed_in_the_background_is_kept_and_its_error_raised(hub_app):
    with hub_app.app_context():
        store = get_store()
    go_on = threading.Event()
    calls: list[str] = []

    def compute() -> int:
        calls.append("once")
        assert go_on.wait(30)
        return 7

    assert store.remember_soon(("test soon",), compute, 0.01) is None
    assert store.remember_soon(("test soon",), compute, 0.01) is None  # the same computation
    go_on.set()
    assert store.remember_soon(("test soon",), compute, 30) == 7
    assert store.remember_soon(("test soon",), lambda: -1, 0) == 7 and calls == ["once"]

    def fails() -> int:
        raise ValueError("no such thing")

    with pytest.raises(ValueError, match="no such thing"):
        store.remember_soon(("test fails",), fails, 30)


def test_a_background_error_reaches_the_next_caller_once_then_it_is_computed_again(hub_app):
    with hub_app.app_context():
        store = get_store()
    go_on = threading.Event()

    def fails() -> int:
        assert go_on.wait(30)
        raise ValueError("no such thing")

    assert store.remember_soon(("test later",), fails, 0.01) is None  # nobody waits for it
    go_on.set()
    with pytest.raises(ValueError, match="no such thing"):
        store.remember_soon(("test later",), fails, 30)  # the next caller hears why
    assert store.remember_soon(("test later",), lambda: 5, 30) == 5  # then it runs again


def test_a_plain_remember_waits_for_the_same_answer_computed_in_the_background(hub_app):
    with hub_app.app_context():
        store = get_store()
    go_on, calls = threading.Event(), []

    def compute() -> int:
        calls.append("background")
        assert go_on.wait(30)
        return 11

    assert store.remember_soon(("test joined",), compute, 0.01) is None
    got: list[int] = []
    waiter = threading.Thread(
        target=lambda: got.append(store.remember(("test joined",), lambda: calls.append("again")))
    )
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive()  # it waits for the run under way rather than starting one
    go_on.set()
    waiter.join(30)
    assert got == [11] and calls == ["background"]


def test_a_load_changes_the_stamp_and_what_is_remembered(hub_app, embedded):
    with hub_app.app_context():
        store = get_store()
        before = store.remember(("test",), lambda: store.counts()["nodes"]["Entity"])
        assert store.remember(("test",), lambda: -1) == before
        nodes, ties = hub_graph()
        extra = {"label": "Company", "id": "co-new", "name": "New Oy", "country": "FI", **SOURCE}
        load_graph(embedded, [*nodes, extra], ties, [{"id": "register"}], reset=True)
        assert store.remember(("test",), lambda: -1) == -1


# -- saved queries that scan the whole graph ----------------------------------------------------


def test_whole_graph_queries_are_marked_and_anchored_ones_are_not():
    library = load_library(ROOT / "queries")
    assert library.get("best-connected").scans_whole_graph
    assert library.get("agreements-valid-in").scans_whole_graph
    assert not library.get("partners-of").scans_whole_graph
    assert library.get("best-connected").to_json()["scans_whole_graph"] is True


def test_a_whole_graph_query_runs_once_per_version_and_again_after_a_write(hub_app):
    saved = load_library(ROOT / "queries").get("best-connected")
    text = saved.text_for("falkordb")
    with hub_app.app_context():
        store = get_store()
        sent: list[str] = []
        store.tracer = lambda cypher, params: sent.append(cypher)
        try:
            first = saved.run(store, {"kinds": "City", "top": "3"})
            assert saved.run(store, {"kinds": "City", "top": "3"}).rows == first.rows
            assert sent.count(text) == 1
            saved.run(store, {"kinds": "City", "top": "2"})  # other values: their own answer
            assert sent.count(text) == 2
            store.write("MATCH (n:Entity {id: 'hub'}) SET n.touched = true")
            saved.run(store, {"kinds": "City", "top": "3"})
            assert sent.count(text) == 3
        finally:
            store.tracer = None
            store.write("MATCH (n:Entity {id: 'hub'}) REMOVE n.touched")
    assert first.rows[0]["organisation"] == "Hub City"


def test_a_wrong_scans_value_is_refused_naming_the_line(tmp_path):
    (tmp_path / "odd.cypher").write_text(
        "// title: Odd\n// scans: some of it\n\nMATCH (n:Entity) RETURN n LIMIT 1\n"
    )
    with pytest.raises(SavedQueryError, match=r"odd.cypher, line 2: scans is 'whole graph'"):
        load_library(tmp_path)


# -- a hub's network ----------------------------------------------------------------------------


def test_a_layer_shares_out_the_room_left_under_the_node_cap():
    from graph.explore.neighbourhood import fair_share

    assert fair_share([3, 2, 1], room=100, most=50) == 50  # everything fits
    assert fair_share([500, 500, 500, 500], room=100, most=50) == 25
    assert fair_share([500, 2, 2], room=30, most=50) == 26  # small nodes leave room for big
    assert fair_share([500] * 400, room=10, most=50) == 1  # at least one tie each


def test_a_hub_network_stays_within_its_caps_and_counts_what_it_hides(hub_app):
    from graph.explore.neighbourhood import ego_network

    with hub_app.app_context():
        data = ego_network(get_store(), "north", hops=2, per_node=50, max_nodes=12)
    assert len(data["nodes"]) <= 12
    hub = next(node for node in data["nodes"] if node["id"] == "hub")
    shown = sum(1 for edge in data["edges"] if "hub" in (edge["from"], edge["to"]))
    total = COMPANIES + ORGANISATIONS + 1 + PEOPLE  # hidden: not walked (ties among may show some)
    assert total - shown <= hub["hidden"] < total
    assert data["hidden_total"] >= hub["hidden"] > 0 and data["capped"] is False


def test_a_runs_json_reply_is_written_once_per_version_and_again_after_a_write(hub_app, client):
    saved = load_library(ROOT / "queries").get("find-by-name")
    text = saved.text_for("falkordb")
    url = "/queries/find-by-name.json?words=company"
    with hub_app.app_context():
        store = get_store()
    sent: list[str] = []
    store.tracer = lambda cypher, params: sent.append(cypher)
    try:
        first = client.get(url)
        again = client.get(url)
        assert first.status_code == again.status_code == 200
        assert again.data == first.data and sent.count(text) == 1
        assert first.get_json()["rows"] and first.get_json()["data_as_of"]
        other = client.get(url.replace("company", "person"))
        assert other.status_code == 200 and sent.count(text) == 2
        store.write("MATCH (n:Entity {id: 'co-00'}) SET n.name = 'Renamed Company'")
        after = client.get(url)
        assert sent.count(text) == 3 and b"Renamed Company" in after.data
    finally:
        store.tracer = None
        store.write("MATCH (n:Entity {id: 'co-00'}) SET n.name = 'Company 0'")


def test_replies_kept_with_their_size_stay_within_the_byte_budget(hub_app, monkeypatch):
    from graph.store import base

    monkeypatch.setattr(base, "REMEMBERED_BYTES", 1000)
    with hub_app.app_context():
        store = get_store()
        computed: list[str] = []

        def reply(name: str, size: int):
            return lambda: computed.append(name) or b"x" * size

        for name in "abcde":  # 5 x 240 bytes: past 1,000, so the oldest goes
            store.remember(("reply", name), reply(name, 240), size=len)
        store.remember(("reply", "e"), reply("e", 240), size=len)
        store.remember(("reply", "a"), reply("a", 240), size=len)
        assert computed == ["a", "b", "c", "d", "e", "a"]  # a had gone, then b for it
        store.remember(("reply", "b"), reply("b", 240), size=len)
        store.remember(("reply", "big"), reply("big", 300), size=len)  # over a quarter
        store.remember(("reply", "big"), reply("big", 300), size=len)
        assert computed == ["a", "b", "c", "d", "e", "a", "b", "big", "big"]
        store.remember(("reply", "e"), reply("e", 240), size=len)
        assert computed[-1] == "big"  # e is still kept
