// title: Organisations in several programmes
// description: Who takes part in more than one programme, project or ecosystem (as partner,
// description: founder, coordinator, host, funder or participant): the natural bridges.
// scans: whole graph
// param: at_least type=int default=2 example=2 label="In at least this many programmes"
// column: o Organisation
// column: organisation -
// column: kind Kind
// column: count Programmes
// column: programmes Programme names
// column: roles Ties
// column: source Sources
// column: evidence Evidence

MATCH (o:Entity)-[r:PARTNER_IN|FOUNDED|COORDINATES|HOSTS|FUNDS|PARTICIPATED_IN]->(p:Programme)
WHERE NOT o:Person
WITH o, collect(DISTINCT p.name) AS programmes, collect(r) AS ties
WHERE size(programmes) >= $at_least
RETURN o, o.name AS organisation, [l IN labels(o) WHERE l <> 'Entity'][0] AS kind,
       size(programmes) AS count, programmes,
       [t IN ties | type(t)] AS roles,
       [t IN ties | t.source] AS source,
       [t IN ties | t.evidence] AS evidence
ORDER BY count DESC, organisation
