"""Edits and their history on the real embedded FalkorDB: apply, review, revert, seeds."""

from __future__ import annotations

import json

import pytest

from graph.edit.apply import apply_edit, propose_edit
from graph.edit.changes import Edit, Evidence
from graph.edit.facts import read_entity, read_tie
from graph.edit.history import entity_history, pending, recent_changes
from graph.edit.revert import revert
from graph.edit.review import approve, reject, submit
from graph.edit.roles import Actor
from graph.errors import ConflictError, InvalidEditError, NotAllowedError
from graph.explore.entities import get_entity
from graph.explore.search import search
from graph.load.loader import load_seeds
from graph.load.validation import read_seeds
from tests.edit_helpers import ROOT, SOURCE, reseed, revision_count

EDITOR = Actor("erin", "editor")
CONTRIBUTOR = Actor("carl", "contributor")
EV = Evidence(source=SOURCE, quote="A quote from the source.")


@pytest.fixture
def graph(embedded):
    reseed(embedded)
    return embedded


def describe(entity_id: str, text: str, version: int | None = None) -> Edit:
    return Edit("update", "entity", "City", id=entity_id, values={"description": text},
                base_version=version, evidence=EV)  # fmt: skip


def agreement(a: str = "oulu", b: str = "vantaa") -> Edit:
    evidence = Evidence(new_title="Press release", new_url="https://example.org/p",
                        quote="They signed a letter of intent.")  # fmt: skip
    values = {"kind": "letter of intent", "signed": "2026"}
    return Edit("create", "tie", "AGREEMENT", values=values, ends=(a, b), evidence=evidence)


def test_the_seed_load_is_recorded_as_revisions_by_seed(graph):
    row = graph.read(
        "MATCH (r:Revision) RETURN count(r) AS n, collect(DISTINCT r.author) AS authors, "
        "min(r.version) AS low, max(r.version) AS high, count(r.quote) AS quoted"
    ).rows[0]
    entities = graph.read("MATCH (n:Entity) RETURN count(n) AS n").value()
    ties = graph.read("MATCH (:Entity)-[t]->(:Entity) RETURN count(t) AS n").value()
    assert row == {"n": entities + ties, "authors": ["seed"], "low": 1, "high": 1,
                   "quoted": entities + ties}  # fmt: skip
    assert recent_changes(graph, limit=5, via="seed")[0]["author"] == "seed"


def test_an_editors_change_applies_with_a_field_by_field_revision(graph):
    before = revision_count(graph)
    result = submit(graph, describe("oulu", "Edited description", 1), EDITOR)
    assert result["status"] == "applied" and result["version"] == 2
    fact = read_entity(graph, "oulu")
    assert fact.props["description"] == "Edited description" and fact.version == 2
    assert fact.props["edited_by"] == "erin"
    assert revision_count(graph) == before + 1
    latest = entity_history(graph, "oulu")[0]
    change = next(c for c in latest["changes"] if c["field"] == "description")
    assert change["old"].startswith("Finnish city") and change["new"] == "Edited description"
    assert (latest["author"], latest["source"], latest["version"]) == ("erin", SOURCE, 2)


def test_a_contributors_change_waits_for_review_then_applies(graph):
    result = submit(graph, agreement(), CONTRIBUTOR)
    assert result["status"] == "pending"
    assert read_tie(graph, "AGREEMENT", result["fact_id"]) is None
    assert [p["id"] for p in pending(graph)] == [result["id"]]
    with pytest.raises(NotAllowedError):
        approve(graph, result["id"], Actor("carl", "editor"))  # nobody reviews their own
    approve(graph, result["id"], EDITOR)
    tie = read_tie(graph, "AGREEMENT", result["fact_id"])
    assert tie is not None and tie.props["kind"] == "letter of intent" and tie.version == 1
    assert graph.read("MATCH (s:Source {title: 'Press release'}) RETURN count(s) AS n").value() == 1
    step = entity_history(graph, "vantaa")[0]
    assert (step["author"], step["reviewer"], step["status"]) == ("carl", "erin", "applied")
    assert step["proposed_at"] and step["reviewed_at"]
    with pytest.raises(ConflictError):
        approve(graph, result["id"], EDITOR)  # applied once


def test_a_rejected_change_stays_in_history_and_changes_nothing(graph):
    result = submit(graph, describe("oulu", "Proposed"), CONTRIBUTOR)
    reject(graph, result["id"], EDITOR, "no source says so")
    assert read_entity(graph, "oulu").props["description"] != "Proposed"
    assert entity_history(graph, "oulu")[0]["status"] == "rejected"


def test_revert_undoes_a_created_tie_and_an_update(graph):
    created = submit(graph, agreement(), EDITOR)
    undone = revert(graph, created["id"], EDITOR, "wrong parties")
    assert read_tie(graph, "AGREEMENT", created["fact_id"]) is None
    assert entity_history(graph, "oulu")[0]["reverts"] == created["id"]
    old = read_entity(graph, "oulu").props["description"]
    changed = submit(graph, describe("oulu", "New"), EDITOR)
    revert(graph, changed["id"], EDITOR)
    assert read_entity(graph, "oulu").props["description"] == old
    assert undone["version"] == 2


def test_retire_takes_an_entity_and_its_ties_out_of_views_and_revert_restores_them(graph):
    ties_before = get_entity(graph, "sendai")["ties_total"]
    retired = submit(graph, Edit("retire", "entity", "City", id="sendai", evidence=EV), EDITOR)
    assert get_entity(graph, "sendai") is None
    assert not [h for h in search(graph, "sendai") if h["id"] == "sendai"]
    kept = json.loads(entity_history(graph, "sendai")[0]["before"])
    assert len(kept["ties"]) == ties_before
    revert(graph, retired["id"], EDITOR)
    assert get_entity(graph, "sendai")["ties_total"] == ties_before


def test_a_stale_version_is_a_conflict_and_writes_nothing(graph):
    submit(graph, describe("oulu", "First", 1), EDITOR)
    before = revision_count(graph)
    with pytest.raises(ConflictError) as caught:
        submit(graph, describe("oulu", "Second", 1), Actor("eddy", "editor"))
    assert caught.value.current["description"] == "First"
    assert read_entity(graph, "oulu").props["description"] == "First"
    assert revision_count(graph) == before


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"country": "Finland"}, "country", "'Finland' is not an ISO 3166 alpha-2 code such as FI"),
        ({"start": "2026-13"}, "start", "'2026-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ({"name": None}, "name", "is required"),
        ({"colour": "red"}, "colour", "not a field people edit"),
    ],
)
def test_bad_values_are_refused_naming_the_field(graph, values, field, message):
    edit = Edit("update", "entity", "City", id="oulu", values=values, evidence=EV)
    with pytest.raises(InvalidEditError) as caught:
        submit(graph, edit, EDITOR)
    assert caught.value.problems[field].startswith(message)


def test_a_change_without_source_or_quote_is_refused(graph):
    edit = Edit("update", "entity", "City", id="oulu", values={"description": "x"})
    with pytest.raises(InvalidEditError) as caught:
        submit(graph, edit, EDITOR)
    assert set(caught.value.problems) == {"source", "evidence"}


def test_confirm_records_last_verified_without_a_change(graph):
    result = apply_edit(graph, Edit("confirm", "entity", "City", id="oulu"), EDITOR)
    fact = read_entity(graph, "oulu")
    assert fact.props["verified_by"] == "erin" and fact.props["verified_at"]
    assert result["version"] == fact.version == 1


def test_seed_after_edits_keeps_them_and_lists_conflicts(graph):
    submit(graph, describe("oulu", "Kept by a person"), EDITOR)
    tie_id = "collab-tohoku-oys-smart-hospital"
    retire = Edit("retire", "tie", "COLLABORATES_WITH", id=tie_id, evidence=EV)
    submit(graph, retire, EDITOR)
    proposal = propose_edit(graph, describe("sendai", "Waiting"), CONTRIBUTOR)
    summary = load_seeds(graph, read_seeds([ROOT / "seeds"], root=ROOT))
    assert read_entity(graph, "oulu").props["description"] == "Kept by a person"
    assert read_tie(graph, "COLLABORATES_WITH", tie_id) is None
    assert summary.total("kept") == 2 and summary.total("created") == 0
    assert summary.total("updated") == 0
    assert any(
        line.startswith("City oulu: the load differs in description") for line in summary.conflicts
    )
    assert any(
        line.startswith(f"COLLABORATES_WITH {tie_id}: a person retired it")
        for line in summary.conflicts
    )
    assert [p["id"] for p in pending(graph)] == [proposal["id"]]


def test_ecomap_seed_after_edits_keeps_them_and_prints_the_conflicts(tmp_path):
    from graph.settings import Settings
    from graph.store.backends import open_store
    from tests.test_edit_faults import ecomap

    data_dir = tmp_path / "data"
    assert ecomap(data_dir, "seed").returncode == 0
    with open_store(Settings(data_dir=data_dir)) as store:
        submit(store, describe("oulu", "Kept by a person"), EDITOR)
    done = ecomap(data_dir, "seed")
    assert done.returncode == 0, done.stderr
    assert "0 created, 0 updated" in done.stdout and "1 kept as people edited them" in done.stdout
    assert "1 conflicts (people's edits kept):" in done.stderr
    assert (
        "City oulu: the load differs in description, source, evidence; kept the edit by erin"
        in done.stderr
    )
    with open_store(Settings(data_dir=data_dir)) as store:
        assert read_entity(store, "oulu").props["description"] == "Kept by a person"
