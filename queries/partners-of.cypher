// title: Partners of an organisation
// description: Who the organisation has signed agreements with or collaborates with, one
// description: row per agreement or collaboration, newest first.
// param: org choices=organisations example=oulu label=Organisation

MATCH (a:Entity {id: $org})-[r:AGREEMENT|COLLABORATES_WITH]-(b:Entity)
RETURN a, r, b,
       b.name AS partner, type(r) AS tie, r.kind AS kind, r.signed AS signed,
       r.valid_until AS valid_until, r.source AS source, r.evidence AS evidence
ORDER BY partner, signed DESC
