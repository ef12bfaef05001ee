// title: Everything tied to an organisation
// description: Pick a country, then one of its cities, then an organisation there: every tie
// description: it has (agreements, partnerships, funding, people, visits, events), with the
// description: evidence for each.
// param: country choices=countries example=FI label=Country
// param: city choices=cities depends_on=country example=oulu label=City
// param: org choices=city-organisations depends_on=city example=oulu-university-hospital label=Organisation
// column: o Organisation
// column: r Tie
// column: x Other party
// column: tie -
// column: direction Direction
// column: other -
// column: kind Other party is
// column: about Kind or role
// column: date Date
// column: source Source
// column: evidence Evidence

MATCH (c:City {id: $city})
WHERE c.country = $country
MATCH (o:Entity {id: $org})-[:PART_OF*0..1]->(:Entity)-[:LOCATED_IN]->(c)
WITH DISTINCT o
MATCH (o)-[r]-(x:Entity)
WHERE type(r) <> 'LOCATED_IN'
RETURN o, r, x,
       type(r) AS tie, CASE WHEN startNode(r) = o THEN 'out' ELSE 'in' END AS direction,
       x.name AS other, [l IN labels(x) WHERE l <> 'Entity'][0] AS kind,
       coalesce(r.kind, r.role) AS about, coalesce(r.signed, r.date, r.since) AS date,
       r.source AS source, r.evidence AS evidence
ORDER BY tie, other
