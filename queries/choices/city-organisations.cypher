// title: Organisations in a city
// description: Hospitals, universities, companies, organisations and programmes located in
// description: the city, or part of one that is.
// param: city example=oulu

MATCH (o:Entity)-[:PART_OF*0..1]->(:Entity)-[:LOCATED_IN]->(:City {id: $city})
WHERE any(l IN labels(o) WHERE l IN ['Hospital', 'University', 'Company', 'Organisation', 'Programme'])
WITH DISTINCT o
RETURN o.id AS value, o.name + ' (' + [l IN labels(o) WHERE l <> 'Entity'][0] + ')' AS label
ORDER BY label
