// title: Partners of partners
// description: Who the organisation could reach through its partners: organisations two or
// description: three ties away through agreements, collaborations and shared programmes, and
// description: not already its partners (for a programme, not its own partners). One shortest
// description: chain each (the first by the ids of its ties when several are as short), with
// description: the evidence of every tie on it.
// dialect: falkordb
// scans: whole graph
// param: org choices=organisations example=tampere-university-hospital label=Organisation
// column: p Chain
// column: reachable Reachable
// column: chain -
// column: source Sources
// column: evidence Evidence

// A search by distance, one step of ties at a time, so the cost follows the entities reached
// and not the chains between them. Each entity keeps one row and one string, the shortest
// chain to it first by length and then by the ids of its ties: 'd tie1 entity1 tie2 entity2 '.
// Only the entities found at the last step take a further step (those whose string starts
// with it); min() keeps the first chain by length, then by tie ids.
//
// Rows come out nearest first, and at most $row_cap of them: once the entities two (or
// three) ties away that would be shown are more than that, nothing further could be, and
// the search stops there. The organisation's fellows in its programmes are not shown at two
// ties, so they are taken off that count first (a hub's partners reach most of a large graph
// in four ties: this is what keeps its answer to the nearest).
MATCH (a:Entity {id: $org})
OPTIONAL MATCH (a)-[:PARTNER_IN]->(:Programme)<-[:PARTNER_IN]-(fellow:Entity)
WITH a, count(DISTINCT fellow) AS fellows
WITH a, fellows, a AS n, '0 ' AS s, 0 AS k
WITH a, fellows, n, s, k, CASE WHEN s STARTS WITH '0' THEN n END AS u
OPTIONAL MATCH (u)-[r:AGREEMENT|COLLABORATES_WITH|PARTNER_IN]-(m:Entity)
UNWIND CASE WHEN m IS NULL THEN [[n, s, k]]
       ELSE [[n, s, k], [m, '1' + substring(s, 1) + r.id + ' ' + m.id + ' ',
       CASE WHEN m:Programme AND type(r) = 'PARTNER_IN' AND startNode(r) = a
       THEN 1 ELSE 0 END]] END AS g
WITH a, fellows, g[0] AS n, min(g[1]) AS s, max(g[2]) AS k
WITH a, fellows, n, s, k, CASE WHEN s STARTS WITH '1' THEN n END AS u
OPTIONAL MATCH (u)-[r:AGREEMENT|COLLABORATES_WITH|PARTNER_IN]-(m:Entity)
UNWIND CASE WHEN m IS NULL THEN [[n, s, k]]
       ELSE [[n, s, k], [m, '2' + substring(s, 1) + r.id + ' ' + m.id + ' ',
       CASE WHEN k = 1 AND type(r) = 'PARTNER_IN' AND startNode(r) = m
       THEN 1 ELSE 0 END]] END AS g
WITH a, fellows, g[0] AS n, min(g[1]) AS s, max(g[2]) AS k
WITH a, fellows, collect([n, s, k]) AS found
WITH a, fellows, found,
     size([f IN found WHERE f[1] >= '2' AND NOT 'Programme' IN labels(f[0])]) - fellows
       > $row_cap AS enough
UNWIND found AS f
WITH a, fellows, f[0] AS n, f[1] AS s, f[2] AS k, enough
WITH a, fellows, n, s, k, CASE WHEN s STARTS WITH '2' AND NOT enough THEN n END AS u
OPTIONAL MATCH (u)-[r:AGREEMENT|COLLABORATES_WITH|PARTNER_IN]-(m:Entity)
UNWIND CASE WHEN m IS NULL THEN [[n, s, k]]
       ELSE [[n, s, k], [m, '3' + substring(s, 1) + r.id + ' ' + m.id + ' ', 0]] END AS g
WITH a, fellows, g[0] AS n, min(g[1]) AS s, max(g[2]) AS k
WITH a, fellows, collect([n, s, k]) AS found
WITH a, fellows, found,
     size([f IN found WHERE f[1] >= '2' AND NOT 'Programme' IN labels(f[0])]) - fellows
       > $row_cap AS enough
UNWIND found AS f
WITH a, fellows, f[0] AS n, f[1] AS s, f[2] AS k, enough
WITH a, fellows, n, s, k, CASE WHEN s STARTS WITH '3' AND NOT enough THEN n END AS u
OPTIONAL MATCH (u)-[r:AGREEMENT|COLLABORATES_WITH|PARTNER_IN]-(m:Entity)
UNWIND CASE WHEN m IS NULL THEN [[n, s, k]]
       ELSE [[n, s, k], [m, '4' + substring(s, 1) + r.id + ' ' + m.id + ' ', 0]] END AS g
WITH a, fellows, g[0] AS n, min(g[1]) AS s, max(g[2]) AS k

// Two to four ties away, not a programme, and not in a programme with the organisation: k
// marks those (at one tie, the organisation's programmes; at two, their partners), so no
// list of programmes is carried on each of a hub's quarter of a million rows.
WITH a, n AS c, split(trim(s), ' ') AS hops, k
WHERE hops[0] IN ['2', '3', '4'] AND NOT c:Programme AND (hops[0] <> '2' OR k = 0)

// Sorted before the chains are matched again, so that FalkorDB stops at the row cap.
WITH a, c, hops ORDER BY hops[0], c.name, c.id
OPTIONAL MATCH (m1:Entity {id: hops[2]})
OPTIONAL MATCH (m2:Entity {id: hops[4]})
OPTIONAL MATCH (m3:Entity {id: hops[6]})
OPTIONAL MATCH p2 = (a)-[x1]-(m1)-[x2]-(c)
WHERE hops[0] = '2' AND x1.id = hops[1] AND x2.id = hops[3]
OPTIONAL MATCH p3 = (a)-[y1]-(m1)-[y2]-(m2)-[y3]-(c)
WHERE hops[0] = '3' AND y1.id = hops[1] AND y2.id = hops[3] AND y3.id = hops[5]
OPTIONAL MATCH p4 = (a)-[z1]-(m1)-[z2]-(m2)-[z3]-(m3)-[z4]-(c)
WHERE hops[0] = '4' AND z1.id = hops[1] AND z2.id = hops[3] AND z3.id = hops[5] AND z4.id = hops[7]
WITH c, coalesce(p2, p3, p4) AS p
RETURN p, c.name AS reachable, [n IN nodes(p) | n.name] AS chain,
       [r IN relationships(p) | r.source] AS source,
       [r IN relationships(p) | r.evidence] AS evidence
