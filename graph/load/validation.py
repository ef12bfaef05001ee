"""Validating seed entries against the model; every problem is collected, with where it is."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import SeedError
from graph.load.seed_files import Entry, SeedFile, read_seed_file, seed_paths
from graph.model import (
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    FieldProblem,
    entity_problems,
    source_problems,
    tie_problems,
)
from graph.store.params import MAX_INT, MIN_INT, is_text

GROUPS = {"source": ("Source",), "node": NODE_LABELS, "relationship": RELATIONSHIP_TYPES}


@dataclass
class Seeds:
    """Validated seed entries, ready to load."""

    sources: list[Entry] = field(default_factory=list)
    nodes: list[Entry] = field(default_factory=list)
    relationships: list[Entry] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sources) + len(self.nodes) + len(self.relationships)


def read_seeds(paths: list[Path], root: Path | None = None) -> Seeds:
    """Read and validate seed files; raise :class:`SeedError` listing every problem."""
    files = seed_paths(paths)
    if not files:
        raise SeedError([f"no seed files (*.yaml) found in {', '.join(map(str, paths))}"])
    parsed = [read_seed_file(path, _shown(path, root)) for path in files]
    problems = [problem for seed_file in parsed for problem in seed_file.problems]
    seeds, entry_problems = validate_entries(parsed)
    problems += entry_problems
    if problems:
        raise SeedError(problems)
    return seeds


def _shown(path: Path, root: Path | None) -> str:
    try:
        return str(path.resolve().relative_to((root or Path.cwd()).resolve()))
    except ValueError:
        return str(path)


def validate_entries(files: list[SeedFile]) -> tuple[Seeds, list[str]]:
    """Check every entry's group, fields and values, then ids and references across files."""
    seeds, problems = Seeds(), []
    for seed_file in files:
        for entry in seed_file.entries:
            getattr(seeds, entry.kind + "s").append(entry)
    labels = {e.id: e.group for e in seeds.nodes if isinstance(e.id, str)}
    for seed_file in files:
        for entry in seed_file.entries:
            problems += _check_entry(entry, labels)
    problems += _check_ids_and_references(seeds)
    return seeds, problems


def _check_entry(entry: Entry, labels: dict[str, str]) -> list[str]:
    if entry.group not in GROUPS[entry.kind]:
        known = ", ".join(GROUPS[entry.kind])
        what = "label" if entry.kind == "node" else "type"
        message = f"{entry.file}: field '{what}': unknown {what} '{entry.group}' (known: {known})"
        return [message] if entry.index == 1 else []
    if entry.kind == "node":
        found = entity_problems(entry.group, entry.data)
    elif entry.kind == "relationship":
        found = tie_problems(entry.group, entry.data, labels.get)
    else:
        found = source_problems(entry.data)
    return [_located(entry, problem) for problem in found] + _value_problems(entry)


def _value_problems(entry: Entry) -> list[str]:
    """Values no database stores: .nan and .inf, whole numbers past 64 bits, half characters."""
    problems = []
    for key, value in entry.data.items():
        for item in value if isinstance(value, list) else [value]:
            problem = _unstorable(item)
            if problem:
                problems.append(f"{entry.where(str(key))}: {problem}")
                break
    return problems


def _unstorable(value: object) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        shown = ".nan" if math.isnan(value) else ("-.inf" if value < 0 else ".inf")
        return f"{shown} is not a number a database stores"
    if isinstance(value, int) and not isinstance(value, bool) and not MIN_INT <= value <= MAX_INT:
        return f"{value} is beyond the 64-bit whole numbers a database stores"
    if isinstance(value, str) and not is_text(value):
        return "contains a lone surrogate (half of a character), which is not text"
    return None


def _located(entry: Entry, problem: FieldProblem) -> str:
    return f"{entry.where(problem.field)}: {problem.message}"


def _check_ids_and_references(seeds: Seeds) -> list[str]:
    problems: list[str] = []
    seen: dict[str, Entry] = {}
    for entry in seeds.sources + seeds.nodes + seeds.relationships:
        if not isinstance(entry.id, str) or not entry.id:
            continue
        first = seen.setdefault(entry.id, entry)
        if first is not entry:
            problems.append(
                f"{entry.where('id')}: duplicate id '{entry.id}', first used at {first.where()}"
            )
    sources = {e.id: e for e in seeds.sources}
    nodes = {e.id for e in seeds.nodes}
    agreements = {e.id for e in seeds.relationships if e.group == "AGREEMENT"}
    types = {e.id: e.group for e in seeds.relationships if isinstance(e.id, str)}
    for entry in seeds.nodes + seeds.relationships:
        problems += _reference_problems(entry, sources, nodes, agreements)
        problems += _successor_problems(entry, types)
    return problems + _renewal_cycles(seeds)


def _renewal_cycles(seeds: Seeds) -> list[str]:
    """An agreement cannot (through others) renew itself: renewals run forward in time."""
    renews = {
        e.id: e
        for e in seeds.relationships
        if e.group == "AGREEMENT"
        and isinstance(e.id, str)
        and isinstance(e.data.get("renews"), str)
    }
    problems, reported = [], set()
    for start in renews:
        chain, current = [start], renews[start].data["renews"]
        while current in renews and current not in chain:
            chain.append(current)
            current = renews[current].data["renews"]
        if current == start and start not in reported and len(chain) > 1:
            reported.update(chain)
            cycle = " -> ".join([*chain, start])
            where = renews[start].where("renews")
            problems.append(f"{where}: renewals go round in a circle: {cycle}")
    return problems


def _successor_problems(entry: Entry, types: dict[str, str]) -> list[str]:
    """A tie ``succeeds`` another of its own type, never itself."""
    succeeded = entry.data.get("succeeds") if entry.kind == "relationship" else None
    if not isinstance(succeeded, str) or not succeeded:
        return []
    if succeeded == entry.id:
        return [f"{entry.where('succeeds')}: a tie cannot succeed itself"]
    if types.get(succeeded) != entry.group:
        return [f"{entry.where('succeeds')}: '{succeeded}' is not the id of any {entry.group}"]
    return []


def _reference_problems(
    entry: Entry, sources: dict[str, Entry], nodes: set[str], agreements: set[str]
) -> list[str]:
    data, problems = entry.data, []

    def expect(key: str, value: object, known: set[str] | dict, what: str) -> None:
        if isinstance(value, str) and value and value not in known:
            problems.append(f"{entry.where(key)}: '{value}' is not the id of any {what}")

    source_id = data.get("source")
    source = sources.get(source_id) if isinstance(source_id, str) else None
    expect("source", data.get("source"), sources, "source")
    if source is not None and source.data.get("language") != "en" and not data.get("evidence_en"):
        language = source.data.get("language")
        problems.append(
            f"{entry.where('evidence')}: the source is in '{language}'; add evidence_en"
        )
    if entry.kind == "relationship":
        expect("place", data.get("place"), nodes, "node")
        expect("renews", data.get("renews"), agreements, "AGREEMENT")
        for person in data.get("signatories") or []:
            expect("signatories", person, nodes, "node")
        if data.get("renews") == data.get("id") and data.get("renews"):
            problems.append(f"{entry.where('renews')}: an agreement cannot renew itself")
    return problems
