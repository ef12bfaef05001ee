"""The synthetic ecosystem generator: deterministic, exact counts, sensible and skewed ties."""

from __future__ import annotations

import re
import statistics
from collections import Counter

import pytest

from benchmarks.synthetic import Ecosystem, generate, label_sizes
from graph.model import ends_problem

NODES = 2000
PLACES = {"City", "Region", "Country"}
PEOPLE_AND_GATHERINGS = {"Person", "Event", "Programme"}
# type -> (labels allowed at the start, labels allowed at the end); None: any label.
ENDS: dict[str, tuple[set[str] | None, set[str] | None]] = {
    "WORKS_AT": ({"Person"}, None),
    "LOCATED_IN": (None, PLACES),
    "PARTNER_IN": (None, {"Programme"}),
    "PARTICIPATED_IN": (None, {"Event", "Programme"}),
    "ORGANISED": (None, {"Event"}),
    "HOSTS": (None, {"Event", "Programme"}),
    "COORDINATES": (None, {"Programme"}),
    "FOUNDED": (None, {"Programme", "Company"}),
    "MEMBER_OF": (None, {"Organisation"}),
}
NO_PEOPLE = {"AGREEMENT", "FUNDS", "MEMBER_OF", "PARTNER_IN", "HOSTS", "COORDINATES", "PART_OF"}
PARTIAL_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?\Z")


@pytest.fixture(scope="module")
def eco() -> Ecosystem:
    return generate(NODES, seed=11)


@pytest.fixture(scope="module")
def labels(eco: Ecosystem) -> dict[str, str]:
    return {node["id"]: node["label"] for node in eco.nodes}


def test_same_seed_same_ecosystem(eco: Ecosystem) -> None:
    again = generate(NODES, seed=11)
    assert again.nodes == eco.nodes
    assert again.relationships == eco.relationships


def test_other_seed_other_ecosystem(eco: Ecosystem) -> None:
    other = generate(NODES, seed=12)
    assert [r["to"] for r in other.relationships] != [r["to"] for r in eco.relationships]


@pytest.mark.parametrize(("nodes", "relationships"), [(2000, None), (500, 1234), (300, 50)])
def test_requested_counts(nodes: int, relationships: int | None) -> None:
    eco = generate(nodes, relationships)
    assert len(eco.nodes) == nodes
    assert len(eco.relationships) == (5 * nodes if relationships is None else relationships)
    assert eco.label_counts() == {k: v for k, v in label_sizes(nodes).items() if v}


def test_proportions(eco: Ecosystem) -> None:
    counts = eco.label_counts()
    assert counts["Country"] < counts["Region"] < counts["City"] < counts["Company"]
    assert counts["Person"] > counts["Company"] > counts["Event"] > counts["Hospital"]
    assert counts["Person"] > NODES / 2 and counts["Company"] > NODES / 5
    assert counts["Hospital"] + counts["University"] < NODES / 50
    assert set(counts) == {
        "Country", "Region", "City", "Hospital", "University", "Company",
        "Programme", "Organisation", "Person", "Event",
    }  # fmt: skip


def test_ids_unique_and_slugs(eco: Ecosystem) -> None:
    ids = [n["id"] for n in eco.nodes] + [r["id"] for r in eco.relationships]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)


def test_node_shape(eco: Ecosystem) -> None:
    for node in eco.nodes:
        assert {"label", "id", "name"} <= node.keys()
        if node["label"] not in ("Country", "Event"):
            assert re.fullmatch(r"[A-Z]{2}", node["country"]), node


def test_ends_exist_and_no_self_loops(eco: Ecosystem, labels: dict[str, str]) -> None:
    for rel in eco.relationships:
        assert rel["from"] in labels and rel["to"] in labels, rel
        assert rel["from"] != rel["to"], rel


def test_label_type_pairs_sensible(eco: Ecosystem, labels: dict[str, str]) -> None:
    seen = Counter()
    for rel in eco.relationships:
        start, end = labels[rel["from"]], labels[rel["to"]]
        seen[rel["type"]] += 1
        starts, ends = ENDS.get(rel["type"], (None, None))
        assert starts is None or start in starts, (rel, start, end)
        assert ends is None or end in ends, (rel, start, end)
        if rel["type"] in NO_PEOPLE:
            assert start != "Person" and end != "Person", (rel, start, end)
        if rel["type"] == "AGREEMENT":
            assert not {start, end} & PEOPLE_AND_GATHERINGS, (rel, start, end)
        if rel["type"] == "LOCATED_IN" and start in PLACES:
            assert (start, end) in {("City", "Region"), ("Region", "Country")}, rel
    assert len(seen) >= 13  # every type but perhaps one shows up at this size


def test_geography_is_a_tree(eco: Ecosystem, labels: dict[str, str]) -> None:
    located = Counter(r["from"] for r in eco.relationships if r["type"] == "LOCATED_IN")
    for node_id, label in labels.items():
        if label in ("Region", "City", "Hospital", "University", "Company", "Organisation"):
            assert located[node_id] == 1, node_id


def test_dates_are_partial_iso(eco: Ecosystem) -> None:
    keys = ("signed", "valid_from", "valid_until", "since", "date")
    dates = [rel[k] for rel in eco.relationships for k in keys if k in rel]
    assert len(dates) > len(eco.relationships) / 2
    assert all(isinstance(d, str) and PARTIAL_DATE.match(d) for d in dates)
    lengths = Counter(len(d) for d in dates)
    assert lengths[4] and lengths[7] and lengths[10]  # years, months and full dates
    for rel in eco.relationships:
        if "valid_until" in rel:
            assert rel["valid_until"][:4] > rel["signed"][:4]


def test_degrees_skewed(eco: Ecosystem) -> None:
    degree = Counter()
    for rel in eco.relationships:
        degree[rel["from"]] += 1
        degree[rel["to"]] += 1
    degrees = [degree[n["id"]] for n in eco.nodes]
    median = statistics.median(degrees)
    assert max(degrees) > 20 * median
    assert sorted(degrees)[int(0.99 * len(degrees))] > 4 * median
    for label, factor in (("Company", 10), ("Person", 5), ("Programme", 4)):
        within = [degree[n["id"]] for n in eco.nodes if n["label"] == label]
        assert max(within) > factor * statistics.median(within), label  # hubs, not just labels
    hubs = {n for n, _ in degree.most_common(10)}
    hub_labels = {n.split("-")[0] for n in hubs}
    assert hub_labels & {"city", "programme", "hospital", "university", "company"}


def test_too_few_nodes_refused() -> None:
    with pytest.raises(ValueError):
        generate(10)


def test_every_tie_joins_ends_the_model_allows(eco: Ecosystem, labels: dict[str, str]) -> None:
    problems = {
        ends_problem(rel["type"], labels[rel["from"]], labels[rel["to"]])
        for rel in eco.relationships
    }
    assert problems == {None}
