"""Agreements coming due: in force, ending within N days, lapsed without renewal, renewal chains.

Dates are partial (``2030``, ``2030-06``, ``2030-06-30``): an agreement runs to the last day
its end date covers (``2030`` is in force through 31 December 2030), and starts on the first
day its start covers. An agreement that another ``renews`` ends when the renewal takes over.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.model import Tie

if TYPE_CHECKING:  # the snapshot brings numpy, too slow to load for `ecomap --help`
    from graph.analysis.snapshot import Snapshot

DEFAULT_DUE_DAYS = 180
FEED_PAST_DAYS = 365  # the feeds keep end dates this long after they pass


def last_day(partial: str) -> datetime.date:
    """Return the last day a partial ISO date covers."""
    parts = [int(p) for p in partial.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return datetime.date(year, month, day)


def first_day(partial: str) -> datetime.date:
    """Return the first day a partial ISO date covers."""
    parts = [int(p) for p in partial.split("-")] + [1, 1]
    return datetime.date(parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class Agreement:
    """One agreement with its parties, when it runs, and where it sits in its renewal chain."""

    tie: Tie
    parties: tuple[dict[str, Any], dict[str, Any]]
    starts: datetime.date | None
    ends: datetime.date | None
    renewed_by: str | None
    chain: tuple[str, ...]  # ids from the first agreement to this one

    def status(self, today: datetime.date) -> str:
        """Return ``planned``, ``in force`` or ``ended`` on ``today``."""
        if self.starts and self.starts > today:
            return "planned"
        if self.ends and self.ends < today:
            return "ended"
        return "in force"

    def to_dict(self, today: datetime.date) -> dict[str, Any]:
        tie = self.tie
        return {
            "id": tie.id,
            "kind": tie.kind,
            "from": self.parties[0],
            "to": self.parties[1],
            "signed": tie.signed,
            "starts": self.starts.isoformat() if self.starts else None,
            "ends": self.ends.isoformat() if self.ends else None,
            "ends_as_given": tie.valid_until or tie.until,
            "status": self.status(today),
            "days_left": (self.ends - today).days if self.ends else None,
            "renews": tie.renews,
            "renewed_by": self.renewed_by,
            "chain": list(self.chain),
            "source": tie.source,
            "evidence": tie.evidence,
            "evidence_en": tie.evidence_en,
        }


def agreements(snapshot: Snapshot) -> list[Agreement]:
    """Return every agreement of the snapshot, ordered by end date (open-ended last), then id."""
    ties = {t.id: t for t in snapshot.ties if t.type == "AGREEMENT"}
    renewed_by = {t.renews: t.id for t in ties.values() if t.renews}
    found = []
    for tie in ties.values():
        ends = tie.ends
        found.append(
            Agreement(
                tie=tie,
                parties=(_party(snapshot, tie.from_id), _party(snapshot, tie.to_id)),
                starts=first_day(tie.starts) if tie.starts else None,
                ends=last_day(ends) if ends else None,
                renewed_by=renewed_by.get(tie.id),
                chain=_chain(ties, tie),
            )
        )
    far = datetime.date.max
    return sorted(found, key=lambda a: (a.ends or far, a.tie.id))


def _party(snapshot: Snapshot, entity_id: str) -> dict[str, Any]:
    return snapshot.entities[snapshot.index[entity_id]].summary()


def _chain(ties: dict[str, Tie], tie: Tie) -> tuple[str, ...]:
    """Return the ids of the agreements ``tie`` renews, oldest first, ending with its own."""
    chain, seen, current = [tie.id], {tie.id}, tie.renews
    while current and current in ties and current not in seen:
        chain.append(current)
        seen.add(current)
        current = ties[current].renews
    return tuple(reversed(chain))


def agreements_due(
    snapshot: Snapshot, today: datetime.date, days: int = DEFAULT_DUE_DAYS, limit: int = 500
) -> dict[str, Any]:
    """Sort the agreements into in force, due within ``days``, lapsed, and renewal chains.

    Each list holds at most ``limit`` agreements (the soonest ending first, the latest
    lapsed first); ``counts`` says how many there are in all.
    """
    every = agreements(snapshot)
    horizon = today + datetime.timedelta(days=days)
    in_force = [a for a in every if a.status(today) == "in force"]
    due = [a for a in in_force if a.ends and a.ends <= horizon and not a.renewed_by]
    lapsed = [a for a in every if a.status(today) == "ended" and not a.renewed_by][::-1]
    planned = [a for a in every if a.status(today) == "planned"]
    chains = sorted((a for a in every if not a.renewed_by and len(a.chain) > 1),
                    key=lambda a: a.tie.id)  # fmt: skip
    lists = {"in_force": in_force, "due": due, "lapsed": lapsed, "planned": planned}
    found: dict[str, Any] = {"today": today.isoformat(), "days": days, "total": len(every)}
    found.update({name: [a.to_dict(today) for a in items[:limit]] for name, items in lists.items()})
    found["chains"] = [{"latest": a.to_dict(today), "ids": list(a.chain)} for a in chains[:limit]]
    found["counts"] = {name: len(items) for name, items in lists.items()} | {"chains": len(chains)}
    found["limit"] = limit
    return found


def feed_agreements(snapshot: Snapshot, today: datetime.date) -> list[Agreement]:
    """Return the agreements a calendar should show: not renewed, ending from a year ago on."""
    since = today - datetime.timedelta(days=FEED_PAST_DAYS)
    return [a for a in agreements(snapshot) if a.ends and a.ends >= since and not a.renewed_by]
