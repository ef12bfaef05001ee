"""Static checks of Cypher text before it reaches the read path of any backend.

The backends enforce read-only execution themselves (FalkorDB's ``GRAPH.RO_QUERY`` under a
read-only ACL user, Neo4j's ``EXPLAIN`` query type); this module refuses what they would
let through: ``LOAD CSV`` (reads files and URLs), procedures outside a read allow-list, and
administration commands (``SHOW TRANSACTIONS``, ``TERMINATE TRANSACTIONS``, ``SHOW USERS``,
``GRANT``, ``CREATE USER``, ``USE system`` …), which Neo4j's ``EXPLAIN`` may report as reads.
"""

from __future__ import annotations

import functools
import re

from graph.errors import QueryError, ReadOnlyError
from graph.store.params import is_text

READ_PROCEDURES = frozenset(
    name.lower()
    for name in (
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.indexes",
        "db.constraints",
        "db.meta.stats",
        "db.idx.fulltext.queryNodes",
        "db.idx.fulltext.queryRelationships",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "dbms.components",
        "dbms.procedures",
        "dbms.functions",
    )
)

_TOKENS = re.compile(
    r"""
      (?P<line_comment>//[^\n]*)
    | (?P<block_comment>/\*.*?(\*/|\Z))
    | (?P<single>'(?:[^'\\]|\\.)*('|\Z))
    | (?P<double>"(?:[^"\\]|\\.)*("|\Z))
    | (?P<backtick>`[^`]*(`|\Z))
    """,
    re.VERBOSE | re.DOTALL,
)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
_NAME = r"(?:[A-Za-z_]\w*|`[^`]*`)"
_ADMIN = re.compile(
    r"""
      \bSHOW\s+(?:[A-Z]+\s+){0,3}?(?:TRANSACTIONS?|FUNCTIONS?|PROCEDURES?|SETTINGS?|INDEX(?:ES)?
        |CONSTRAINTS?|USERS?|ROLES?|DATABASES?|PRIVILEGES?|SERVERS?|ALIAS(?:ES)?|QUERIES)\b
    | \bTERMINATE\s+TRANSACTIONS?\b
    | \b(?:GRANT|DENY|REVOKE)\s+[A-Z]
    | \b(?:CREATE|DROP|ALTER|RENAME)\s+(?:OR\s+REPLACE\s+)?(?:CURRENT\s+)?
        (?:USER|ROLE|(?:COMPOSITE\s+)?DATABASE|ALIAS|SERVER)\b
    | \b(?:START|STOP)\s+DATABASE\b
    | \b(?:ENABLE|DEALLOCATE|REALLOCATE|DRYRUN)\s+(?:SERVER|DATABASES?)\b
    | (?:^|[;}]|\bUNION(?:\s+ALL)?)\s*USE\s+[A-Z`]
    """,
    re.IGNORECASE | re.VERBOSE,
)
_CALL = re.compile(rf"\bCALL\s+(?!\{{)({_NAME}(?:\s*\.\s*{_NAME})*)", re.IGNORECASE)


def mask_cypher(cypher: str) -> str:
    """Return ``cypher`` with comments removed and string literals blanked.

    Backticked names are kept (procedure names may be quoted); strings become ``''``.
    """

    def replace(match: re.Match[str]) -> str:
        kind = match.lastgroup
        if kind in ("line_comment", "block_comment"):
            return " "
        if kind == "backtick":
            return match.group(0)
        return "''"

    return _TOKENS.sub(replace, cypher)


# Statements sent repeatedly (every page's own) are masked once; longer texts each time.
MASKED_KEPT, MASKED_UP_TO = 1024, 20_000


@functools.lru_cache(maxsize=MASKED_KEPT)
def _masked_once(cypher: str) -> str:
    return mask_cypher(cypher)


def masked_statement(cypher: str) -> str:
    """Return :func:`mask_cypher` of a statement about to be sent, kept for the next time."""
    return _masked_once(cypher) if len(cypher) <= MASKED_UP_TO else mask_cypher(cypher)


def called_procedures(cypher: str) -> list[str]:
    """Return the procedures a statement calls, lower-cased, backticks removed."""
    masked = masked_statement(cypher)
    names = []
    for match in _CALL.finditer(masked):
        names.append(re.sub(r"[`\s]", "", match.group(1)).lower())
    return names


def check_read_statement(cypher: str) -> None:
    """Raise :class:`ReadOnlyError` for what no read path may run, whatever the backend.

    A statement found fit is remembered as such (a page sends the same few dozen each time).
    """
    if cypher in _FIT:
        return
    _check_read_statement(cypher)
    if len(cypher) <= MASKED_UP_TO:
        if len(_FIT) >= MASKED_KEPT:
            _FIT.clear()
        _FIT.add(cypher)


_FIT: set[str] = set()  # statements check_read_statement let through


def _check_read_statement(cypher: str) -> None:
    if not is_text(cypher):
        raise QueryError("the query text contains a lone surrogate (half of a character)")
    masked = masked_statement(cypher)
    if _LOAD_CSV.search(masked):
        raise ReadOnlyError("LOAD CSV reads files and URLs; it is not allowed on the read path")
    admin = _ADMIN.search(masked)
    if admin:
        command = " ".join(admin.group(0).split()[:2]).upper()
        raise ReadOnlyError(
            f"administration commands ({command} …) are not allowed on the read path"
        )
    for name in called_procedures(cypher):
        if name not in READ_PROCEDURES:
            raise ReadOnlyError(
                f"procedure {name} is not allowed on the read path "
                "(only schema, index-query and listing procedures are)"
            )
