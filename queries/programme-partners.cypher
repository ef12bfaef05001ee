// title: Who is in a programme
// description: Everyone tied to a programme, project or arena: founders, partners,
// description: coordinators, funders, hosts and participants, and the parts of it.
// param: programme choices=programmes example=health2b label=Programme
// column: p -
// column: r Tie
// column: x Member
// column: member -
// column: kind Kind
// column: tie -
// column: role Role
// column: since Since
// column: source Source
// column: evidence Evidence

MATCH (p:Programme {id: $programme})-[r]-(x:Entity)
WHERE type(r) <> 'LOCATED_IN'
RETURN p, r, x,
       x.name AS member, [l IN labels(x) WHERE l <> 'Entity'][0] AS kind, type(r) AS tie,
       coalesce(r.role, r.kind) AS role, r.since AS since,
       r.source AS source, r.evidence AS evidence
ORDER BY tie, member
