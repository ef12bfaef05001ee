// title: Find by name
// description: Everything whose name, local name or alias has words starting with the ones
// description: given (or within one typo of them), best matches first, with how many ties each has.
// dialect: falkordb
// param: words type=search example=hospit label="Words to look for"

CALL db.idx.fulltext.queryNodes('Entity', $words) YIELD node, score
RETURN node, node.name AS name, [l IN labels(node) WHERE l <> 'Entity'][0] AS kind,
       node.country AS country, size([(node)-[]-(x) | x]) AS ties,
       node.source AS source, node.evidence AS evidence
ORDER BY score DESC, name, node.id
LIMIT 50
