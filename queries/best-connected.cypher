// title: Best-connected organisations
// description: Organisations with the most ties of any kind (apart from where they are
// description: located) and how many others they are tied to.
// scans: whole graph
// param: kinds type=list default=Hospital,University,Company,Organisation,Programme,City,Region choices=Hospital|University|Company|Organisation|Programme|City|Region example=Hospital,University label="Kinds"
// param: top type=int default=10 example=3 label="How many"
// column: o Organisation
// column: organisation -
// column: kind Kind
// column: ties Ties
// column: neighbours Entities tied to
// column: source Sources
// column: evidence Evidence

MATCH (o:Entity)-[r]-(x:Entity)
WHERE any(l IN labels(o) WHERE l IN $kinds) AND type(r) <> 'LOCATED_IN'
WITH o, count(r) AS ties, count(DISTINCT x) AS neighbours,
     collect(DISTINCT r.source) AS source, collect(DISTINCT r.evidence) AS evidence
RETURN o, o.name AS organisation, [l IN labels(o) WHERE l <> 'Entity'][0] AS kind,
       ties, neighbours, source, evidence
ORDER BY ties DESC, neighbours DESC, organisation, o.id
LIMIT $top
