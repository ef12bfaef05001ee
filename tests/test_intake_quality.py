"""The intake evaluation on the five seed documents (python -m benchmarks.intake prints it)."""

from __future__ import annotations

import os

import pytest

from benchmarks.intake import DOCS, TARGETS, evaluate, total

pytestmark = pytest.mark.skipif(
    not DOCS.is_dir() and not os.environ.get("CI"), reason="the seed documents are not here"
)


@pytest.fixture(scope="module")
def scores(embedded):
    first, second, _ = evaluate(embedded)
    embedded.clear()
    return total(first), total(second)


def test_every_quote_is_verbatim(scores):
    first, second = scores
    assert first.quotes > 100
    assert first.verbatim == first.quotes and second.verbatim == second.quotes


def test_nothing_already_in_the_graph_is_proposed_again(scores):
    assert scores[1].duplicates == 0


def test_entity_recall_meets_its_target(scores):
    assert scores[0].ratio("found_entities", "key_entities") >= TARGETS["entity_recall"]


def test_tie_precision_meets_its_target(scores):
    assert scores[0].ratio("right_ties", "proposed_ties") >= TARGETS["tie_precision"]


def test_tie_recall_meets_its_target(scores):
    assert scores[0].ratio("found_ties", "key_ties") >= TARGETS["tie_recall"]
