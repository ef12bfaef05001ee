"""Seeded synthetic innovation ecosystems, from a thousand to a million nodes.

Labels come in fixed shares (a few countries, regions and cities; some hospitals and
universities; many companies and people). Every node gets a heavy-tailed attractiveness:
Zipf by rank for countries and cities, Pareto for the rest, more for university hospitals,
universities and programmes. Both ends of every tie are drawn in proportion to it (the
Chung-Lu form of preferential attachment), so degrees follow a power law with hubs.

Each entity first gets its place: region -> country, city -> region, organisation and event
-> city, programme <- coordinator, event <- organiser, person -> employer. The remaining
budget goes to typed ties between the kinds of entity the model allows each type to join.

    python -m benchmarks.synthetic --nodes 100000 [--relationships N] [--seed 7] [--yaml DIR]
"""

from __future__ import annotations

import argparse
import functools
import gc
import itertools
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.model import TIE_ENDS
from graph.model.vocabulary import ORGS, PARTIES

Props = Callable[[random.Random, dict[str, Any]], None]  # fills in a relationship's properties

MIN_NODES = 100
DATE_TABLE_SIZE = 4096
RELATIONSHIPS_PER_NODE = 5

COUNTRIES = [
    ("FI", "Finland"), ("JP", "Japan"), ("NO", "Norway"), ("DK", "Denmark"), ("SE", "Sweden"),
    ("DE", "Germany"), ("NL", "Netherlands"), ("FR", "France"), ("GB", "United Kingdom"),
    ("US", "United States"), ("EE", "Estonia"), ("IS", "Iceland"), ("AU", "Australia"),
    ("AT", "Austria"), ("BE", "Belgium"), ("CH", "Switzerland"), ("ES", "Spain"),
    ("IT", "Italy"), ("PL", "Poland"), ("PT", "Portugal"), ("IE", "Ireland"), ("CA", "Canada"),
    ("KR", "South Korea"), ("SG", "Singapore"), ("CN", "China"), ("IN", "India"),
    ("BR", "Brazil"), ("LT", "Lithuania"), ("LV", "Latvia"), ("CZ", "Czechia"),
    ("SK", "Slovakia"), ("SI", "Slovenia"), ("HU", "Hungary"), ("RO", "Romania"),
    ("BG", "Bulgaria"), ("GR", "Greece"), ("HR", "Croatia"), ("LU", "Luxembourg"),
    ("NZ", "New Zealand"), ("IL", "Israel"), ("TW", "Taiwan"), ("MX", "Mexico"),
    ("CL", "Chile"), ("ZA", "South Africa"), ("KE", "Kenya"), ("EG", "Egypt"),
    ("AE", "United Arab Emirates"), ("SA", "Saudi Arabia"), ("TR", "Turkey"),
    ("UA", "Ukraine"), ("VN", "Vietnam"), ("TH", "Thailand"), ("MY", "Malaysia"),
    ("ID", "Indonesia"), ("PH", "Philippines"), ("AR", "Argentina"), ("CO", "Colombia"),
    ("PE", "Peru"), ("MA", "Morocco"), ("NG", "Nigeria"),
]  # fmt: skip
SECTORS = [
    "health", "welfare", "ICT", "high-tech", "life science", "AI", "games", "robotics",
    "energy", "cleantech", "medtech", "biotech", "education", "mobility", "space",
]  # fmt: skip
SYLLABLES = [
    "ou", "lu", "sen", "dai", "kan", "ag", "wa", "ro", "ki", "ta", "mi", "na", "ha", "va",
    "lo", "ber", "gen", "tro", "nor", "dal", "sk", "ei", "ja", "ko", "ri", "vik", "fjor",
    "aal", "borg", "es", "po", "tam", "pe", "re", "hel", "sin", "ku", "yo", "to", "sa",
]  # fmt: skip
FIRST_NAMES = [
    "Joanna", "Atsuhiro", "Teiji", "Ilkka", "Miia", "Hideo", "Gorm", "Sanna", "Mikko",
    "Yuki", "Kenji", "Ingrid", "Lars", "Mette", "Søren", "Aino", "Emma", "Noah", "Olivia",
    "Hiroshi", "Akiko", "Pekka", "Jussi", "Kari", "Anne", "Ole", "Freja", "Magnus", "Eva",
]  # fmt: skip
LAST_NAMES = [
    "Seppänen", "Nakagawa", "Tominaga", "Juuso", "Turpeinen", "Harigae", "Simonsen",
    "Virtanen", "Korhonen", "Sato", "Suzuki", "Takahashi", "Hansen", "Johansen", "Olsen",
    "Nielsen", "Jensen", "Larsen", "Mäkinen", "Tanaka", "Berg", "Dahl", "Lindqvist",
]  # fmt: skip
COMPANY_SUFFIXES = ["Oy", "AB", "AS", "ApS", "GmbH", "Ltd", "KK", "Inc", "BV", "SA"]
ORGANISATION_KINDS = [
    "Agency", "Cluster", "Foundation", "Council", "Chamber of Commerce", "Department",
    "Faculty", "Institute", "Association", "Prefectural Government",
]  # fmt: skip
PROGRAMME_KINDS = ["Lab", "Testbed", "Arena", "Incubator", "Initiative", "Accelerator", "Project"]
EVENT_KINDS = ["Visit", "Delegation", "Trade Fair", "Festival", "Conference", "Seminar", "Camp"]
AGREEMENT_KINDS = [
    "memorandum of understanding", "cooperation agreement", "co-incubation agreement",
    "partnership agreement", "framework agreement", "twinning agreement",
]  # fmt: skip
COLLABORATION_KINDS = ["research", "pilot", "clinical", "export", "exchange"]
PARTNER_ROLES = ["partner", "partner", "partner", "founder", "project owner", "associate partner"]
JOB_ROLES = [
    "Researcher", "Project Manager", "CEO", "CTO", "COO", "Director", "Professor",
    "Head of Unit", "Specialist", "Advisor", "Mayor", "Chief Physician",
]  # fmt: skip

EMPLOYERS = PARTIES

# Share of all nodes per label; Country is sized apart, Person takes the rest.
SHARES: dict[str, float] = {
    "Region": 0.002,
    "City": 0.008,
    "Hospital": 0.01,
    "University": 0.005,
    "Company": 0.25,
    "Organisation": 0.04,
    "Programme": 0.03,
    "Event": 0.05,
}
PREFIX = {
    "Country": "country",
    "Region": "region",
    "City": "city",
    "Hospital": "hospital",
    "University": "university",
    "Company": "company",
    "Organisation": "organisation",
    "Programme": "programme",
    "Event": "evt",
    "Person": "person",
}
LABELS = list(PREFIX)
# Pareto shape (smaller: heavier tail) and scale of each label's attractiveness.
PARETO: dict[str, tuple[float, float]] = {
    "Region": (1.5, 2.0),
    "Hospital": (2.0, 1.0),
    "University": (1.5, 3.0),
    "Company": (1.6, 1.0),
    "Organisation": (1.5, 1.5),
    "Programme": (1.2, 2.0),
    "Event": (1.8, 1.0),
    "Person": (2.2, 1.0),
}
UNIVERSITY_HOSPITAL_SHARE, UNIVERSITY_HOSPITAL_BOOST = 0.15, 10.0


@dataclass
class Ecosystem:
    """Nodes and relationships in the shape Ecomap's seed loader takes."""

    nodes: list[dict[str, Any]] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)

    def label_counts(self) -> dict[str, int]:
        """Return the number of nodes per label."""
        return dict(Counter(node["label"] for node in self.nodes))

    def type_counts(self) -> dict[str, int]:
        """Return the number of relationships per type."""
        return dict(Counter(rel["type"] for rel in self.relationships))


@dataclass
class _Pool:
    """Node ids of some labels with cumulative attractiveness, for weighted draws."""

    ids: list[str]
    cum: list[float]

    def draw(self, rng: random.Random, k: int) -> list[str]:
        """Draw ``k`` ids, each in proportion to its attractiveness."""
        return rng.choices(self.ids, cum_weights=self.cum, k=k)


@dataclass(frozen=True)
class _TieKind:
    """A kind of extra tie: its type, the labels at each end, its share, its properties."""

    type: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    share: float
    props: Props


# -- properties --------------------------------------------------------------------------


def pick(rng: random.Random, seq: Sequence[Any]) -> Any:
    """Return a uniformly chosen item of ``seq`` (cheaper than ``rng.choice``)."""
    return seq[int(rng.random() * len(seq))]


@functools.cache
def _date_table(first: int, last: int) -> tuple[str, ...]:
    """Return a fixed table of partial dates, 40% years, 35% months, 25% full dates."""
    rng, dates = random.Random(f"dates {first}-{last}"), []
    for _ in range(DATE_TABLE_SIZE):
        year = rng.randint(first, last)
        r = rng.random()
        if r < 0.4:
            dates.append(str(year))
        elif r < 0.75:
            dates.append(f"{year}-{rng.randint(1, 12):02d}")
        else:
            dates.append(f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
    return tuple(dates)


def partial_date(rng: random.Random, first: int = 1995, last: int = 2025) -> str:
    """Return an ISO 8601 prefix: a year, a year and month, or a full date."""
    return pick(rng, _date_table(first, last))


def _agreement(rng: random.Random, rel: dict[str, Any]) -> None:
    """An agreement's kind, signing date and, often, its end."""
    rel["kind"] = pick(rng, AGREEMENT_KINDS)
    rel["signed"] = rel["valid_from"] = signed = partial_date(rng)
    if rng.random() < 0.6:
        rel["valid_until"] = str(int(signed[:4]) + pick(rng, (3, 5, 5, 10)))


def _partner(rng: random.Random, rel: dict[str, Any]) -> None:
    """A partner's role in a programme, and since when."""
    rel["role"] = pick(rng, PARTNER_ROLES)
    rel["since"] = partial_date(rng, 2000)


def _works(rng: random.Random, rel: dict[str, Any]) -> None:
    """A person's role at an employer, and since when."""
    rel["role"] = pick(rng, JOB_ROLES)
    rel["since"] = partial_date(rng, 1990)


def _dated(rng: random.Random, rel: dict[str, Any]) -> None:
    """When it happened."""
    rel["date"] = partial_date(rng, 2000)


def _since(rng: random.Random, rel: dict[str, Any]) -> None:
    """Since when the tie holds."""
    rel["since"] = partial_date(rng)


def _collaborates(rng: random.Random, rel: dict[str, Any]) -> None:
    """What the collaboration is about."""
    rel["kind"] = pick(rng, COLLABORATION_KINDS)


def _funds(rng: random.Random, rel: dict[str, Any]) -> None:
    """How much was granted (heavy-tailed), in euros."""
    rel["amount"] = 10_000 * (1 + int(rng.paretovariate(1.2)))
    rel["currency"] = "EUR"


def _none(rng: random.Random, rel: dict[str, Any]) -> None:
    """No properties beyond the ends."""


# Each type's share of the extra ties and what fills in its properties; which labels it may
# join is the model's (graph.model.TIE_ENDS), the share split evenly over its pairs of ends.
TIE_SHARES: dict[str, tuple[float, Props]] = {
    "AGREEMENT": (0.13, _agreement),
    "PARTNER_IN": (0.18, _partner),
    "PARTICIPATED_IN": (0.18, _dated),
    "COLLABORATES_WITH": (0.12, _collaborates),
    "MEMBER_OF": (0.06, _since),
    "FUNDS": (0.06, _funds),
    "VISITED": (0.05, _dated),
    "WORKS_AT": (0.06, _works),
    "HOSTS": (0.05, _dated),
    "ORGANISED": (0.03, _none),
    "FOUNDED": (0.03, _dated),
    "COORDINATES": (0.02, _since),
    "PART_OF": (0.03, _none),
}
TIE_KINDS = tuple(
    _TieKind(rel_type, ends.sources, ends.targets, share / len(TIE_ENDS[rel_type]), props)
    for rel_type, (share, props) in TIE_SHARES.items()
    for ends in TIE_ENDS[rel_type]
)


# -- nodes -------------------------------------------------------------------------------


def label_sizes(nodes: int) -> dict[str, int]:
    """Return how many nodes of each label ``nodes`` nodes hold (they sum to ``nodes``)."""
    if nodes < MIN_NODES:
        raise ValueError(f"at least {MIN_NODES} nodes, please (not {nodes})")
    sizes = {"Country": max(3, min(len(COUNTRIES), round(nodes**0.25)))}
    sizes.update({label: max(1, int(nodes * share)) for label, share in SHARES.items()})
    sizes["Region"] = max(sizes["Region"], 2 * sizes["Country"])
    sizes["City"] = max(sizes["City"], 2 * sizes["Region"])
    sizes["Person"] = nodes - sum(sizes.values())
    return {label: sizes[label] for label in LABELS}


def _word(rng: random.Random) -> str:
    """Return a made-up proper name of two or three syllables."""
    return "".join(pick(rng, SYLLABLES) for _ in range(2 + (rng.random() < 0.4))).capitalize()


def _sectors(rng: random.Random, node: dict[str, Any], chance: float = 0.5) -> None:
    """Give ``node`` one or two sectors, with probability ``chance``."""
    if rng.random() < chance:
        node["sectors"] = rng.sample(SECTORS, 1 + (rng.random() < 0.3))


class _Builder:
    """Builds one ecosystem: nodes with their country and weight, then relationships."""

    def __init__(self, nodes: int, relationships: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.sizes = label_sizes(nodes)
        self.wanted = relationships
        self.nodes: list[dict[str, Any]] = []
        self.ids: dict[str, list[str]] = {}
        self.weights: dict[str, list[float]] = {}
        self.country: dict[str, str] = {}  # node id -> country code
        self.names: dict[str, str] = {}  # city id -> name
        self.ties: list[dict[str, Any]] = []
        self._id_width = max(6, len(str(relationships)))
        self._pools: dict[tuple[str, ...], _Pool] = {}

    def ids_of(self, label: str) -> list[str]:
        """Return the ids of one label, in order (id width grows with the count)."""
        if label not in self.ids:
            size, prefix = self.sizes[label], PREFIX[label]
            if label == "Country":
                self.ids[label] = [f"country-{code.lower()}" for code, _ in COUNTRIES[:size]]
            else:
                width = max(5, len(str(size)))
                self.ids[label] = [f"{prefix}-{i:0{width}d}" for i in range(1, size + 1)]
        return self.ids[label]

    def pool(self, labels: Sequence[str]) -> _Pool:
        """Return (and cache) the weighted pool of the given labels."""
        key = tuple(labels)
        if key not in self._pools:
            ids = [i for label in key for i in self.ids_of(label)]
            weights = [w for label in key for w in self.weights[label]]
            self._pools[key] = _Pool(ids, list(itertools.accumulate(weights)))
        return self._pools[key]

    def tie(self, rel_type: str, source: str, target: str, props: Props = _none) -> None:
        """Record one relationship, numbered in order, unless the budget is spent."""
        ties = self.ties
        if len(ties) < self.wanted:
            rel_id = f"rel-{len(ties) + 1:0{self._id_width}d}"
            rel = {"type": rel_type, "id": rel_id, "from": source, "to": target}
            props(self.rng, rel)
            ties.append(rel)

    def place(self, label: str, parent_label: str, rel_type: str = "LOCATED_IN") -> list[str]:
        """Tie each node of ``label`` to a weighted node of ``parent_label``; return parents."""
        parents = self.pool([parent_label]).draw(self.rng, self.sizes[label])
        for node_id, parent in zip(self.ids_of(label), parents, strict=True):
            self.country[node_id] = self.country[parent]
            self.tie(rel_type, node_id, parent)
        return parents

    def add(self, label: str, node_id: str, name: str, **extra: Any) -> dict[str, Any]:
        """Append one node dict and return it."""
        node = {"label": label, "id": node_id, "name": name}
        if label != "Event":  # a country carries its own code, as in the seeds
            node["country"] = self.country[node_id]
        node.update(extra)
        self.nodes.append(node)
        return node

    def pareto(self, label: str, count: int) -> list[float]:
        """Return Pareto attractiveness for ``count`` nodes of ``label``."""
        shape, scale = PARETO[label]
        return [scale * self.rng.paretovariate(shape) for _ in range(count)]

    # The node kinds, in dependency order.

    def countries(self) -> None:
        """Countries, Zipf-weighted by their order in COUNTRIES."""
        ids = self.ids_of("Country")
        self.weights["Country"] = [1 / (rank + 1) for rank in range(len(ids))]
        for node_id, (code, name) in zip(ids, COUNTRIES, strict=False):
            self.country[node_id] = code
            self.add("Country", node_id, name)

    def regions(self) -> None:
        """Regions, each located in a weighted country."""
        self.weights["Region"] = self.pareto("Region", self.sizes["Region"])
        self.place("Region", "Country")
        for node_id in self.ids_of("Region"):
            self.add("Region", node_id, f"{_word(self.rng)} Region")

    def cities(self) -> None:
        """Cities, Zipf-weighted by rank, each located in a weighted region."""
        ids = self.ids_of("City")
        self.weights["City"] = [50 / (rank + 1) ** 0.9 for rank in range(len(ids))]
        self.place("City", "Region")
        for node_id in ids:
            self.names[node_id] = name = _word(self.rng)
            self.add("City", node_id, name)

    def organisations(self) -> None:
        """Hospitals, universities, companies and organisations, each in a weighted city."""
        for label in ORGS:
            self.weights[label] = self.pareto(label, self.sizes[label])
            cities = self.place(label, "City")
            for index, (node_id, city) in enumerate(zip(self.ids_of(label), cities, strict=True)):
                name, extra = self._org_name(label, index, self.names[city])
                self.add(label, node_id, name, **extra)

    def _org_name(self, label: str, index: int, city: str) -> tuple[str, dict[str, Any]]:
        """Return a name and extra fields; some hospitals become university hospitals (hubs)."""
        rng, extra = self.rng, {}
        _sectors(rng, extra, 0.9 if label == "Company" else 0.3)
        if label == "Hospital":
            if rng.random() < UNIVERSITY_HOSPITAL_SHARE:
                self.weights[label][index] *= UNIVERSITY_HOSPITAL_BOOST
                extra["aliases"] = [f"{city[0]}UH"]
                extra["description"] = f"University hospital of {city}."
                return f"{city} University Hospital", extra
            return f"{city} {_word(rng)} Hospital", extra
        if label == "University":
            name = f"University of {_word(rng)}"
            extra["aliases"] = ["U" + name[14:16].upper()]
            return name, extra
        if label == "Company":
            return f"{_word(rng)} {pick(rng, COMPANY_SUFFIXES)}", extra
        return f"{city} {_word(rng)} {pick(rng, ORGANISATION_KINDS)}", extra

    def programmes(self) -> None:
        """Programmes, each coordinated by a weighted organisation, in its country."""
        self.weights["Programme"] = self.pareto("Programme", self.sizes["Programme"])
        coordinators = self.pool(ORGS).draw(self.rng, self.sizes["Programme"])
        for node_id, coordinator in zip(self.ids_of("Programme"), coordinators, strict=True):
            self.country[node_id] = self.country[coordinator]
            self.tie("COORDINATES", coordinator, node_id, _since)
            start = partial_date(self.rng, 2000)
            extra: dict[str, Any] = {"start": start}
            if self.rng.random() < 0.5:
                extra["end"] = str(int(start[:4]) + pick(self.rng, (2, 3, 4, 5, 10)))
            _sectors(self.rng, extra)
            name = f"{_word(self.rng)} {pick(self.rng, PROGRAMME_KINDS)}"
            self.add("Programme", node_id, name, **extra)

    def events(self) -> None:
        """Events, each in a weighted city and organised by a weighted party."""
        self.weights["Event"] = self.pareto("Event", self.sizes["Event"])
        cities = self.place("Event", "City")
        organisers = self.pool(PARTIES).draw(self.rng, self.sizes["Event"])
        for node_id, city, organiser in zip(self.ids_of("Event"), cities, organisers, strict=True):
            self.tie("ORGANISED", organiser, node_id)
            date = partial_date(self.rng, 2000)
            name = f"{self.names[city]} {pick(self.rng, EVENT_KINDS)} {date[:4]}"
            self.add("Event", node_id, name, date=date)

    def people(self) -> None:
        """People, each working at a weighted employer, in its country."""
        self.weights["Person"] = self.pareto("Person", self.sizes["Person"])
        employers = self.pool(EMPLOYERS).draw(self.rng, self.sizes["Person"])
        rng = self.rng
        for node_id, employer in zip(self.ids_of("Person"), employers, strict=True):
            self.country[node_id] = self.country[employer]
            self.tie("WORKS_AT", node_id, employer, _works)
            self.add("Person", node_id, f"{pick(rng, FIRST_NAMES)} {pick(rng, LAST_NAMES)}")

    # Relationships beyond each entity's place.

    def extra_ties(self, count: int) -> None:
        """Spread ``count`` ties over the tie kinds by share, both ends drawn by weight."""
        total = sum(kind.share for kind in TIE_KINDS)
        counts = [int(count * kind.share / total) for kind in TIE_KINDS]
        counts[0] += count - sum(counts)
        rng = self.rng
        for kind, k in zip(TIE_KINDS, counts, strict=True):
            target_pool = self.pool(kind.targets)
            sources = self.pool(kind.sources).draw(rng, k)
            targets = target_pool.draw(rng, k)
            rel_type, props, tie = kind.type, kind.props, self.tie
            for source, target in zip(sources, targets, strict=True):
                while target == source:
                    target = target_pool.draw(rng, 1)[0]
                tie(rel_type, source, target, props)

    def build(self) -> Ecosystem:
        """Make every node with its place in the world, then the remaining relationships."""
        for step in (
            self.countries,
            self.regions,
            self.cities,
            self.organisations,
            self.programmes,
            self.events,
            self.people,
        ):
            step()
        self.extra_ties(self.wanted - len(self.ties))
        return Ecosystem(self.nodes, self.ties)


def generate(nodes: int, relationships: int | None = None, seed: int = 7) -> Ecosystem:
    """Generate a synthetic ecosystem of ``nodes`` nodes and (default 5x) relationships."""
    if relationships is None:
        relationships = RELATIONSHIPS_PER_NODE * nodes
    if relationships < 0:
        raise ValueError("relationships must not be negative")
    collecting = gc.isenabled()
    gc.disable()  # millions of new dicts and no cycles: the collector only costs time here
    try:
        return _Builder(nodes, relationships, seed).build()
    finally:
        if collecting:
            gc.enable()


# -- YAML --------------------------------------------------------------------------------

LABEL_FILES = {
    "City": "cities",
    "Region": "regions",
    "Country": "countries",
    "Hospital": "hospitals",
    "University": "universities",
    "Company": "companies",
    "Programme": "programmes",
    "Organisation": "organisations",
    "Person": "people",
    "Event": "events",
}
TYPE_FILES = {
    "AGREEMENT": "agreements",
    "PARTNER_IN": "partner_in",
    "MEMBER_OF": "member_of",
    "FUNDS": "funds",
    "LOCATED_IN": "located_in",
    "WORKS_AT": "works_at",
    "PARTICIPATED_IN": "participated_in",
    "VISITED": "visited",
    "ORGANISED": "organised",
    "COLLABORATES_WITH": "collaborates_with",
    "FOUNDED": "founded",
    "COORDINATES": "coordinates",
    "PART_OF": "part_of",
    "HOSTS": "hosts",
}


def write_yaml(eco: Ecosystem, folder: Path) -> list[Path]:
    """Write seed-format YAML files (one per label and type, no evidence); return them."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    folder.mkdir(parents=True, exist_ok=True)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for node in eco.nodes:
        rest = {k: v for k, v in node.items() if k != "label"}
        groups.setdefault(("label", node["label"]), []).append(rest)
    for rel in eco.relationships:
        rest = {k: v for k, v in rel.items() if k != "type"}
        groups.setdefault(("type", rel["type"]), []).append(rest)
    written = []
    for (key, name), items in groups.items():
        stem = LABEL_FILES[name] if key == "label" else TYPE_FILES[name]
        body = {key: name, "nodes" if key == "label" else "relationships": items}
        path = folder / f"{stem}.yaml"
        with path.open("w", encoding="utf-8") as file:
            yaml.dump(body, file, Dumper=dumper, sort_keys=False, allow_unicode=True, width=200)
        written.append(path)
    return written


# -- command line ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    """Generate an ecosystem and print its counts by label and type."""
    from benchmarks.common import print_table

    parser = argparse.ArgumentParser(prog="python -m benchmarks.synthetic", description=__doc__)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=None, help="default: 5 x nodes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--yaml", type=Path, metavar="DIR", help="also write seed-format YAML")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    eco = generate(args.nodes, args.relationships, args.seed)
    elapsed = time.perf_counter() - started
    labels, types = eco.label_counts(), eco.type_counts()
    rows = [[label, f"{count:,}"] for label, count in labels.items()]
    rows += [[rel_type, f"{count:,}"] for rel_type, count in sorted(types.items())]
    print_table(["label / type", "count"], rows)
    print(
        f"{len(eco.nodes):,} nodes, {len(eco.relationships):,} relationships "
        f"(seed {args.seed}) in {elapsed:.1f} s"
    )
    if args.yaml:
        paths = write_yaml(eco, args.yaml)
        print(f"wrote {len(paths)} YAML files to {args.yaml}", file=sys.stderr)


if __name__ == "__main__":
    main()
