// title: Companies with no hospital or university tie
// description: Companies that have no tie to a hospital or university, neither directly nor
// description: through an event or programme both took part in: candidates for introductions.
// scans: whole graph
// param: country choices=countries default= example=FI label="Country (empty for all)"
// column: c Company
// column: company -
// column: city City
// column: sectors Sectors
// column: about About
// column: source Source
// column: evidence Evidence

MATCH (c:Company)
WHERE ($country IS NULL OR c.country = $country)
  AND NOT (c)--(:Hospital) AND NOT (c)--(:University)
  AND NOT (c)-[:PARTICIPATED_IN|PARTNER_IN|FUNDS]->(:Entity)<-[:PARTICIPATED_IN|PARTNER_IN|FUNDS|HOSTS|FOUNDED|ORGANISED]-(:Hospital)
  AND NOT (c)-[:PARTICIPATED_IN|PARTNER_IN|FUNDS]->(:Entity)<-[:PARTICIPATED_IN|PARTNER_IN|FUNDS|HOSTS|FOUNDED|ORGANISED]-(:University)
OPTIONAL MATCH (c)-[:LOCATED_IN]->(city:City)
RETURN c, c.name AS company, city.name AS city, c.sectors AS sectors,
       c.description AS about, c.source AS source, c.evidence AS evidence
ORDER BY company
