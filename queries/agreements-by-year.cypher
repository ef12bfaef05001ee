// title: Agreements by year and kind
// description: How many agreements were signed each year, of each kind, and between whom,
// description: from a year on; leave the kind empty for all kinds.
// scans: whole graph
// param: since type=date default=1900 example=2019 label="Signed in or after"
// param: kind choices=agreement-kinds default= example="memorandum of understanding" label="Kind of agreement"
// column: year Year
// column: kind Kind of agreement
// column: agreements Agreements
// column: parties Parties
// column: ids -
// column: source Sources
// column: evidence Evidence

MATCH (a:Entity)-[r:AGREEMENT]->(b:Entity)
WHERE r.signed >= $since AND ($kind IS NULL OR r.kind = $kind)
WITH left(r.signed, 4) AS year, r.kind AS kind, r, a, b
ORDER BY r.signed
RETURN year, kind, count(r) AS agreements,
       collect(a.name + ' – ' + b.name) AS parties,
       collect(r.id) AS ids,
       collect(r.source) AS source,
       collect(r.evidence) AS evidence
ORDER BY year, kind
