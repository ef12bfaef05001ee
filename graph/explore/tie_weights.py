"""How much each tie helps an introduction: the weights, declared once, overridable per deployment.

A tie's strength is a number from 0 (useless) to 1 (as good as it gets). It starts from the
weight of its type (or of its kind, when the kind has its own weight) and is multiplied by the
factors that apply: ended, not started yet, planned, an older one-off meeting, less certain
evidence. :data:`DEFAULT_WEIGHTS` holds Ecomap's choices; a deployment may replace any of them
with a YAML file named by the ``tie_weights`` setting (see :func:`read_weights`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from graph.errors import SettingsError
from graph.model import RELATIONSHIP_TYPES


@dataclass(frozen=True)
class TypeWeight:
    """The strength of one tie type before any factor, and how a page names it."""

    weight: float
    noun: str
    why: str


def _types() -> dict[str, TypeWeight]:
    return {
        "AGREEMENT": TypeWeight(0.9, "agreement", "a signed agreement between the two"),
        "WORKS_AT": TypeWeight(0.85, "role", "a person's role at an organisation"),
        "COLLABORATES_WITH": TypeWeight(0.8, "collaboration", "a stated collaboration"),
        "FOUNDED": TypeWeight(0.75, "founder", "one founded the other"),
        "PART_OF": TypeWeight(0.7, "part of", "one is a unit or part of the other"),
        "COORDINATES": TypeWeight(0.7, "coordinator", "one coordinates the other"),
        "PARTNER_IN": TypeWeight(0.6, "partner", "a partner in a programme"),
        "FUNDS": TypeWeight(0.55, "funding", "one funds the other"),
        "MEMBER_OF": TypeWeight(0.5, "member", "a membership"),
        "ORGANISED": TypeWeight(0.5, "organiser", "one organised the event"),
        "HOSTS": TypeWeight(0.45, "host", "one hosts the event or programme"),
        "PARTICIPATED_IN": TypeWeight(0.35, "took part", "took part in the same event"),
        "VISITED": TypeWeight(0.3, "visit", "a visit"),
        "LOCATED_IN": TypeWeight(0.1, "location", "only being in the same place"),
    }


@dataclass(frozen=True)
class TieWeights:
    """Every number that turns a tie into a strength; see the module docstring."""

    types: Mapping[str, TypeWeight] = field(default_factory=_types)
    # Kinds (or roles) with a weight of their own, lower-case: a memorandum of understanding
    # binds less than a cooperation agreement.
    kinds: Mapping[str, float] = field(
        default_factory=lambda: {"memorandum of understanding": 0.75}
    )
    ended: float = 0.5  # the tie had ended by the chosen year
    not_started: float = 0.4  # the tie starts after the chosen year
    planned: float = 0.4  # the tie is planned, not yet signed or begun
    renewed: float = 1.1  # an agreement in force that renews an earlier one
    fading: tuple[str, ...] = ("VISITED", "PARTICIPATED_IN")  # one-off meetings fade with age
    half_life_years: float = 10.0  # a one-off meeting this many years old counts half
    faded_floor: float = 0.3  # ... but never less than this share
    certainty: Mapping[str, float] = field(
        default_factory=lambda: {"stated": 1.0, "inferred": 0.7, "assumed": 0.5}
    )
    place_types: tuple[str, ...] = ("LOCATED_IN",)  # ties that say only where something is

    def base(self, tie_type: str, kind: str | None, role: str | None) -> float:
        """Return the weight of a tie before its factors."""
        for word in (kind, role):
            if word and word.lower() in self.kinds:
                return self.kinds[word.lower()]
        found = self.types.get(tie_type)
        return found.weight if found else 0.3

    def noun(self, tie_type: str) -> str:
        """Return how a page names a tie of this type."""
        found = self.types.get(tie_type)
        return found.noun if found else tie_type.lower().replace("_", " ")


DEFAULT_WEIGHTS = TieWeights()
FACTORS = ("ended", "not_started", "planned", "renewed", "half_life_years", "faded_floor")


@functools.cache
def weights_from(path: str) -> TieWeights:
    """Return the weights of the ``tie_weights`` setting (read once per process and path)."""
    return read_weights(Path(path) if path else None)


def read_weights(path: Path | None) -> TieWeights:
    """Return the default weights with those of the YAML file at ``path`` (if any) put over them.

    The file may set ``types`` (TYPE: weight), ``kinds`` (kind: weight), ``certainty``
    (word: factor) and any of the factors by name. Anything else, or a number out of range,
    is a :class:`SettingsError` naming the file and the field.
    """
    if path is None or not str(path):
        return DEFAULT_WEIGHTS
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SettingsError(f"tie weights file {path}: {error}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"tie weights file {path}: expected a mapping of settings")
    return _apply(DEFAULT_WEIGHTS, data, str(path))


def _apply(weights: TieWeights, data: dict[str, Any], where: str) -> TieWeights:
    known = {f.name for f in fields(TieWeights)} - {"fading", "place_types"}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise SettingsError(f"tie weights file {where}: unknown field {key!r}")
        if key == "types":
            changes[key] = {**weights.types, **_type_weights(value, f"{where}: types")}
        elif key in ("kinds", "certainty"):
            table = {str(k).lower(): v for k, v in _mapping(value, f"{where}: {key}").items()}
            ceiling = 2.0 if key == "certainty" else 1.0
            for name, number in table.items():
                _number(number, f"{where}: {key}.{name}", high=ceiling)
            changes[key] = {**getattr(weights, key), **table}
        else:
            high = 100.0 if key == "half_life_years" else 2.0
            changes[key] = _number(value, f"{where}: {key}", high=high)
    return replace(weights, **changes)


def _type_weights(value: Any, where: str) -> dict[str, TypeWeight]:
    table = {}
    for name, number in _mapping(value, where).items():
        if name not in RELATIONSHIP_TYPES:
            raise SettingsError(f"{where}: {name!r} is not a tie type")
        old = DEFAULT_WEIGHTS.types[name]
        table[name] = replace(old, weight=_number(number, f"{where}.{name}"))
    return table


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SettingsError(f"{where} must be a mapping of names to numbers")
    return value


def _number(value: Any, where: str, *, high: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= high:
        raise SettingsError(f"{where} must be a number above 0 and at most {high:g}, not {value!r}")
    return float(value)
