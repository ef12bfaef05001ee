// title: Organisations and places
// description: Every actor that can hold a tie: cities, regions, hospitals, universities,
// description: companies, programmes and organisations.

MATCH (o:Entity)
WHERE any(l IN labels(o) WHERE l IN ['City', 'Region', 'Hospital', 'University', 'Company', 'Organisation', 'Programme'])
RETURN o.id AS value, o.name + ' (' + [l IN labels(o) WHERE l <> 'Entity'][0] + ')' AS label
ORDER BY label
