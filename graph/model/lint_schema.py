"""The graph as Neo4j's Cypher linter should know it, written from the model at lint time."""

from __future__ import annotations

import json
from typing import Any

from graph.model.records import stored_keys
from graph.model.vocabulary import NODE_LABELS, RELATIONSHIP_TYPES

# Read-path procedures (graph/store/guard.py allows them) that Neo4j 5 has.
NEO4J_PROCEDURES = (
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.index.fulltext.queryNodes",
    "db.index.fulltext.queryRelationships",
    "db.schema.visualization",
    "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
    "dbms.components",
)
LOADER_KEYS = {"search_text"}  # written by the loader, not declared on a record


def lint_schema() -> dict[str, Any]:
    """Return the labels, relationship types, property keys and procedures queries may use."""
    return {
        "labels": ["Entity", *NODE_LABELS, "Source"],
        "relationshipTypes": list(RELATIONSHIP_TYPES),
        "propertyKeys": sorted(stored_keys() | LOADER_KEYS),
        "procedures": list(NEO4J_PROCEDURES),
    }


def main() -> None:
    """Print the lint schema as JSON (``python -m graph.model``)."""
    print(json.dumps(lint_schema(), indent=2))
