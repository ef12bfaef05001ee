// title: Programmes

MATCH (p:Programme)
RETURN p.id AS value, p.name AS label
ORDER BY label
