"""Print the Cypher lint schema: ``python -m graph.model``."""

from graph.model.lint_schema import main

main()
