"""The explorer's pages and their JSON twins on the seed data (Flask test client, no browser)."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from graph.explore.entities import PER_GROUP
from graph.model import RELATIONSHIP_TYPES
from web.app import create_app
from web.db import close_store

DATA = Path(__file__).resolve().parent / "data"
PAIR = "oulu-university-hospital,tohoku-university-hospital"
CERENION_TO_TOHOKU = "from=cerenion&to=tohoku-university-hospital"
SENDAI_CHAIN = [
    ("agr-oulu-sendai-coincubation-2005", "2005"),
    ("agr-oulu-sendai-coincubation-2014", "2014"),
    ("agr-oulu-sendai-coincubation-2019", "2019-11-13"),
    ("agr-oulu-sendai-cooperation-2025", "2025-01-14"),
]
PAGES = [
    "/",
    "/search?q=oulu",
    "/entity/oulu-university-hospital",
    "/network/oulu?hops=2",
    f"/paths?{CERENION_TO_TOHOKU}",
    f"/common?ids={PAIR}",
]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@pytest.fixture(scope="module")
def app(settings, seeded):
    app = create_app({"SETTINGS": settings, "TESTING": True})
    yield app
    close_store(app)


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


# -- helpers ---------------------------------------------------------------------------------


class _Texts(HTMLParser):
    """Collect the text of every element with a given tag and, optionally, class."""

    def __init__(self, tag: str, cls: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.tag, self.cls = tag, cls
        self.open: list[list] = []  # [depth, parts, attrs] of each matching element still open
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        for entry in self.open:
            entry[0] += 1
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == self.tag and (self.cls is None or self.cls in classes):
            self.open.append([1, [], values])

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        for entry in self.open:
            entry[0] -= 1
        for entry in [e for e in self.open if e[0] == 0]:
            self.open.remove(entry)
            self.found.append((" ".join("".join(entry[1]).split()), entry[2]))

    def handle_data(self, data: str) -> None:
        for entry in self.open:
            entry[1].append(data)


def elements(page: str, tag: str, cls: str | None = None) -> list[tuple[str, dict]]:
    """Return (text, attributes) of each ``tag`` element of class ``cls``, in closing order."""
    parser = _Texts(tag, cls)
    parser.feed(page)
    parser.close()
    return parser.found


def texts(page: str, tag: str, cls: str | None = None) -> list[str]:
    """Return the whitespace-normalised text of each matching element."""
    return [text for text, _ in elements(page, tag, cls)]


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def json_of(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    return response.get_json()


def twin(url: str) -> str:
    """Return the ``.json`` twin of a page URL."""
    parts = urlsplit(url)
    path = "/.json" if parts.path == "/" else parts.path + ".json"
    return path + (f"?{parts.query}" if parts.query else "")


def started(tie: dict) -> str:
    return tie.get("valid_from") or tie.get("signed") or tie.get("since") or tie.get("date") or ""


def ended(tie: dict) -> str:
    return tie.get("valid_until") or tie.get("until") or "9999"


def valid_in(tie: dict, year: int) -> bool:
    """Whether a tie counts in ``year`` (as graph.explore.filters defines it)."""
    return started(tie) <= f"{year}-12-31" and ended(tie) >= str(year)


# -- every page and its twin -----------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_page_and_json_twin_answer_with_the_same_stamp(client, url):
    page, data = html_of(client, url), json_of(client, twin(url))
    assert data["data_as_of"] and datetime.datetime.fromisoformat(data["data_as_of"])
    (stamp,) = elements(page, "p", "stamp")
    assert stamp[0] == f"Data as of {data['data_as_of']} · JSON"
    assert [a["href"] for t, a in elements(page, "a") if t == "JSON"] == [twin(url)]


def test_home_html_and_json_agree(client):
    page, data = html_of(client, "/"), json_of(client, "/.json")
    assert texts(page, "p", "lead")[0].startswith(
        f"{data['entities']} entities and {data['ties']} ties"
    )
    assert data["entities"] > 100 and data["kinds"]["Hospital"] >= 4
    counts = dict(zip(texts(page, "th"), texts(page, "td"), strict=True))
    assert counts == {k: str(v) for k, v in {**data["kinds"], **data["types"]}.items()}
    shown = [t for t, a in elements(page, "a", "entity") if a["href"].startswith("/entity/")]
    for programme in data["programmes"]:
        assert programme["name"] in shown


def test_search_html_and_json_agree(client):
    page, data = html_of(client, "/search?q=oulu"), json_of(client, "/search.json?q=oulu")
    links = [(t, a["href"]) for t, a in elements(page, "a", "entity")]
    assert links == [(hit["name"], f"/entity/{hit['id']}") for hit in data["hits"]]
    assert len(links) >= 5


def test_entity_html_and_json_agree(client):
    url = "/entity/oulu-university-hospital"
    page, data = html_of(client, url), json_of(client, url + ".json")
    assert texts(page, "h1") == [data["entity"]["name"]] == ["Oulu University Hospital"]
    groups = [(t.split()[0], t.split()[-1]) for t in texts(page, "h3")]
    assert groups == [(g["type"], str(g["total"])) for g in data["groups"]]
    assert len(elements(page, "li", "tie")) == data["ties_shown"]


def test_network_html_and_json_agree(client):
    page = html_of(client, "/network/oulu?hops=2")
    data = json_of(client, "/network/oulu.json?hops=2")
    summary = f"{len(data['nodes'])} entities, {len(data['edges'])} ties."
    assert texts(page, "p", "summary") == [summary]
    (frame,) = elements(page, "iframe", "network-frame")
    assert frame[1]["src"] == "/network/oulu/view?hops=2"
    assert data["root"]["id"] == "oulu" and data["hops"] == 2


def test_paths_html_and_json_agree(client):
    page = html_of(client, f"/paths?{CERENION_TO_TOHOKU}")
    data = json_of(client, f"/paths.json?{CERENION_TO_TOHOKU}")
    assert texts(page, "h3") == [
        f"{p['length']} steps strength {p['strength']:.2g}"
        + (" same place only" if p["same_place"] else "")
        for p in data["paths"]
    ]
    assert len(elements(page, "li", "hop")) == sum(len(p["hops"]) for p in data["paths"])
    quotes = {t[1:-1] for t in texts(page, "p") if t.startswith("“") and t.endswith("”")}
    facts = [t for p in data["paths"] for h in p["hops"] for t in h["ties"]]
    assert {" ".join(f["evidence"].split()) for f in facts} == quotes


def test_common_html_and_json_agree(client):
    page, data = html_of(client, f"/common?ids={PAIR}"), json_of(client, f"/common.json?ids={PAIR}")
    listed = [t for t, a in elements(page, "li") if "tied to" in t and a == {}]
    assert len(listed) == len(data["connections"])
    for connection, text in zip(data["connections"], listed, strict=True):
        assert text.startswith(f"{connection['name']} {connection['kind']}")
        assert f"tied to {connection['shared']}" in text


# -- data as of, sources ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [p for p in PAGES if not p.startswith("/search")])
def test_sources_section_lists_the_cited_titles(client, url):
    page, data = html_of(client, url), json_of(client, twin(url))
    titles = [s["title"] for s in data["sources"]]
    assert titles and all(titles)
    assert texts(page, "cite") == titles
    ids = [a["id"] for _, a in elements(page, "li") if a.get("id", "").startswith("source-")]
    assert ids == [f"source-{s['id']}" for s in data["sources"]]
    if url != "/":  # the home page lists every source; the others only those cited
        facts = json_facts(data)
        assert {s["id"] for s in data["sources"]} == {f["source"] for f in facts if "source" in f}


def json_facts(data: dict) -> list[dict]:
    """Return every fact (entity or tie) a page's JSON holds."""
    facts = [data["entity"]] if "entity" in data else []
    facts += [t for g in data.get("groups", []) for t in g["ties"]]
    facts += data.get("edges", [])
    facts += [t for p in data.get("paths", []) for h in p["hops"] for t in h["ties"]]
    facts += [t for c in data.get("connections", []) for t in c["ties"]]
    return facts


def test_search_page_shows_the_stamp_without_sources(client):
    page = html_of(client, "/search?q=oulu")
    assert texts(page, "p", "stamp")[0].startswith("Data as of 20")
    assert texts(page, "cite") == []


# -- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("tohoku", "tohoku-university-hospital"),
        ("universitetssykehus", "oslo-university-hospital"),
        ("aalborg univ", "aalborg-university"),
        ("oys", "oulu-university-hospital"),
        ("tohuku", "tohoku-university-hospital"),
        ("OULUN KAUPUNKI", "oulu"),
    ],
)
def test_search_finds_the_expected_entity_first(client, query, first):
    data = json_of(client, "/search.json?" + urlencode({"q": query}))
    assert data["hits"][0]["id"] == first
    page = html_of(client, "/search?" + urlencode({"q": query}))
    assert elements(page, "a", "entity")[0][1]["href"] == f"/entity/{first}"


def test_search_filters_by_kind(client):
    every = json_of(client, "/search.json?q=oulu")["hits"]
    hospitals = json_of(client, "/search.json?q=oulu&kind=Hospital")["hits"]
    assert {h["kind"] for h in every} > {"Hospital"}
    assert hospitals and {h["kind"] for h in hospitals} == {"Hospital"}
    assert "oulu-university-hospital" in [h["id"] for h in hospitals]


def test_search_filters_by_country(client):
    every = json_of(client, "/search.json?q=university")["hits"]
    danish = json_of(client, "/search.json?q=university&country=dk")
    assert {h["country"] for h in every} > {"DK"}
    assert danish["country"] == "DK"
    assert danish["hits"] and {h["country"] for h in danish["hits"]} == {"DK"}
    assert "aalborg-university" in [h["id"] for h in danish["hits"]]


def test_search_without_a_match_says_so(client):
    page = html_of(client, "/search?q=zzqxj")
    assert texts(page, "p", "empty") == [
        "Nothing matches “zzqxj”. Check the spelling, try fewer or shorter words, or browse a kind:"
    ]


# -- entities --------------------------------------------------------------------------------


def test_entity_groups_ties_by_type_in_model_order(client):
    data = json_of(client, "/entity/oulu.json")
    types = [group["type"] for group in data["groups"]]
    assert len(types) >= 4 and len(set(types)) == len(types)
    assert types == sorted(types, key=RELATIONSHIP_TYPES.index)
    for group in data["groups"]:
        assert group["ties"] and {t["type"] for t in group["ties"]} == {group["type"]}
        assert len(group["ties"]) == min(group["total"], PER_GROUP) and group["skip"] == 0
        assert sum(group["kinds"].values()) == group["total"]
    assert sum(len(g["ties"]) for g in data["groups"]) == data["ties_shown"]
    assert sum(g["total"] for g in data["groups"]) == data["ties_total"]


def test_entity_timeline_shows_the_oulu_sendai_renewal_chain(client):
    data = json_of(client, "/entity/oulu.json")
    sendai = [t for t in data["timeline"] if t["other"]["id"] == "sendai"]
    assert [(t["id"], t["signed"]) for t in sendai] == SENDAI_CHAIN
    ids = [agreement for agreement, _ in SENDAI_CHAIN]
    assert [t["renews_chain"] for t in sendai] == [ids[:i] for i in range(len(ids))]
    page = html_of(client, "/entity/oulu")
    (latest,) = [t for t, a in elements(page, "li") if a.get("id") == f"timeline-{ids[-1]}"]
    assert latest.startswith("2025-01-14 cooperation agreement with Sendai")
    assert "renews " + " → ".join(ids[:-1]) in latest


# -- paths -----------------------------------------------------------------------------------


@pytest.mark.parametrize("rank", ["strongest", "fewest"])
def test_every_hop_of_every_path_has_evidence_and_a_source(client, rank):
    data = json_of(client, f"/paths.json?{CERENION_TO_TOHOKU}&rank={rank}")
    sources = {s["id"] for s in json_of(client, "/.json")["sources"]}
    assert 1 <= len(data["paths"]) <= data["k"] == 3 and data["rank"] == rank
    lengths = [p["length"] for p in data["paths"]]
    strengths = [p["strength"] for p in data["paths"] if not p["same_place"]]
    if rank == "fewest":
        assert lengths == sorted(lengths) and lengths[0] == 2
    else:
        assert strengths == sorted(strengths, reverse=True)
    for path in data["paths"]:
        assert path["ids"][0] == "cerenion" and path["ids"][-1] == "tohoku-university-hospital"
        assert [h["from"]["id"] for h in path["hops"]] == path["ids"][:-1]
        assert [h["to"]["id"] for h in path["hops"]] == path["ids"][1:]
        for hop in path["hops"]:
            backed = [t for t in hop["ties"] if t.get("evidence", "").strip() and t.get("source")]
            assert backed, hop
            assert {t["source"] for t in backed} <= sources


def test_paths_as_of_keeps_only_ties_valid_that_year(client):
    every = json_of(client, f"/paths.json?{CERENION_TO_TOHOKU}&rank=fewest")["paths"]
    in_2020 = json_of(client, f"/paths.json?{CERENION_TO_TOHOKU}&as_of=2020")["paths"]
    direct = ["cerenion", "oulu", "tohoku-university-hospital"]  # via the 2024 and 2025 visits
    assert direct in [p["ids"] for p in every]
    assert in_2020 and direct not in [p["ids"] for p in in_2020]
    for path in in_2020:
        for hop in path["hops"]:
            assert hop["ties"] and all(valid_in(t, 2020) for t in hop["ties"]), hop


def test_paths_current_keeps_only_ties_valid_now(client):
    year = datetime.date.today().year
    data = json_of(client, f"/paths.json?{CERENION_TO_TOHOKU}&current=1")
    assert data["filter"]["current"] is True and data["paths"]
    for path in data["paths"]:
        for hop in path["hops"]:
            assert all(valid_in(t, year) for t in hop["ties"]), hop


# -- networks --------------------------------------------------------------------------------


def agreements_of_oulu(client, query: str = "") -> set[str]:
    data = json_of(client, f"/network/oulu.json?type=AGREEMENT{query}")
    assert {e["type"] for e in data["edges"]} <= {"AGREEMENT"}
    return {e["id"] for e in data["edges"]}


def test_as_of_picks_the_agreements_valid_that_year(client):
    ids = [agreement for agreement, _ in SENDAI_CHAIN]
    assert set(ids) <= agreements_of_oulu(client)
    in_2010 = agreements_of_oulu(client, "&as_of=2010")
    assert ids[0] in in_2010 and not {ids[2], ids[3]} & in_2010
    in_2020 = agreements_of_oulu(client, "&as_of=2020")
    assert ids[2] in in_2020 and ids[3] not in in_2020
    in_2027 = agreements_of_oulu(client, "&as_of=2027")
    assert ids[3] in in_2027 and ids[2] not in in_2027


def test_current_picks_the_agreements_valid_this_year(client):
    year = datetime.date.today().year
    now = agreements_of_oulu(client, "&current=1")
    ids = [agreement for agreement, _ in SENDAI_CHAIN]
    assert (ids[2] in now) == (2020 <= year <= 2025)  # valid 2020–2025
    assert (ids[3] in now) == (2025 <= year <= 2030)  # valid 2025–2030


def test_network_kind_country_and_type_filters(client):
    hospitals = json_of(client, "/network/oulu.json?kind=Hospital")
    assert {n["kind"] for n in hospitals["nodes"] if n["id"] != "oulu"} == {"Hospital"}
    japanese = json_of(client, "/network/oulu.json?country=JP")
    assert {n["country"] for n in japanese["nodes"] if n["id"] != "oulu"} == {"JP"}
    located = json_of(client, "/network/oulu.json?type=LOCATED_IN")
    assert located["edges"] and {e["type"] for e in located["edges"]} == {"LOCATED_IN"}


def test_the_tie_type_filter_lists_types_in_words(client):
    page = client.get("/network/oulu?type=LOCATED_IN").get_data(as_text=True)
    assert '<option value="LOCATED_IN" selected>located in</option>' in page
    assert '<option value="WORKS_AT" >works at</option>' in page
    assert ">LOCATED_IN<" not in page


def test_more_hops_reach_more_entities(client):
    one = json_of(client, "/network/oulu.json?hops=1")
    two = json_of(client, "/network/oulu.json?hops=2")
    assert len(two["nodes"]) > len(one["nodes"]) > 10
    assert {n["id"] for n in one["nodes"]} < {n["id"] for n in two["nodes"]}
    assert max(n["depth"] for n in one["nodes"]) == 1 and max(n["depth"] for n in two["nodes"]) == 2
    ids = {n["id"] for n in two["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in two["edges"])


def test_per_node_caps_count_what_they_hide(client):
    full = json_of(client, "/network/oulu.json")
    capped = json_of(client, "/network/oulu.json?per_node=2")
    assert full["hidden_total"] == 0 and "more not shown" not in html_of(client, "/network/oulu")
    root = next(n for n in capped["nodes"] if n["id"] == "oulu")
    assert root["hidden"] > 0 and capped["hidden_total"] >= root["hidden"]
    assert len(capped["nodes"]) < len(full["nodes"])
    total = json_of(client, "/entity/oulu.json")["ties_total"]
    assert root["hidden"] == total - 2
    page = html_of(client, "/network/oulu?per_node=2")
    assert f"{capped['hidden_total']} more not shown" in texts(page, "strong", "more")
    view = html_of(client, "/network/oulu/view?per_node=2")
    assert f"{capped['hidden_total']} more not shown" in texts(view, "p", "net-summary")[0]
    assert "+N more" in texts(view, "span", "net-more-badge")


# -- common connections ----------------------------------------------------------------------


def test_common_connections_are_tied_to_both(client):
    data = json_of(client, f"/common.json?ids={PAIR}")
    pair = set(PAIR.split(","))
    assert [g["id"] for g in data["given"]] == PAIR.split(",") and data["least"] == 2
    assert data["connections"] and "oulu" in [c["id"] for c in data["connections"]]
    for connection in data["connections"]:
        assert set(connection["tied_to"]) == pair and connection["shared"] == 2
        assert {t["other"]["id"] for t in connection["ties"]} == pair
        assert connection["id"] not in pair
    one = json_of(client, f"/common.json?ids={PAIR}&least=1")
    assert len(one["connections"]) > len(data["connections"])
    assert {c["id"] for c in data["connections"]} <= {c["id"] for c in one["connections"]}


# -- hostile parameters: a 400, never a 500, on the page and its twin -------------------------

PAYLOADS = [
    line for line in (DATA / "xss_payloads.txt").read_text(encoding="utf-8").split("\n") if line
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_payloads_in_parameters_are_refused_or_searched(client, payload):
    for path, params in [
        ("/search", {"q": "oulu", "kind": payload}),
        ("/search", {"q": "oulu", "country": payload}),
        ("/network/oulu", {"as_of": payload}),
        ("/network/oulu", {"kind": payload}),
        ("/network/oulu", {"type": payload}),
        ("/paths", {"from": "oulu", "to": "sendai", "as_of": payload}),
        ("/common", {"ids": "oulu,sendai", "least": payload}),
    ]:
        url = f"{path}?{urlencode(params)}"
        for asked in (url, twin(url)):
            response = client.get(asked)
            assert response.status_code == 400, asked
        if any(c in payload for c in "<>&\"'"):  # shown escaped, if at all
            assert payload not in client.get(url).get_data(as_text=True)
        assert client.get(twin(url)).get_json()["ok"] is False
    query = urlencode({"q": payload})
    assert client.get(f"/search?{query}").status_code == 200
    assert json_of(client, f"/search.json?{query}")["q"] == payload
    for ends in ({"from": payload, "to": "oulu"}, {"from": "oulu", "to": payload}):
        url = f"/paths?{urlencode(ends)}"  # names are searched: a chooser, never a path
        end = "from" if ends["from"] == payload else "to"
        assert json_of(client, twin(url))["choices"][end]["given"] == payload.strip()
        if any(c in payload for c in "<>&\"'"):  # shown escaped
            assert payload not in client.get(url).get_data(as_text=True)
    url = f"/common?{urlencode({'ids': ['oulu', payload]}, doseq=True)}"  # searched too
    assert json_of(client, twin(url))["choices"]["1"]["given"] == payload.strip()
    if any(c in payload for c in "<>&\"'"):
        assert payload not in client.get(url).get_data(as_text=True)


# -- bad input is a 400 or 404 that says what is wrong, never a 500 ---------------------------

BAD_INPUT = [
    ("/entity/nobody-here", 404, "No entity has the id 'nobody-here'."),
    ("/network/nobody-here", 404, "No entity has the id 'nobody-here'."),
    ("/network/oulu?hops=9", 400, "'hops' must be a whole number from 1 to 3, not '9'"),
    ("/network/oulu?as_of=abc", 400, "'as_of' must be a whole number from 1800 to 2200"),
    ("/search?q=oulu&kind=Bogus", 400, "'kind' 'Bogus' is not one of City, Region"),
    ("/network/oulu?kind=Bogus", 400, "'kind' 'Bogus' is not one of City, Region"),
    ("/network/oulu?type=Nope", 400, "'type' 'Nope' is not one of AGREEMENT, PARTNER_IN"),
    (
        "/network/oulu?country=Finland",
        400,
        "'country' must be a two-letter country code such as FI, not 'Finland'",
    ),
    ("/paths?from=oulu&to=sendai&k=0", 400, "'k' must be a whole number from 1 to 10, not '0'"),
    ("/common?ids=oulu", 400, "give 2 to 10 distinct entity ids"),
    ("/common?ids=BAD!", 400, "give 2 to 10 distinct entity ids"),
    ("/common?ids=oulu,sendai&least=3", 400, "least must be 1 to 2"),
    ("/paths?from=cerenion", 400, "give both 'from' and 'to'"),
    ("/search?q=" + "a" * 500, 400, "'q' must be at most 200 characters of text"),
    ("/network/oulu?per_node=-1", 400, "'per_node' must be a whole number from 1 to 500"),
    ("/common?ids=oulu,sendai&least=99", 400, "'least' must be a whole number from 1 to 10"),
    ("/paths?from=oulu&to=sendai&current=maybe", 400, "'current' must be 1 or 0, not 'maybe'"),
]


@pytest.mark.parametrize(
    ("path", "status", "message"), BAD_INPUT, ids=[p[:60] for p, _, _ in BAD_INPUT]
)
def test_bad_input_says_what_is_wrong(client, path, status, message):
    response = client.get(path)
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert texts(page, "h1")[0].startswith(f"{status} · ")
    assert message in texts(page, "p", "error")[0]
    json_twin = client.get(twin(path))
    assert json_twin.status_code == status
    assert json_twin.headers["content-type"].startswith("application/json")
    body = json_twin.get_json()
    assert body["ok"] is False and body["status"] == status and message in body["error"]


def test_paths_take_names_and_explain_what_they_could_not_resolve(client):
    by_name = json_of(client, "/paths.json?from=Cerenion&to=oulu")
    assert by_name["source"]["id"] == "cerenion" and by_name["paths"]
    unknown = json_of(client, "/paths.json?from=qwxzvb&to=oulu")
    assert unknown["choices"] == {"from": {"given": "qwxzvb", "choices": [], "suggested": True}}
    assert unknown["paths"] == [] and unknown["source"] is None
    assert client.get("/paths/view?from=nobody-here&to=oulu").status_code == 400
