"""The Cypher of each edit: one statement changes the fact and writes its revision together.

One statement is all-or-nothing on FalkorDB (an error undoes it, and the append-only file holds
it whole) and on Neo4j (its own transaction), so the graph and its history always agree. Each
statement goes on only while the fact's ``version`` is the one the editor read (the dialect's
``version_guard``): a stale save matches no row and changes nothing. A proposal being approved
is matched first, only while still pending, so it is applied once.
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.store.dialect import Dialect, checked_name

PENDING = "MATCH (r:Revision {id: $proposal}) WHERE r.status = 'pending' WITH r "
NEW_SOURCE = "FOREACH (s IN $new_source | MERGE (src:Source {id: s.id}) ON CREATE SET src += s) "
DONE = "SET r.version = $new_version RETURN r.id AS id, $new_version AS version"


def _parts(proposal: bool) -> tuple[str, str, str]:
    """Return the opening, the carried variable and how the revision is written."""
    if proposal:
        return PENDING, "r, ", "SET r += $revision "
    return "", "", "CREATE (r:Revision) SET r = $revision "


def _restore_ties(tie_groups: Sequence[tuple[str, bool]]) -> str:
    """Recreate a restored entity's ties, one FOREACH per (type, direction)."""
    parts = []
    for i, (tie_type, out) in enumerate(tie_groups):
        rel = checked_name(tie_type)
        create = f"CREATE (n)-[t:{rel}]->(m) " if out else f"CREATE (m)-[t:{rel}]->(n) "
        parts.append(
            f"FOREACH (row IN $ties_{i} | FOREACH (m IN [o IN others WHERE o.id = row.other] | "
            f"{create}SET t = row.props)) "
        )
    return "".join(parts)


def entity_statement(
    dialect: Dialect,
    action: str,
    kind: str,
    old_kind: str,
    proposal: bool,
    tie_groups: Sequence[tuple[str, bool]] = (),
) -> str:
    """Return the statement that applies ``action`` to an entity of ``kind``."""
    start, carry, record = _parts(proposal)
    label, old = checked_name(kind), checked_name(old_kind)
    guard = dialect.version_guard.format(v="n", carry=carry)
    tail = f"{NEW_SOURCE}{record}{DONE}"
    if action == "create":
        return (
            f"{start}CREATE (n:Entity:{label}) SET n = $values, n.version = $new_version "
            f"SET n += $marks {tail}"
        )
    if action == "restore":
        return (
            f"{start}MATCH (n:Retired {{id: $id}}) {guard}"
            f"REMOVE n:Retired SET n:Entity:{label} "
            "SET n.retired_kind = null, n.retired_at = null, n.version = $new_version "
            f"SET n += $marks WITH {carry}n "
            f"OPTIONAL MATCH (m:Entity) WHERE m.id IN $others WITH {carry}n, collect(m) AS others "
            f"{_restore_ties(tie_groups)}{tail}"
        )
    head = f"{start}MATCH (n:Entity {{id: $id}}) {guard}"
    if action == "update":
        relabel = f"REMOVE n:{old} SET n:{label} " if label != old else ""
        return f"{head}{relabel}SET n += $values, n.version = $new_version SET n += $marks {tail}"
    if action == "retire":
        return (
            f"{head}OPTIONAL MATCH (n)-[t]-(:Entity) "
            f"WITH {carry}n, collect(t) AS ties, "
            "collect(t.id + '@' + toString(coalesce(t.version, 0))) AS keys "
            "WHERE size(keys) = size($tie_keys) AND all(k IN keys WHERE k IN $tie_keys) "
            f"FOREACH (t IN ties | DELETE t) REMOVE n:Entity:{old} "
            "SET n:Retired, n.retired_kind = $group, n.retired_at = $at, "
            f"n.version = $new_version SET n += $marks {tail}"
        )
    if action == "confirm":
        return f"{head}SET n.verified_at = $at, n.verified_by = $author {record}{DONE}"
    raise ValueError(f"unknown action {action!r}")


def tie_statement(dialect: Dialect, action: str, tie_type: str, proposal: bool) -> str:
    """Return the statement that applies ``action`` to a tie of ``tie_type``."""
    start, carry, record = _parts(proposal)
    rel = checked_name(tie_type)
    tail = f"{NEW_SOURCE}{record}{DONE}"
    if action in ("create", "restore"):
        return (
            f"{start}MATCH (a:Entity {{id: $from}}) MATCH (b:Entity {{id: $to}}) "
            f"OPTIONAL MATCH ()-[x:{rel} {{id: $id}}]->() WITH {carry}a, b, x WHERE x IS NULL "
            f"CREATE (a)-[t:{rel}]->(b) SET t = $values, t.version = $new_version "
            f"SET t += $marks {tail}"
        )
    guard = dialect.version_guard.format(v="t", carry=carry)
    head = f"{start}MATCH (a:Entity)-[t:{rel} {{id: $id}}]->(b:Entity) {guard}"
    if action == "update":
        return f"{head}SET t += $values, t.version = $new_version SET t += $marks {tail}"
    if action == "retire":
        return f"{head}DELETE t {tail}"
    if action == "confirm":
        return f"{head}SET t.verified_at = $at, t.verified_by = $author {record}{DONE}"
    raise ValueError(f"unknown action {action!r}")


PROPOSE = "CREATE (r:Revision) SET r = $revision RETURN r.id AS id, 0 AS version"
REJECT = (
    "MATCH (r:Revision {id: $id}) WHERE r.status = 'pending' "
    "SET r.status = 'rejected', r.reviewer = $reviewer, r.reviewed_at = $at, "
    "r.review_comment = $comment RETURN r.id AS id"
)
