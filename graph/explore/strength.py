"""The strength of a tie in a chosen year, and the reason for it in words a page can show.

Strength runs from 0 to 1: the weight of the tie's type or kind (:mod:`graph.explore.tie_weights`)
times the factors that apply in the chosen year: ended, not started yet, planned, renewed, a
one-off meeting that has faded with age, evidence less than certain. A hop between two entities
is as strong as its strongest tie; a path is as strong as the product of its hops, so every
extra step costs something and one weak link weakens the whole chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.explore.tie_weights import DEFAULT_WEIGHTS, TieWeights

# The tie fields strength reads; a path search fetches only these.
STRENGTH_FIELDS = (
    "id", "kind", "role", "signed", "valid_from", "valid_until", "since", "until", "date",
    "superseded", "renews", "status", "certainty",
)  # fmt: skip


@dataclass(frozen=True)
class Strength:
    """How strong one tie is in the chosen year, and why, in a few words."""

    value: float
    reason: str
    place_only: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"strength": round(self.value, 4), "reason": self.reason}


def tie_strength(
    tie_type: str,
    facts: Mapping[str, Any],
    year: int,
    weights: TieWeights = DEFAULT_WEIGHTS,
) -> Strength:
    """Return the strength of a tie of ``tie_type`` with ``facts`` in ``year``, with its reason."""
    what = _what(tie_type, facts, weights)
    value = weights.base(tie_type, facts.get("kind"), facts.get("role"))
    factor, when = _time(tie_type, facts, year, weights)
    sure, doubt = _certainty(facts, weights)
    value = min(1.0, value * factor * sure)
    reason = " ".join(part for part in (what, when) if part) + doubt
    if tie_type in weights.place_types:
        return Strength(value, f"{reason} (same place only)", place_only=True)
    return Strength(value, reason)


def _what(tie_type: str, facts: Mapping[str, Any], weights: TieWeights) -> str:
    kind, role = facts.get("kind"), facts.get("role")
    noun = weights.noun(tie_type)
    if tie_type == "WORKS_AT":
        return f"{role} (current role)" if role else "works there"
    if tie_type in weights.place_types:
        return "located there"
    if kind and noun.split()[-1] not in str(kind).lower():
        return f"{kind} ({noun})"
    return str(kind or role or noun)


def _year(text: Any) -> int | None:
    return int(str(text)[:4]) if text and str(text)[:4].isdigit() else None


def _span(facts: Mapping[str, Any]) -> tuple[int | None, int | None, str | None]:
    """Return the first and last year a tie holds (None: open), and what ended it."""
    start = next((facts[k] for k in ("valid_from", "signed", "since") if facts.get(k)), None)
    for key, how in (("valid_until", "until"), ("until", "until"), ("superseded", "renewed")):
        if facts.get(key):
            # A tie superseded by a renewal starting in year Y held until the end of Y - 1.
            end = _year(facts[key])
            last = end - 1 if key == "superseded" and end is not None else end
            return _year(start), last, how
    return _year(start), None, None


def _time(
    tie_type: str, facts: Mapping[str, Any], year: int, weights: TieWeights
) -> tuple[float, str]:
    """Return the factor for the tie's dates against ``year``, and the words for it."""
    if str(facts.get("status") or "").lower() == "planned":
        return weights.planned, "(planned, not yet in force)"
    start, last, how = _span(facts)
    if start is None and last is None:
        return _one_off(tie_type, facts, year, weights)
    if start is not None and start > year:
        return weights.not_started, f"starting {start}"
    if last is not None and last < year:
        verb = "renewed in" if how == "renewed" else "ended"
        return weights.ended, f"{verb} {last + 1 if how == 'renewed' else last}"
    since = f"since {start}" if start is not None else f"until {last}"
    if tie_type == "WORKS_AT":
        return 1.0, since
    if tie_type == "AGREEMENT" and facts.get("renews"):
        return weights.renewed, f"in force {since}, renewing an earlier one"
    return 1.0, f"in force {since}"


def _one_off(
    tie_type: str, facts: Mapping[str, Any], year: int, weights: TieWeights
) -> tuple[float, str]:
    """Return the factor for a dated meeting (fading with age) or an undated tie."""
    when = _year(facts.get("date"))
    if when is None:
        return 1.0, ""
    if when > year:
        return weights.not_started, f"in {when}, after {year}"
    if tie_type not in weights.fading:
        return 1.0, f"({when})"
    age = year - when
    factor = max(weights.faded_floor, 0.5 ** (age / weights.half_life_years))
    return factor, f"in {when}" + (f", {age} years before {year}" if age >= 3 else "")


def _certainty(facts: Mapping[str, Any], weights: TieWeights) -> tuple[float, str]:
    """Return the factor for how certain the evidence is, and a note when it is less than sure."""
    raw = facts.get("certainty")
    if raw is None or raw == "":
        return 1.0, ""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = max(0.0, min(1.0, float(raw)))
    else:
        value = weights.certainty.get(str(raw).lower(), 1.0)
    return value, ("" if value >= 1.0 else f"; {raw}")
