// title: Agreements in force in a year
// description: Agreements that had started by the year, had not ended before it and had not
// description: yet been replaced by a renewal.
// scans: whole graph
// param: year type=int example=2022
// column: a Party
// column: r Agreement
// column: b Other party
// column: party -
// column: other_party -
// column: kind -
// column: signed Signed
// column: valid_from Valid from
// column: valid_until Valid until
// column: source Source
// column: evidence Evidence

MATCH (a:Entity)-[r:AGREEMENT]->(b:Entity)
WHERE toInteger(left(coalesce(r.valid_from, r.signed), 4)) <= $year
  AND (r.valid_until IS NULL OR toInteger(left(r.valid_until, 4)) >= $year)
  AND (r.superseded IS NULL OR toInteger(left(r.superseded, 4)) > $year)
RETURN a, r, b,
       a.name AS party, b.name AS other_party, r.kind AS kind, r.signed AS signed,
       r.valid_from AS valid_from, r.valid_until AS valid_until,
       r.source AS source, r.evidence AS evidence
ORDER BY signed, party
