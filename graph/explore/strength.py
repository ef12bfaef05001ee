"""The strength of a tie in a chosen year, and the reason for it in words a page can show.

Strength runs from 0 to 1: the weight of the tie's type or kind (:mod:`graph.explore.tie_weights`)
times the factors that apply in the chosen year: ended, not started yet, planned, renewed, a
one-off meeting that has faded with age, evidence less than certain. A hop between two entities
is as strong as its strongest tie; a path is as strong as the product of its hops, so every
extra step costs something and one weak link weakens the whole chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.explore.tie_weights import DEFAULT_WEIGHTS, TieWeights
from graph.model import Tie


@dataclass(frozen=True)
class Strength:
    """How strong one tie is in the chosen year, and why, in a few words."""

    value: float
    reason: str
    place_only: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"strength": round(self.value, 4), "reason": self.reason}


def tie_strength(tie: Tie, year: int, weights: TieWeights = DEFAULT_WEIGHTS) -> Strength:
    """Return the strength of ``tie`` in ``year``, with its reason."""
    value = weights.base(tie.type, tie.kind, tie.role)
    factor, when = _time(tie, year, weights)
    sure = weights.certainty.get(tie.certainty or "stated", 1.0)
    value = min(1.0, value * factor * sure)
    doubt = f" ({tie.certainty})" if sure < 1.0 else ""
    reason = " ".join(part for part in (_what(tie, weights), when) if part) + doubt
    if tie.type in weights.place_types:
        return Strength(value, f"{reason}: same place only", place_only=True)
    return Strength(value, reason)


def _what(tie: Tie, weights: TieWeights) -> str:
    noun = weights.noun(tie.type)
    if tie.type == "WORKS_AT":
        return f"works there as {tie.role}" if tie.role else "works there"
    if tie.type in weights.place_types:
        return "located there"
    if tie.kind and noun.split()[-1] not in tie.kind.lower():
        return f"{tie.kind} ({noun})"
    return tie.kind or tie.role or noun


def _year(text: str | None) -> int | None:
    return int(text[:4]) if text and text[:4].isdigit() else None


def _time(tie: Tie, year: int, weights: TieWeights) -> tuple[float, str]:
    """Return the factor for the tie's status and dates in ``year``, and the words for it."""
    starts, ends = _year(tie.starts), _year(tie.ends)
    if tie.status == "planned":
        return weights.planned, "(planned, not yet in force)"
    if _happened_once(tie):
        return _meeting(tie, starts, year, weights)
    if tie.in_force(year) and tie.status != "ended":
        return _in_force(tie, starts, weights)
    if starts is not None and starts > year:
        return weights.not_started, f"starting {starts}"
    if tie.superseded and not (tie.valid_until or tie.until):
        verb = "renewed" if tie.type == "AGREEMENT" else "succeeded"
        return weights.ended, f"{verb} in {_year(tie.superseded)}"
    return weights.ended, f"ended {ends}" if ends is not None else "ended"


def _happened_once(tie: Tie) -> bool:
    """Whether the tie is something that happened once (a visit, taking part): only a date."""
    spans = (tie.valid_from, tie.signed, tie.since, tie.valid_until, tie.until)
    return tie.date is not None and not any(spans)


def _meeting(tie: Tie, when: int | None, year: int, weights: TieWeights) -> tuple[float, str]:
    """Return the factor and words for a one-off meeting: later, or fading with age."""
    if when is None or when > year:
        return weights.not_started, f"in {when}, after {year}"
    if tie.type not in weights.fading:
        return 1.0, f"in {when}"
    age = year - when
    factor = max(weights.faded_floor, 0.5 ** (age / weights.half_life_years))
    return factor, f"in {when}" + (f", {age} years before {year}" if age >= 3 else "")


def _in_force(tie: Tie, starts: int | None, weights: TieWeights) -> tuple[float, str]:
    """Return the factor and words for a tie in force: renewed, or plainly so."""
    if starts is None:
        return 1.0, ""
    if tie.type == "AGREEMENT" and tie.renews:
        return weights.renewed, f"in force since {starts}, renewing an earlier one"
    if tie.type == "WORKS_AT":
        return 1.0, f"since {starts}"
    return 1.0, f"in force since {starts}"
