// title: Agreements to renew
// description: Agreements whose end year falls before the given year and that no later
// description: agreement renews yet: the ones to plan a renewal for.
// scans: whole graph
// param: before type=int example=2031 label="Ending before year"
// param: include_renewed type=bool default=false label="Also show agreements already renewed"
// column: a Party
// column: r Agreement
// column: b Other party
// column: party -
// column: other_party -
// column: kind -
// column: signed Signed
// column: valid_until Valid until
// column: renewals Renewed by
// column: source Source
// column: evidence Evidence

OPTIONAL MATCH (:Entity)-[n:AGREEMENT]->(:Entity) WHERE n.renews IS NOT NULL
WITH collect([n.renews, n.id]) AS renewal_pairs
MATCH (a:Entity)-[r:AGREEMENT]->(b:Entity)
WHERE r.valid_until IS NOT NULL AND toInteger(left(r.valid_until, 4)) < $before
  AND ($include_renewed OR r.superseded IS NULL)
WITH a, r, b, [pair IN renewal_pairs WHERE pair[0] = r.id | pair[1]] AS renewals
RETURN a, r, b,
       a.name AS party, b.name AS other_party, r.kind AS kind, r.signed AS signed,
       r.valid_until AS valid_until, renewals,
       r.source AS source, r.evidence AS evidence
ORDER BY valid_until, party
