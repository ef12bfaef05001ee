"""The kinds of entity (labels), the types of tie, and which kinds each type may connect."""

from __future__ import annotations

from dataclasses import dataclass

NODE_LABELS = (
    "City",
    "Region",
    "Country",
    "Hospital",
    "University",
    "Company",
    "Programme",
    "Organisation",
    "Person",
    "Event",
    "Document",
    "Agreement",
)

ORGS = ("Hospital", "University", "Company", "Organisation")
PARTIES = (*ORGS, "City", "Region")
PLACES = ("City", "Region", "Country")


@dataclass(frozen=True)
class Ends:
    """One allowed pair of ends: the labels a tie may start at and end at."""

    sources: tuple[str, ...]
    targets: tuple[str, ...]

    def allows(self, source: str, target: str) -> bool:
        return source in self.sources and target in self.targets


# Each type with the pairs of ends it may join, in the order pages list the types.
TIE_ENDS: dict[str, tuple[Ends, ...]] = {
    "AGREEMENT": (Ends(PARTIES, PARTIES),),
    "PARTNER_IN": (Ends(PARTIES, ("Programme",)),),
    "MEMBER_OF": (Ends((*ORGS, "City"), ("Organisation",)),),
    "FUNDS": (
        Ends(("Organisation", "City", "Region", "Company", "Hospital"), ("Programme", *ORGS)),
    ),
    "LOCATED_IN": (Ends((*PLACES[:2], *ORGS, "Programme", "Event"), PLACES),),
    "WORKS_AT": (Ends(("Person",), PARTIES),),
    "PARTICIPATED_IN": (
        Ends(("Person", *PARTIES, "Country", "Programme"), ("Event", "Programme")),
    ),
    "VISITED": (Ends(("Person", *PARTIES, "Programme"), (*PARTIES, "Programme")),),
    "ORGANISED": (Ends((*PARTIES, "Programme"), ("Event",)),),
    "COLLABORATES_WITH": (
        Ends(("Person", *PARTIES, "Programme"), ("Person", *PARTIES, "Programme")),
    ),
    "FOUNDED": (Ends(("Person", *PARTIES), ("Programme", "Company")),),
    "COORDINATES": (Ends(ORGS, ("Programme",)),),
    "PART_OF": (
        Ends(("Organisation",), ("Organisation", "Hospital", "University", "City")),
        Ends(("Hospital",), ("Programme", "Region")),
        Ends(("Programme",), ("Programme",)),
        Ends(("Event",), ("Event", "Programme")),
    ),
    "BASED_ON": (Ends((*ORGS, "Programme", "Document"), ("Programme", "Document", "Agreement")),),
    "AUTHORED": (Ends(("Person", *ORGS), ("Document",)),),
    "PRESENTED_AT": (Ends(("Document", "Programme", "Person", *ORGS), ("Event",)),),
    "PARTY_TO": (Ends(PARTIES, ("Agreement",)),),
    "HOSTS": (
        Ends(
            ("City", "University", "Hospital", "Organisation", "Programme"), ("Event", "Programme")
        ),
    ),
}
RELATIONSHIP_TYPES = tuple(TIE_ENDS)


def ends_problem(rel_type: str, source: str, target: str) -> str | None:
    """Say why a ``rel_type`` tie may not join a ``source`` to a ``target``, or None."""
    rules = TIE_ENDS.get(rel_type, ())
    if any(rule.allows(source, target) for rule in rules):
        return None
    allowed = "; ".join(f"{'/'.join(rule.sources)} → {'/'.join(rule.targets)}" for rule in rules)
    return f"a {rel_type} tie cannot join a {source} to a {target} (allowed: {allowed})"
