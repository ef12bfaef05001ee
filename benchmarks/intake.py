"""Intake evaluation: propose the five seed documents' facts and compare them with seeds/.

    python -m benchmarks.intake [--docs DIR]

Run 1 starts from a graph holding only the countries and intakes each document on its own;
its answer key is the seed entities and ties whose ``source`` is that document (countries
aside: they are given). A proposed entity counts when it is a seed entity: matched by id, or
a new name equal (case, accents and spacing aside) or close (the import's matcher, rapidfuzz
ratio >= 90) to a seed entity's name, local name or alias; an event also counts when a seed
event has the same date (to the month at least) and shares a word of its name. A tie counts
when its two ends and its type are those of a seed tie (ends in either order). Precision is
against the whole seed graph: a true fact the curators filed under another document is not
wrong. Run 2 loads the full seeds and intakes the documents again: any new entity that is a
seed entity, or tie already held, is a duplicate. Times are per document, with the sentence
splitting of the same text as the baseline.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import print_table
from graph.intake.documents import first_line
from graph.intake.evidence import is_verbatim
from graph.intake.known import read_lexicon, read_ties
from graph.intake.lexicon import fold
from graph.intake.places import load_gazetteers
from graph.intake.proposals import Proposals, propose
from graph.intake.sentences import split_sentences
from graph.load.loader import load_graph, load_seeds
from graph.load.matching import NameIndex
from graph.load.validation import Seeds, read_seeds
from graph.settings import Settings
from graph.store.backends import open_store
from graph.store.base import Store

ROOT = Path(__file__).resolve().parent.parent
# The five source documents live in ../shared/seeds beside the checkout (or beside the folder
# of checkouts).
DOCS = next(
    (d / "shared" / "seeds" for d in ROOT.parents if (d / "shared" / "seeds").is_dir()),
    ROOT.parent / "shared" / "seeds",
)
TARGETS = {"entity_recall": 0.90, "tie_recall": 0.60, "tie_precision": 0.50}
ARTICLE_WORDS = 2000
TieKey = tuple[frozenset[str], str]


@dataclass
class Score:
    """One document's (or the total's) counts."""

    name: str
    key_entities: int = 0
    found_entities: int = 0
    proposed_entities: int = 0
    right_entities: int = 0
    key_ties: int = 0
    found_ties: int = 0
    proposed_ties: int = 0
    right_ties: int = 0
    quotes: int = 0
    verbatim: int = 0
    seconds: float = 0.0
    baseline_seconds: float = 0.0
    duplicates: int = 0
    missed: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name, value in vars(other).items():
            if isinstance(value, int | float) and name != "name":
                setattr(self, name, getattr(self, name) + value)

    def ratio(self, part: str, whole: str) -> float:
        total = getattr(self, whole)
        return getattr(self, part) / total if total else 1.0


class SeedKey:
    """The seed graph as an answer key: names to ids, ties, and what each source states."""

    def __init__(self, seeds: Seeds) -> None:
        self.names: dict[str, str] = {}
        self.source_of: dict[str, str] = {}
        for entry in seeds.nodes:
            data = entry.data
            self.source_of[data["id"]] = data["source"]
            for name in (data.get("name"), data.get("local_name"), *(data.get("aliases") or [])):
                if name:
                    self.names.setdefault(fold(name), data["id"])
        self.labels = {entry.data["id"]: entry.group for entry in seeds.nodes}
        self.dates = {e.data["id"]: e.data["date"] for e in seeds.nodes if e.data.get("date")}
        self.index = NameIndex(dict(e.data) for e in seeds.nodes)
        self.events = [
            (e.data["id"], e.data["date"], set(fold(e.data["name"]).split()))
            for e in seeds.nodes if e.group == "Event" and e.data.get("date")
        ]  # fmt: skip
        self.ties: dict[TieKey, str] = {}
        for entry in seeds.relationships:
            data = entry.data
            self.ties.setdefault(
                (frozenset((data["from"], data["to"])), entry.group), data["source"]
            )

    def event_id(self, name: str, date: str | None) -> str | None:
        """Return the seed event of the same date (to the month at least) sharing a noun."""
        if not date or len(date) < 7:
            return None
        words = set(fold(name).split()) - {"of", "the", "in", "to", "at", "and"}
        for event_id, seed_date, seed_words in self.events:
            same_day = seed_date.startswith(date) or date.startswith(seed_date)
            if same_day and len(seed_date) >= 7 and words & seed_words:
                return event_id
        return None

    def entity_id(self, names: Iterable[str], date: str | None = None) -> str | None:
        """Return the seed id a proposed name (or alias) stands for, if any; an event of
        another date is another event."""
        for name in names:
            folded = fold(name)
            if folded in self.names:
                return self.names[folded]
        for name in names:
            match = self.index.find(name)
            seed_date = self.dates.get(match.entity_id) if match else None
            if match and (not (date and seed_date) or _same_time(date, seed_date)):
                return match.entity_id
        return None

    def key_entities(self, source: str) -> set[str]:
        return {i for i, s in self.source_of.items() if s == source and self.labels[i] != "Country"}

    def key_ties(self, source: str) -> set[TieKey]:
        return {key for key, s in self.ties.items() if s == source}


def _same_time(one: str, other: str) -> bool:
    return one.startswith(other) or other.startswith(one)


def ids_of(proposals: Proposals, key: SeedKey) -> dict[str, str | None]:
    """Map each proposal's key to the seed id it stands for (None: not a seed entity)."""
    return {
        k: (
            e.key
            if e.matched
            else key.entity_id([e.name, *e.aliases], e.date) or key.event_id(e.name, e.date)
        )
        for k, e in proposals.entities.items()
    }


def score_document(
    name: str, source: str, text: str, store: Store, key: SeedKey
) -> tuple[Score, Proposals]:
    """Intake one document against the store's graph and score it against the key."""
    lexicon = read_lexicon(store)
    started = time.perf_counter()
    proposals = propose(text, lexicon, title=first_line(text), existing_ties=read_ties(store))
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    split_sentences(text)
    baseline = time.perf_counter() - started
    ids = ids_of(proposals, key)
    found = {i for i in ids.values() if i}
    key_entities = key.key_entities(source)
    ties = {
        (frozenset((ids[t.from_key] or "?a", ids[t.to_key] or "?b")), t.type)
        for t in proposals.ties
    }
    key_ties = key.key_ties(source)
    score = Score(
        name=name,
        key_entities=len(key_entities),
        found_entities=len(key_entities & found),
        proposed_entities=len(proposals.entities),
        right_entities=sum(1 for i in ids.values() if i),
        key_ties=len(key_ties),
        found_ties=len(key_ties & ties),
        proposed_ties=len(proposals.ties),
        right_ties=sum(1 for t in ties if t in key.ties),
        quotes=len(proposals.ties),
        verbatim=sum(1 for t in proposals.ties if is_verbatim(t.quote, text)),
        seconds=seconds,
        baseline_seconds=baseline,
        missed=sorted(key_entities - found),
    )
    return score, proposals


def duplicates(proposals: Proposals, store: Store, key: SeedKey) -> int:
    """Count proposals of what the graph already holds: new entities that exist, held ties."""
    ids = ids_of(proposals, key)
    held = {(frozenset((a, b)), t) for a, b, t in read_ties(store)}
    entities = sum(1 for k, e in proposals.entities.items() if not e.matched and ids[k])
    ties = sum(
        1 for t in proposals.ties
        if (frozenset((ids[t.from_key] or "?a", ids[t.to_key] or "?b")), t.type) in held
    )  # fmt: skip
    return entities + ties


def evaluate(store: Store, docs: Path = DOCS) -> tuple[list[Score], list[Score], dict[str, float]]:
    """Run both evaluations; return run 1's scores, run 2's, and the times of the gazetteers'
    load (once per process, before the documents) and of the 2,000-word article."""
    started = time.perf_counter()
    load_gazetteers()
    gazetteers = time.perf_counter() - started
    seeds = read_seeds([ROOT / "seeds"], root=ROOT)
    key = SeedKey(seeds)
    sources = [(e.data["id"], e.data["file"]) for e in seeds.sources]
    countries = [{"label": e.group, **e.data} for e in seeds.nodes if e.group == "Country"]
    store.clear()
    load_graph(store, nodes=countries, relationships=[])
    first = []
    for source, file in sources:
        text = (docs / file).read_text(encoding="utf-8")
        first.append(score_document(file, source, text, store, key)[0])
    store.clear()
    load_seeds(store, seeds)
    second = []
    for source, file in sources:
        text = (docs / file).read_text(encoding="utf-8")
        score, proposals = score_document(file, source, text, store, key)
        score.duplicates = duplicates(proposals, store, key)
        second.append(score)
    article = time_article(store, docs, [f for _, f in sources])
    return first, second, {"gazetteers": gazetteers, "article": article}


def time_article(store: Store, docs: Path, files: list[str]) -> float:
    """Time one 2,000-word article (the documents run together, cut at 2,000 words)."""
    words = " ".join((docs / f).read_text(encoding="utf-8") for f in files).split(" ")
    text = " ".join(words[:ARTICLE_WORDS])
    lexicon = read_lexicon(store)
    ties = read_ties(store)
    started = time.perf_counter()
    propose(text, lexicon, title=first_line(text), existing_ties=ties)
    return time.perf_counter() - started


def total(scores: list[Score]) -> Score:
    result = Score("total")
    for score in scores:
        result.add(score)
    return result


def _share(score: Score, part: str, whole: str) -> str:
    found, of = getattr(score, part), getattr(score, whole)
    return f"{found}/{of} {score.ratio(part, whole):.0%}"


def _of(score: Score, part: str, whole: str) -> str:
    return f"{score.ratio(part, whole):.0%} of {getattr(score, whole)}"


def print_scores(first: list[Score], second: list[Score], times: dict[str, float]) -> None:
    rows = []
    for score in [*first, total(first)]:
        rows.append([
            score.name,
            _share(score, "found_entities", "key_entities"),
            _of(score, "right_entities", "proposed_entities"),
            _share(score, "found_ties", "key_ties"),
            _of(score, "right_ties", "proposed_ties"),
            f"{score.verbatim}/{score.quotes}",
            f"{score.seconds * 1000:.0f} ms",
            f"{score.seconds / score.baseline_seconds:.0f}×" if score.baseline_seconds else "-",
        ])  # fmt: skip
    print("Run 1: from a graph of countries only")
    print_table(
        ["document", "entity recall", "entity precision", "tie recall", "tie precision",
         "verbatim", "time", "× split"],
        rows,
    )  # fmt: skip
    print("\nRun 2: with the full seed graph loaded")
    rows2 = [
        [s.name, s.proposed_entities, s.proposed_ties, s.duplicates, f"{s.seconds * 1000:.0f} ms"]
        for s in [*second, total(second)]
    ]
    print_table(["document", "entities", "ties", "duplicates", "time"], rows2)
    article = times["article"] * 1000
    print(f"\n2,000-word article, full seed graph: {article:.0f} ms (target < 2000 ms)")
    gazetteers = times["gazetteers"] * 1000
    print(f"gazetteer index read once per process, before the runs: {gazetteers:.0f} ms")
    whole = total(first)
    for name, target in TARGETS.items():
        part, of = {"entity_recall": ("found_entities", "key_entities"),
                    "tie_recall": ("found_ties", "key_ties"),
                    "tie_precision": ("right_ties", "proposed_ties")}[name]  # fmt: skip
        value = whole.ratio(part, of)
        verdict = "met" if value >= target else "NOT MET"
        print(f"{name:<15}{value:>6.0%}  target ≥ {target:.0%}  {verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=Path, default=DOCS, help="folder of the seed documents")
    parser.add_argument("--missed", action="store_true", help="list the key entities missed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as data_dir:
        with open_store(Settings(data_dir=Path(data_dir), graph_name="intake")) as store:
            first, second, times = evaluate(store, args.docs)
    print_scores(first, second, times)
    if args.missed:
        for score in first:
            print(score.name, ", ".join(score.missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
