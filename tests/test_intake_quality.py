"""The intake evaluation on the five seed documents (python -m benchmarks.intake prints it)."""

from __future__ import annotations

import pytest

from benchmarks.intake import DOCS, TARGETS, evaluate, total

pytestmark = pytest.mark.skipif(not DOCS.is_dir(), reason="the seed documents are not here")


@pytest.fixture(scope="module")
def scores(embedded):
    first, second, article = evaluate(embedded)
    embedded.clear()
    return total(first), total(second), article


def test_every_quote_is_verbatim(scores):
    first, second, _ = scores
    assert first.quotes > 100
    assert first.verbatim == first.quotes and second.verbatim == second.quotes


def test_nothing_already_in_the_graph_is_proposed_again(scores):
    assert scores[1].duplicates == 0


def test_recall_and_precision_do_not_fall_below_what_they_reach(scores):
    first = scores[0]
    assert first.ratio("found_entities", "key_entities") >= 0.85
    assert first.ratio("found_ties", "key_ties") >= 0.28
    assert first.ratio("right_ties", "proposed_ties") >= 0.40


@pytest.mark.xfail(strict=True, reason="tie recall is about 30%: most key ties need coreference")
def test_tie_recall_meets_its_target(scores):
    assert scores[0].ratio("found_ties", "key_ties") >= TARGETS["tie_recall"]


@pytest.mark.xfail(strict=True, reason="tie precision is about 43%")
def test_tie_precision_meets_its_target(scores):
    assert scores[0].ratio("right_ties", "proposed_ties") >= TARGETS["tie_precision"]


@pytest.mark.xfail(strict=True, reason="entity recall is about 86-87%: descriptive event names")
def test_entity_recall_meets_its_full_target(scores):
    assert scores[0].ratio("found_entities", "key_entities") >= TARGETS["entity_recall"]
