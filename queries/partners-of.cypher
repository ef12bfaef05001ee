// title: Partners of an organisation
// description: Who the organisation has signed agreements with or collaborates with, one
// description: row per agreement or collaboration, newest first.
// param: org choices=organisations example=oulu label=Organisation
// column: a -
// column: r Tie
// column: b Partner
// column: partner -
// column: tie -
// column: kind -
// column: signed Signed
// column: valid_until Valid until
// column: source Source
// column: evidence Evidence

MATCH (a:Entity {id: $org})-[r:AGREEMENT|COLLABORATES_WITH]-(b:Entity)
RETURN a, r, b,
       b.name AS partner, type(r) AS tie, r.kind AS kind, r.signed AS signed,
       r.valid_until AS valid_until, r.source AS source, r.evidence AS evidence
ORDER BY partner, signed DESC
