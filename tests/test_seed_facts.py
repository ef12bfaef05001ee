"""Spot checks: facts the source documents state are in the seeded graph, with evidence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT.parent / "shared" / "tools" / "check_evidence.py"

CHAIN = (
    "MATCH (a:Entity {id: $a})-[r:AGREEMENT]-(b:Entity {id: $b}) "
    "RETURN r.id AS id, r.kind AS kind, r.signed AS signed, r.valid_until AS until, "
    "r.renews AS renews ORDER BY r.signed"
)


def agreements(store, a: str, b: str) -> list[dict]:
    return store.read(CHAIN, {"a": a, "b": b}).rows


def test_oulu_sendai_co_incubation_chain_since_2005(seeded):
    rows = agreements(seeded, "oulu", "sendai")
    assert [r["signed"] for r in rows] == ["2005", "2014", "2019-11-13", "2025-01-14"]
    assert rows[0]["kind"] == "co-incubation agreement" and rows[0]["renews"] is None
    assert [r["renews"] for r in rows[1:]] == [r["id"] for r in rows[:-1]]
    assert rows[-1]["until"] == "2030"


def test_hospital_memorandum_of_2020_and_its_renewal(seeded):
    rows = agreements(seeded, "oulu-university-hospital", "tohoku-university-hospital")
    assert [(r["kind"], r["signed"]) for r in rows] == [
        ("memorandum of understanding", "2020"),
        ("memorandum of understanding", "2025-01-14"),
    ]
    assert rows[1]["renews"] == rows[0]["id"]


def test_oulu_kanagawa_memorandum(seeded):
    rows = agreements(seeded, "oulu", "kanagawa-prefecture")
    assert [(r["kind"], r["signed"]) for r in rows] == [
        ("memorandum of understanding", "2019-11-14")
    ]


def test_life_science_city_aalborg_partnership_of_25_june_2024(seeded):
    rows = seeded.read(
        "MATCH (p:Entity)-[r:PARTNER_IN]->(:Programme {id: 'life-science-city-aalborg'}) "
        "RETURN p.id AS partner, r.since AS since ORDER BY partner"
    ).rows
    assert rows == [
        {"partner": "aalborg", "since": "2024-06-25"},
        {"partner": "aalborg-university", "since": "2024-06-25"},
        {"partner": "region-nordjylland", "since": "2024-06-25"},
    ]


@pytest.mark.parametrize(
    ("person", "organisation"),
    [
        ("ilkka-juuso", "cerenion"),
        ("miia-turpeinen", "oulu-university-hospital"),
        ("teiji-tominaga", "tohoku-university-hospital"),
        ("mads-duedahl", "region-nordjylland"),
    ],
)
def test_people_work_where_the_documents_say(seeded, person, organisation):
    rows = seeded.read(
        "MATCH (:Person {id: $p})-[r:WORKS_AT]->(o:Entity {id: $o}) RETURN r.role AS role",
        {"p": person, "o": organisation},
    ).rows
    assert rows and rows[0]["role"]


def test_every_node_and_tie_carries_its_evidence(seeded):
    missing = seeded.read(
        "MATCH (n:Entity) WHERE n.source IS NULL OR n.evidence IS NULL RETURN n.id AS id "
        "UNION MATCH ()-[r]->() WHERE r.source IS NULL OR r.evidence IS NULL RETURN r.id AS id"
    ).rows
    assert missing == []


def test_norwegian_and_danish_evidence_is_translated(seeded):
    rows = seeded.read(
        "MATCH (s:Source) WHERE s.language <> 'en' WITH collect(s.id) AS foreign "
        "MATCH (n:Entity) WHERE n.source IN foreign AND n.evidence_en IS NULL RETURN n.id AS id"
    ).rows
    assert rows == []


@pytest.mark.skipif(not CHECKER.exists(), reason="shared/tools is not beside the project")
def test_every_quote_is_verbatim_in_its_document():
    done = subprocess.run(
        [sys.executable, str(CHECKER), str(ROOT)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "quotes verified" in done.stdout
