"""Every saved query runs for a hub of the synthetic 10,000-entity ecosystem.

A dropdown's choices once came from a listing cut by the row cap, so a valid but late value
(``programme-00215``) was refused. Values are now checked by a query about that value.
``partners-of-partners`` once listed every chain of 2 to 4 ties and ran past the time limit for
hubs; it now searches by distance.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synthetic import Ecosystem, generate
from graph.errors import EcomapError
from graph.library.saved_queries import SavedQuery, dependency_order, load_library
from graph.load.loader import load_graph
from graph.settings import Settings
from graph.store.backends import open_store
from graph.store.base import Store

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = load_library(ROOT / "queries")
CANDIDATES = 200  # the best-connected entities tried for each dropdown


@pytest.fixture(scope="module")
def ecosystem() -> Ecosystem:
    return generate(10_000, seed=7)


@pytest.fixture(scope="module")
def hub_store(tmp_path_factory: pytest.TempPathFactory, ecosystem: Ecosystem):
    settings = Settings(data_dir=tmp_path_factory.mktemp("hubs"), row_cap=1000)
    with open_store(settings) as store:
        load_graph(store, ecosystem.nodes, ecosystem.relationships, reset=True)
        yield store


@pytest.fixture(scope="module")
def hubs(ecosystem: Ecosystem) -> list[str]:
    """Entity ids, best connected first, then the countries of the best connected."""
    degree: Counter[str] = Counter()
    for rel in ecosystem.relationships:
        degree[rel["from"]] += 1
        degree[rel["to"]] += 1
    ranked = [node_id for node_id, _ in degree.most_common()]
    country = {node["id"]: node.get("country") for node in ecosystem.nodes}
    countries = Counter(country[n] for n in ranked[:CANDIDATES] if country.get(n))
    return ranked + [code for code, _ in countries.most_common()]


def hub_values(store: Store, saved: SavedQuery, hubs: list[str]) -> tuple[dict[str, Any], list]:
    """Pick each parameter's value: the best-connected valid choice (for a country, the one
    most hubs are in), else its first choice, else its example.
    """
    values: dict[str, Any] = {}
    late: list[str] = []
    for param in dependency_order(saved.params):
        if param.choices is None:
            values[param.name] = param.example if param.example is not None else param.default
            continue
        given = {name: values.get(name) for name in param.depends_on}
        tried = hubs[:CANDIDATES] + hubs[-30:]
        hub = next((h for h in tried if saved.is_choice(store, param.name, h, given)), None)
        if hub is None:  # not a dropdown of entities (kinds): its first choice
            options, _ = saved.choice_page(store, param.name, given)
            hub = next((o["value"] for o in options if o["value"] is not None), None)
        elif isinstance(param.choices, str):
            listed = [o["value"] for o in saved.choices(store, param.name, given)]
            if hub not in listed:
                late.append(f"${param.name}={hub}")
        values[param.name] = [hub] if param.type == "list" else hub
    return values, late


def test_every_saved_query_runs_with_a_hub(hub_store: Store, hubs: list[str]) -> None:
    late_values, failures = [], []
    for saved in LIBRARY:
        if hub_store.dialect.name not in saved.texts and "any" not in saved.texts:
            continue
        values, late = hub_values(hub_store, saved, hubs)
        try:
            assert saved.run(hub_store, values).columns
        except EcomapError as error:
            failures.append(f"{saved.slug} {values}: {error}")
        late_values += [f"{saved.slug}: {item}" for item in late]
    assert not failures, "\n".join(failures)
    # The finding: hubs the row-capped listing of choices leaves out are accepted too.
    assert late_values, "no hub lay past the row cap of its dropdown: the test proves nothing"


def test_partners_of_partners_of_a_hub_come_nearest_first(hub_store: Store, hubs: list[str]):
    """Rows are sorted before their chains are matched, and FalkorDB stops at the row cap."""
    saved = LIBRARY.get("partners-of-partners")
    values = hub_values(hub_store, saved, hubs)[0]
    result = saved.run(hub_store, values)
    order = [
        (len(row["p"].relationships), row["reachable"], row["p"].nodes[-1].properties["id"])
        for row in result.rows
    ]
    assert result.truncated and order == sorted(order)
    assert {row["p"].nodes[0].properties["id"] for row in result.rows} == {values["org"]}
    assert {len(row["chain"]) for row in result.rows} <= {3, 4, 5}


def test_a_dropdown_of_thousands_is_searched(hub_store: Store, hubs: list[str]) -> None:
    saved = LIBRARY.get("partners-of")
    options, more = saved.choice_page(hub_store, "org", {})
    assert more is True and len(options) == 200
    hub_name = hub_store.read(
        "MATCH (n:Entity {id: $id}) RETURN n.name AS name", {"id": hubs[0]}
    ).value()
    found, _ = saved.choice_page(hub_store, "org", {}, search=hub_name[:8])
    assert hubs[0] in [option["value"] for option in found]


def test_partners_of_partners_stops_once_the_nearest_fill_the_answer(
    hub_store: Store, hubs: list[str]
):
    """Told the row cap, the search stops at two (or three) ties when those alone are more
    than it; the rows and the cut are what searching all four ties gives."""
    saved = LIBRARY.get("partners-of-partners")
    text = saved.text_for("falkordb")
    organisations = [v for v in hubs[:300] if saved.is_choice(hub_store, "org", v, {})][:12]
    assert len(organisations) >= 8
    stopped = 0
    for org in organisations:
        for cap in (5, 60):
            values = {**saved.bind({"org": org}), "row_cap": cap}
            stopping = hub_store.read(text, values, row_cap_=cap)
            searching_all = hub_store.read(text, {**values, "row_cap": 10**9}, row_cap_=cap)
            assert stopping.rows == searching_all.rows, (org, cap)
            assert stopping.truncated == searching_all.truncated
            nearest = [row for row in searching_all.rows if len(row["chain"]) == 3]
            stopped += len(nearest) == cap
    assert stopped, "no search had its nearest fill the answer: the test proves nothing"
