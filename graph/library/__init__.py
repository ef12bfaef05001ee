"""The saved-query library: the `.cypher` file format and the queries read from it."""
