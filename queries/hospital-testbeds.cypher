// title: Hospital testbeds, labs and arenas
// description: Programmes a hospital hosts, founded or owns, the parts of them, and the other
// description: programmes they collaborate with.
// scans: whole graph
// param: country choices=countries default= example=FI label="Country (empty for all)"
// column: h Hospital
// column: r Tie
// column: p Programme
// column: c Collaboration
// column: other Collaborates with
// column: hospital -
// column: tie -
// column: programme -
// column: about About
// column: collaborates_with -
// column: source Source
// column: evidence Evidence
// column: collaboration_source Source of the collaboration
// column: collaboration_evidence Evidence of the collaboration

MATCH (h:Hospital)-[r:HOSTS|FOUNDED|PARTNER_IN]->(p:Programme)
WHERE (type(r) <> 'PARTNER_IN' OR r.role IN ['founder', 'project owner'])
  AND ($country IS NULL OR h.country = $country)
OPTIONAL MATCH (p)-[c:COLLABORATES_WITH]-(other:Programme)
RETURN h, r, p, c, other,
       h.name AS hospital, type(r) AS tie, p.name AS programme, p.description AS about,
       other.name AS collaborates_with,
       r.source AS source, r.evidence AS evidence,
       c.source AS collaboration_source, c.evidence AS collaboration_evidence
ORDER BY hospital, programme
