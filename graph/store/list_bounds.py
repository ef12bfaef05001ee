"""Bound the lists a read query builds with ``range()``, before it is sent.

A database builds ``range(a, b)`` whole, in one step its time limit does not interrupt and its
query memory cap does not count: ``range(1, 1000000000)`` ran for 90 s and took 15 GB. So every
``range()`` on the read path must have bounds known before it runs (whole numbers, ``$params``,
``size($param)``, and ``+ - * /`` of these), and hold at most :data:`MAX_LIST_ITEMS` items,
also together with the other ranges of the same list comprehension (one inside another
multiplies). Ranges in successive clauses (``UNWIND range(…) AS a UNWIND range(…) AS b``) are
built one at a time, between the time checks, and so are bounded one by one.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from graph.errors import QueryLimitError
from graph.store.guard import masked_statement

MAX_LIST_ITEMS = 1_000_000
_RANGE = re.compile(r"\brange\s*\(", re.IGNORECASE)
_SIZE_OF_PARAM = re.compile(r"\bsize\s*\(\s*\$([A-Za-z_]\w*)\s*\)", re.IGNORECASE)
_PARAM = re.compile(r"\$([A-Za-z_]\w*)")
_ARITHMETIC = re.compile(r"[0-9+\-*/()\s]*\Z")
_OPERATORS = {ast.Add: int.__add__, ast.Sub: int.__sub__, ast.Mult: int.__mul__}


def check_list_bounds(cypher: str, params: Mapping[str, Any] | None = None) -> None:
    """Raise :class:`QueryLimitError` unless every ``range()`` is small and known in advance."""
    masked = masked_statement(cypher)
    if "range" not in masked.lower():
        return  # most statements build no list
    lengths: dict[int, int] = {}
    for start in (match.end() for match in _RANGE.finditer(masked)):
        arguments = _arguments(masked, start)
        if not 2 <= len(arguments) <= 3:
            continue  # not a call the database accepts: it refuses it itself
        lengths[start] = _length(*[_value(text, params or {}) for text in arguments])
        _refuse_beyond(lengths[start])
    if not lengths:
        return  # no range() to multiply: the brackets need no walk
    for first, last in _brackets(masked):
        total = 1
        for position, length in lengths.items():
            if first < position < last:
                total *= length
        _refuse_beyond(total)


def _refuse_beyond(total: int) -> None:
    if total > MAX_LIST_ITEMS:
        raise QueryLimitError(
            f"range() would build a list of {total:,} items here; the read path allows "
            f"{MAX_LIST_ITEMS:,} (ranges inside one list comprehension multiply)"
        )


def _brackets(text: str) -> list[tuple[int, int]]:
    """Return the spans of ``[ … ]`` groups (list literals and comprehensions)."""
    opened, spans = [], []
    for index, char in enumerate(text):
        if char == "[":
            opened.append(index)
        elif char == "]" and opened:
            spans.append((opened.pop(), index))
    return spans


def _arguments(text: str, start: int) -> list[str]:
    """Split the arguments of the call whose ``(`` ends at ``start``, at top-level commas."""
    depth, parts, current = 0, [], start
    for index in range(start, len(text)):
        char = text[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                parts.append(text[current:index])
                return parts
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[current:index])
            current = index + 1
    return parts  # unbalanced: the database refuses the text itself


def _value(text: str, params: Mapping[str, Any]) -> int:
    """Evaluate one bound: whole numbers, $params, size($param) and + - * / of them."""
    expression = _SIZE_OF_PARAM.sub(lambda m: str(_size(params, m.group(1))), text)
    expression = _PARAM.sub(lambda m: str(_integer(params, m.group(1))), expression)
    if not _ARITHMETIC.match(expression) or not expression.strip():
        raise QueryLimitError(
            f"range({text.strip()}, …): on the read path range() bounds must be known before "
            "the query runs (whole numbers, $parameters, size($parameter))"
        )
    try:
        return _evaluate(ast.parse(expression.strip(), mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, RecursionError):
        raise QueryLimitError(f"range() bound {text.strip()!r} is not a whole number") from None


def _evaluate(node: ast.AST) -> int:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _evaluate(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return int(_evaluate(node.left) / _evaluate(node.right))  # Cypher truncates to zero
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    raise ValueError("not arithmetic on whole numbers")


def _integer(params: Mapping[str, Any], name: str) -> int:
    value = params.get(name)
    if type(value) is not int:
        raise QueryLimitError(f"range() bound ${name} must be given as a whole number")
    return value


def _size(params: Mapping[str, Any], name: str) -> int:
    value = params.get(name)
    if not isinstance(value, list | tuple | str):
        raise QueryLimitError(f"range() bound size(${name}) needs ${name} to be a list")
    return len(value)


def _length(start: int, end: int, step: int = 1) -> int:
    if step == 0:
        raise QueryLimitError("range() step must not be 0")
    return max(0, (end - start) // step + 1)
