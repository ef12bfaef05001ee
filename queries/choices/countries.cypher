// title: Countries
// description: Every country in the graph, by its ISO code.

MATCH (c:Country)
RETURN c.country AS value, c.name AS label
ORDER BY label
