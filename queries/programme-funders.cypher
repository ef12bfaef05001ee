// title: Programmes and their funders
// description: Who funds which programme, project or arena, with the amount where the
// description: sources state it.
// scans: whole graph
// param: min_amount type=float default=0 example=1000000 label="Only amounts of at least"
// column: f Funder
// column: r Funding
// column: p Programme
// column: programme -
// column: funder -
// column: kind -
// column: amount Amount
// column: currency Currency
// column: note Note
// column: source Source
// column: evidence Evidence

MATCH (f:Entity)-[r:FUNDS]->(p:Entity)
WHERE $min_amount <= 0 OR r.amount >= $min_amount
RETURN f, r, p,
       p.name AS programme, f.name AS funder, r.kind AS kind, r.amount AS amount,
       r.currency AS currency, r.note AS note, r.source AS source, r.evidence AS evidence
ORDER BY programme, funder
