"""The fields GraphML and GEXF exports carry, and text made safe for XML."""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import quoteattr

from graph.load.cells import write_list
from graph.model import NODE_FIELDS, NUMBER, RELATIONSHIP_FIELDS

NODE_KEYS = ("kind", *(k for k in NODE_FIELDS if k != "id"))
EDGE_KEYS = (
    "type",
    *(k for k in RELATIONSHIP_FIELDS if k not in ("id", "from", "to")),
    "superseded",
)
NUMERIC = frozenset(k for k, v in {**NODE_FIELDS, **RELATIONSHIP_FIELDS}.items() if v == NUMBER)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value: Any) -> str:
    """Return a value as text XML can hold (lists joined by |, control characters dropped)."""
    shown = write_list(value) if isinstance(value, list | tuple) else str(value)
    return _NOT_XML.sub("", shown)


def attr(value: Any) -> str:
    """Return a value as a quoted XML attribute."""
    return quoteattr(text(value))
