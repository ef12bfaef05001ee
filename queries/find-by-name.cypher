// title: Find by name
// description: Everything whose name, local name or alias has the word (end it with * to match
// description: the start of words), best matches first, with how many ties each has.
// dialect: falkordb
// param: words type=words example=hospit* label="Word to look for"
// column: node Entity
// column: name -
// column: kind Kind
// column: country Country
// column: ties Ties
// column: source Source
// column: evidence Evidence

// The best 50 first, then their ties counted: counting them for every match reads every
// tie of every entity a common word names.
CALL db.idx.fulltext.queryNodes('Entity', $words) YIELD node, score
WITH node, score
ORDER BY score DESC, node.name
LIMIT 50
RETURN node, node.name AS name, [l IN labels(node) WHERE l <> 'Entity'][0] AS kind,
       node.country AS country, size([(node)-[]-(x) | x]) AS ties,
       node.source AS source, node.evidence AS evidence
ORDER BY score DESC, name
LIMIT 50
