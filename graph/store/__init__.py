"""Store access: the backend contract, FalkorDB and Neo4j adapters, the dialect, the read guard."""
