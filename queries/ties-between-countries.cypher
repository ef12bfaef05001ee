// title: Who connects two countries
// description: Every tie between an organisation, place or person of one country and one of
// description: the other: agreements, collaborations, visits, shared programmes and more.
// scans: whole graph
// param: country_a choices=countries example=FI label="Country"
// param: country_b choices=countries example=JP label="Other country"
// column: a From
// column: r Tie
// column: b To
// column: from_name -
// column: from_country From country
// column: tie -
// column: to_name -
// column: to_country To country
// column: source Source
// column: evidence Evidence

MATCH (a:Entity)-[r]->(b:Entity)
WHERE ((a.country = $country_a AND b.country = $country_b)
       OR (a.country = $country_b AND b.country = $country_a))
  AND type(r) <> 'LOCATED_IN'
  AND NOT any(l IN labels(a) + labels(b) WHERE l IN ['Country', 'Event'])
RETURN a, r, b,
       a.name AS from_name, a.country AS from_country, type(r) AS tie,
       b.name AS to_name, b.country AS to_country,
       r.source AS source, r.evidence AS evidence
ORDER BY tie, from_name, to_name
