// title: Partners of partners
// description: Who the organisation could reach through its partners: organisations two or
// description: three ties away through agreements, collaborations and shared programmes, and
// description: not already its partners. One shortest chain each, with the evidence of every
// description: tie on it.
// param: org choices=organisations example=tampere-university-hospital label=Organisation
// column: p Chain
// column: reachable Reachable
// column: chain -
// column: source Sources
// column: evidence Evidence

MATCH (a:Entity {id: $org})
MATCH p = (a)-[:AGREEMENT|COLLABORATES_WITH|PARTNER_IN*2..4]-(c:Entity)
WHERE c <> a AND NOT c:Programme
  AND NOT (a)-[:AGREEMENT|COLLABORATES_WITH]-(c)
  AND NOT (a)-[:PARTNER_IN]->(:Programme)<-[:PARTNER_IN]-(c)
WITH c, p ORDER BY length(p), reduce(s = '', r IN relationships(p) | s + r.id + ' ')
WITH c, collect(p)[0] AS p
RETURN p, c.name AS reachable, [n IN nodes(p) | n.name] AS chain,
       [r IN relationships(p) | r.source] AS source,
       [r IN relationships(p) | r.evidence] AS evidence
ORDER BY length(p), reachable, c.id
