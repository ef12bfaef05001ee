// title: Cities of a country
// param: country example=FI

MATCH (c:City)
WHERE c.country = $country
RETURN c.id AS value, c.name AS label
ORDER BY label
