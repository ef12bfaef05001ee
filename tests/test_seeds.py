"""The seed data, its validation and its all-or-nothing, idempotent load."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import QueryError, SeedError
from graph.load.loader import load_graph, load_seeds
from graph.load.validation import read_seeds
from tests.conftest import digest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BROKEN = ROOT / "tests" / "data" / "broken"


def read(*paths: Path):
    return read_seeds(list(paths), root=ROOT)


def test_seed_data_validates():
    seeds = read(SEEDS)
    assert len(seeds.sources) == 5
    assert len(seeds.nodes) > 100 and len(seeds.relationships) > 200


def test_loading_twice_changes_nothing(empty_store):
    seeds = read(SEEDS)
    first = load_seeds(empty_store, seeds)
    counts, before = empty_store.counts(), digest(empty_store)
    second = load_seeds(empty_store, seeds)
    assert first.total("created") == len(seeds)
    assert (second.total("created"), second.total("updated")) == (0, 0)
    assert second.total("unchanged") == len(seeds)
    assert empty_store.counts() == counts
    assert digest(empty_store) == before


def test_counts_match_the_files(empty_store):
    seeds = read(SEEDS)
    load_seeds(empty_store, seeds)
    counts = empty_store.counts()
    assert counts["nodes"]["Entity"] == len(seeds.nodes)
    assert counts["nodes"]["Source"] == len(seeds.sources)
    assert sum(counts["relationships"].values()) == len(seeds.relationships)


BROKEN_CASES = {
    "yaml_syntax.yaml": "broken/yaml_syntax.yaml:5: YAML syntax error: "
    "mapping values are not allowed in this context",
    "unknown_label.yaml": "broken/unknown_label.yaml: field 'label': unknown label 'Citty' "
    "(known: City, Region, Country, Hospital, University, Company, Programme, Organisation, "
    "Person, Event, Document, Agreement)",
    "unknown_type.yaml": "broken/unknown_type.yaml: field 'type': unknown type 'KNOWS' (known: "
    "AGREEMENT, PARTNER_IN, MEMBER_OF, FUNDS, LOCATED_IN, WORKS_AT, PARTICIPATED_IN, VISITED, "
    "ORGANISED, COLLABORATES_WITH, FOUNDED, COORDINATES, PART_OF, BASED_ON, AUTHORED, "
    "PRESENTED_AT, PARTY_TO, HOSTS)",
    "missing_id.yaml": "broken/missing_id.yaml:3: entry 1, field 'id': is required",
    "missing_name.yaml": "broken/missing_name.yaml:3: entry 1 (nameless-oy), field 'name': "
    "is required",
    "duplicate_id.yaml": "broken/duplicate_id.yaml:3: entry 1 (oulu), field 'id': duplicate id "
    "'oulu', first used at seeds/cities.yaml:3: entry 1 (oulu)",
    "unknown_reference.yaml": "broken/unknown_reference.yaml:5: entry 1 (agr-oulu-atlantis), "
    "field 'to': 'atlantis' is not the id of any node",
    "bad_month.yaml": "broken/bad_month.yaml:7: entry 1 (agr-bad-month), field 'signed': "
    "'2019-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "bad_day.yaml": "broken/bad_day.yaml:5: entry 1 (evt-leap), field 'date': '2019-02-29' is "
    "not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "aliases_not_a_list.yaml": "broken/aliases_not_a_list.yaml:5: entry 1 (espoo-hospital), "
    "field 'aliases': expected a list of text, got text 'EH'",
    "amount_not_a_number.yaml": "broken/amount_not_a_number.yaml:6: entry 1 (funds-lots), "
    "field 'amount': expected a number, got text 'a lot'",
    "unknown_field.yaml": "broken/unknown_field.yaml:4: entry 1 (espoo), field 'nmae': unknown "
    "field (allowed: id, name, local_name, aliases, country, sectors, description, date, start, "
    "end, budget, currency, source, evidence, evidence_en, note, certainty, status, recurrence)",
    "country_read_as_false.yaml": "broken/country_read_as_false.yaml:5: entry 1 (bergen), "
    "field 'country': expected text, got a boolean False (quote it: \"NO\" reads as false in "
    "YAML)",
    "renews_not_an_agreement.yaml": "broken/renews_not_an_agreement.yaml:7: entry 1 "
    "(agr-renews-wrong), field 'renews': 'oulu' is not the id of any AGREEMENT",
    "unknown_source.yaml": "broken/unknown_source.yaml:6: entry 1 (espoo), field 'source': "
    "'src-nowhere' is not the id of any source",
    "entries_not_a_list.yaml": "broken/entries_not_a_list.yaml:2: 'nodes' must be a list of "
    "entries",
    "no_translation.yaml": "broken/no_translation.yaml:7: entry 1 (health2b-copy), field "
    "'evidence': the source is in 'no'; add evidence_en",
}


_LOADED: dict[str, str] = {}


@pytest.fixture
def seeds_digest(embedded) -> str:
    """Return the digest of the embedded store holding the seeds, loading them unless it does."""
    current = digest(embedded)
    if current != _LOADED.get("seeds"):
        embedded.clear()
        load_seeds(embedded, read(SEEDS))
        current = _LOADED["seeds"] = digest(embedded)
    return current


@pytest.mark.parametrize(("name", "message"), sorted(BROKEN_CASES.items()))
def test_broken_file_is_reported_and_nothing_is_written(embedded, seeds_digest, name, message):
    with pytest.raises(SeedError) as caught:
        load_seeds(embedded, read(SEEDS, BROKEN / name))
    assert caught.value.problems == ["tests/data/" + message]
    assert digest(embedded) == seeds_digest


def test_every_problem_in_a_file_is_reported_at_once():
    with pytest.raises(SeedError) as caught:
        read(SEEDS, BROKEN / "many_problems.yaml")
    prefix = "tests/data/broken/many_problems.yaml"
    assert caught.value.problems == [
        f"{prefix}:2: entry 3: expected a mapping of fields, got 'just text'",
        f"{prefix}:3: entry 1 (Bad Id), field 'id': 'Bad Id' is not a slug "
        "(lower-case letters, digits and '-')",
        f"{prefix}:5: entry 1 (Bad Id), field 'country': 'Finland' is not an ISO 3166 alpha-2 "
        "code such as FI",
        f"{prefix}:8: entry 2 (fine-oy), field 'evidence': is required",
        f"{prefix}:11: entry 2 (fine-oy), field 'sectors': expected a list of text, "
        "got text 'health'",
    ]
    assert str(caught.value).startswith("5 problems in the seed files:")


def test_a_failure_during_the_load_rolls_everything_back(empty_store):
    load_seeds(empty_store, read(SEEDS))
    before = digest(empty_store)
    good = [{"label": "Company", "id": f"new-{i}", "name": f"New {i}"} for i in range(25)]
    bad = {"label": "Company", "id": "nested", "name": "Nested", "sectors": [{"not": "flat"}]}
    with pytest.raises(QueryError):
        load_graph(empty_store, nodes=[*good, bad], relationships=[], batch_size=10)
    assert digest(empty_store) == before


def test_markup_in_names_is_data_stored_verbatim(empty_store, tmp_path):
    (tmp_path / "odd.yaml").write_text(
        "label: Company\n"
        "nodes:\n"
        "  - id: odd-oy\n"
        "    name: \"<script>alert('x')</script> {{ 7*7 }} Oy\"\n"
        '    aliases: ["{% raw %}", "<b>bold</b>"]\n'
        "    country: FI\n"
        "    source: src-forum-virium-cohewe\n"
        '    evidence: "The cities participating in the CoHeWe project"\n',
        encoding="utf-8",
    )
    load_seeds(empty_store, read(SEEDS, tmp_path / "odd.yaml"))
    node = empty_store.read("MATCH (n:Entity {id: 'odd-oy'}) RETURN n").value()
    assert node.properties["name"] == "<script>alert('x')</script> {{ 7*7 }} Oy"
    assert node.properties["aliases"] == ["{% raw %}", "<b>bold</b>"]


def test_an_edited_entry_is_updated(empty_store, tmp_path):
    seeds = read(SEEDS)
    load_seeds(empty_store, seeds)
    edited = next(e for e in seeds.relationships if e.id == "agr-oulu-sendai-coincubation-2005")
    edited.data["description"] = "changed"
    edited.data["to"] = "oulu-university-hospital"
    summary = load_seeds(empty_store, seeds)
    assert summary.total("updated") == 1 and summary.total("created") == 0
    rows = empty_store.read(
        "MATCH (a)-[r:AGREEMENT {id: 'agr-oulu-sendai-coincubation-2005'}]->(b) "
        "RETURN b.id AS to, r.description AS description"
    ).rows
    assert rows == [{"to": "oulu-university-hospital", "description": "changed"}]
