"""One change an import makes to an entity, a tie or a source."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Change:
    """What applying does to one entity, tie or source."""

    id: str
    name: str
    group: str  # label, type, or "Source"
    status: str  # "new", "changed" or "unchanged"
    fields: dict[str, list[Any]] = field(default_factory=dict)  # field -> [old, new]
    sheet: str = ""
    row: int | None = None
