"""Search on Neo4j, checked in real Lucene set up as Neo4j sets up its full-text index.

The documents are the seed entities' ``search_text`` (what the loader stores and Neo4j's
``entity_search`` index analyses); the queries are what :meth:`Neo4jDialect.fulltext_terms`
makes of what people type. FalkorDB's answers on the same seeds are the reference.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.explore.search import search
from graph.library.saved_queries import load_library
from graph.load.validation import read_seeds
from graph.store.dialect import NEO4J, search_text
from graph.store.neo4j_store import EXPLAIN, Neo4jStore
from tests.bolt_stub import BoltStub, Reply
from tests.lucene_harness import Answer, run_lucene, tokens

ROOT = Path(__file__).resolve().parent.parent
LATIN_AND_NORDIC = [
    ("oulu", "oulu"),
    ("tohoku", "tohoku-university-hospital"),
    ("tohuku", "tohoku-university-hospital"),
    ("universitetssykehus", None),
    ("aalborg univ", "aalborg-university"),
    ("Løvbakken", "eirik-lovbakken"),
    ("Høgetveit", "jan-olav-hogetveit"),
    ("kontrolltårn", "kontrolltarn"),
    ("Österreich", "austria"),
    ("Seppänen", "joanna-seppanen"),
    ("oys", None),
]
JAPANESE = [
    ("仙台", "sendai"),
    ("仙台市", "sendai"),
    ("東北大学", "tohoku-university-hospital"),
    ("東北大学病院", "tohoku-university-hospital"),
    ("東京", "tokyo"),
    ("日本", "japan"),
    ("日本貿易振興機構", "jetro"),
    ("神奈川県", "kanagawa-prefecture"),
    ("神奈川", "kanagawa-prefecture"),
    ("東北大学 hospital", "tohoku-university-hospital"),
]
HOSTILE = [
    '"oulu',
    "oulu)",
    "AND",
    "a/b",
    "oulu!",
    "-x",
    "foo:bar",
    "[oulu TO x]",
    "/oul.*/",
    "oulu~0.1",
    "oul?",
    "*",
    "oulu^10",
    "NOT oulu",
    "oulu || x",
    "{a TO z}",
    "\\",
]


@pytest.fixture(scope="module")
def seed_documents() -> tuple[list[str], list[str]]:
    """The seed entities' ids and search texts, in the same order."""
    seeds = read_seeds([ROOT / "seeds"], root=ROOT)
    ids = [entry.data["id"] for entry in seeds.nodes]
    return ids, [search_text(entry.data) for entry in seeds.nodes]


@pytest.fixture(scope="module")
def lucene(seed_documents) -> dict[str, Answer]:
    """Lucene's answer to the Neo4j terms of every word these tests type, in one run."""
    typed = [w for w, _ in JAPANESE + LATIN_AND_NORDIC] + HOSTILE
    terms = sorted({NEO4J.fulltext_terms(w) for w in typed} - {""})
    return dict(zip(terms, run_lucene(seed_documents[1], terms), strict=True))


def neo4j_hits(documents, lucene, words: list[str]) -> list[set[str]]:
    ids = documents[0]
    found = []
    for word in words:
        answer = lucene[NEO4J.fulltext_terms(word)]
        assert answer.error is None, f"{word!r}: {answer.error}"
        found.append({ids[i] for i in answer.hits})
    return found


def test_the_analyzer_cuts_han_into_single_characters():
    assert tokens("東北大学病院 Tohoku") == ["東", "北", "大", "学", "病", "院", "tohoku"]


@pytest.mark.parametrize(("words", "expected"), JAPANESE)
def test_japanese_names_are_found(seed_documents, lucene, words, expected):
    [hits] = neo4j_hits(seed_documents, lucene, [words])
    assert expected in hits


@pytest.mark.parametrize(("words", "expected"), LATIN_AND_NORDIC)
def test_latin_and_nordic_names_are_found(seed_documents, lucene, words, expected):
    [hits] = neo4j_hits(seed_documents, lucene, [words])
    assert hits, f"{words!r} finds nothing"
    if expected:
        assert expected in hits


def test_neo4j_finds_what_falkordb_ranks_first(seeded, seed_documents, lucene):
    words = [w for w, _ in JAPANESE + LATIN_AND_NORDIC]
    for word, hits in zip(words, neo4j_hits(seed_documents, lucene, words), strict=True):
        best = search(seeded, word, limit=1)
        assert best, f"FalkorDB finds nothing for {word!r}"
        assert best[0]["id"] in hits, f"{word!r}: Neo4j misses {best[0]['id']}"


@pytest.mark.parametrize("typed", HOSTILE)
def test_no_search_syntax_reaches_lucene(lucene, typed):
    terms = NEO4J.fulltext_terms(typed)
    if not terms:
        return  # no word of two letters: search answers nothing without asking the index
    answer = lucene[terms]
    assert answer.error is None, answer.error
    for term in re.findall(r'search_text:("[^"]*"|[^\s()]+)', answer.parsed):
        assert re.fullmatch(r'"[^"]+"|\w+(\*|~1)?', term), f"{typed!r} became {answer.parsed!r}"
    skeleton = re.sub(r'search_text:("[^"]*"|[^\s()]+)', "", answer.parsed)
    assert set(skeleton) <= set("+() "), f"{typed!r} became {answer.parsed!r}"


def test_find_by_name_sends_neo4j_a_query_lucene_parses(tmp_path, settings, seed_documents):
    """The saved query's Neo4j twin: hostile words arrive as a parseable, plain query."""
    sent: list[str] = []

    def record(query: str, params: dict) -> Reply:
        if not query.startswith(EXPLAIN) and "words" in params:
            sent.append(params["words"])
        return Reply(summary={"type": "r"})

    library = load_library(ROOT / "queries")
    with BoltStub(record) as stub:
        store = Neo4jStore(settings.but(graph=stub.url))
        try:
            for typed in ['"oulu', "oulu)", "AND oulu", "a/b oulu", "仙台"]:
                library.get("find-by-name").run(store, {"words": typed})
        finally:
            store.close()
    answers = run_lucene(seed_documents[1], sent)
    assert [a.error for a in answers] == [None] * len(sent)
    assert all(a.hits for a in answers), list(zip(sent, answers, strict=True))


@pytest.mark.parametrize("typed", ['"oulu', "oulu)", "oulu!", "[oulu]", "/oulu/"])
def test_find_by_name_on_falkordb_takes_the_same_words(seeded, typed):
    rows = load_library(ROOT / "queries").get("find-by-name").run(seeded, {"words": typed}).rows
    assert "oulu" in [row["node"].properties["id"] for row in rows]
