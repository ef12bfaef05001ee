// title: Kinds of agreement

MATCH ()-[r:AGREEMENT]->()
RETURN DISTINCT r.kind AS value, r.kind AS label
ORDER BY label
