// title: People and their organisations
// description: Who works where, in what role, optionally for organisations of one country.
// scans: whole graph
// param: country choices=countries default= example=DK label="Country (empty for all)"
// column: p Person
// column: r Tie
// column: o Organisation
// column: person -
// column: role Role
// column: title Title
// column: organisation -
// column: country Country
// column: source Source
// column: evidence Evidence

MATCH (p:Person)-[r:WORKS_AT]->(o:Entity)
WHERE $country IS NULL OR o.country = $country
RETURN p, r, o,
       p.name AS person, r.role AS role, r.title AS title, o.name AS organisation,
       o.country AS country, r.source AS source, r.evidence AS evidence
ORDER BY organisation, person
