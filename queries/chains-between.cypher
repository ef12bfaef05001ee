// title: How two organisations are connected
// description: The shortest chains of ties between two organisations or places (up to six
// description: steps, any tie but where things are located), with the evidence for each step.
// param: from choices=organisations example=kipuwex label=From
// param: to choices=organisations example=tohoku-university-hospital label=To
// column: p Chain
// column: steps Steps
// column: chain -
// column: ties -
// column: source Sources
// column: evidence Evidence

MATCH (a:Entity {id: $from})
MATCH (b:Entity {id: $to})
WITH a, b WHERE a <> b
MATCH p = allShortestPaths((a)-[:AGREEMENT|PARTNER_IN|MEMBER_OF|FUNDS|WORKS_AT|PARTICIPATED_IN|VISITED|ORGANISED|COLLABORATES_WITH|FOUNDED|COORDINATES|PART_OF|HOSTS*..6]-(b))
RETURN p, length(p) AS steps, [n IN nodes(p) | n.name] AS chain,
       [r IN relationships(p) | type(r)] AS ties,
       [r IN relationships(p) | r.source] AS source,
       [r IN relationships(p) | r.evidence] AS evidence
ORDER BY steps, reduce(s = '', r IN relationships(p) | s + r.id + ' ')
LIMIT 25
