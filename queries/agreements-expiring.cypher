// title: Agreements to renew
// description: Agreements whose end year falls before the given year and that no later
// description: agreement renews yet: the ones to plan a renewal for.
// param: before type=int example=2031 label="Ending before year"
// param: include_renewed type=bool default=false label="Also show agreements already renewed"

MATCH (a:Entity)-[r:AGREEMENT]->(b:Entity)
WHERE r.valid_until IS NOT NULL AND toInteger(left(r.valid_until, 4)) < $before
WITH a, r, b, [(:Entity)-[n:AGREEMENT]->(:Entity) WHERE n.renews = r.id | n.id] AS renewals
WHERE $include_renewed OR size(renewals) = 0
RETURN a, r, b,
       a.name AS party, b.name AS other_party, r.kind AS kind, r.signed AS signed,
       r.valid_until AS valid_until, renewals,
       r.source AS source, r.evidence AS evidence
ORDER BY valid_until, party
