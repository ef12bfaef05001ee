"""How large the connected part of the graph around an entity is, to explain a missing path."""

from __future__ import annotations

from graph.analysis.snapshot import Snapshot


def part_of(snapshot: Snapshot, entity_id: str) -> set[int]:
    """Return the positions of the entities any chain of ties joins to ``entity_id`` (itself too).

    O(size of the part + its ties); empty for an id the snapshot does not hold.
    """
    start = snapshot.index.get(entity_id)
    if start is None:
        return set()
    seen = {start}
    queue = [start]
    for entity in queue:
        ties = snapshot.tie_order[snapshot.tie_bounds[entity] : snapshot.tie_bounds[entity + 1]]
        for tie in ties.tolist():
            for other in (int(snapshot.tie_from[tie]), int(snapshot.tie_to[tie])):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
    return seen


def separation(snapshot: Snapshot, first: str, second: str) -> dict[str, int | bool]:
    """Return whether any chain of ties joins two entities, and the size of each one's part."""
    part = part_of(snapshot, first)
    joined = snapshot.index.get(second) in part
    other = len(part) if joined else len(part_of(snapshot, second))
    return {"joined": joined, "source_part": len(part), "target_part": other}
