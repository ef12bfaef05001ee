// title: Find by name
// dialect: neo4j
// param: words type=words example=hospit* label="Word to look for"
// column: node Entity
// column: name -
// column: kind Kind
// column: country Country
// column: ties Ties
// column: source Source
// column: evidence Evidence

CALL db.index.fulltext.queryNodes('entity_search', $words) YIELD node, score
RETURN node, node.name AS name, [l IN labels(node) WHERE l <> 'Entity'][0] AS kind,
       node.country AS country, size([(node)-[]-(x) | x]) AS ties,
       node.source AS source, node.evidence AS evidence
ORDER BY score DESC, name
LIMIT 50
