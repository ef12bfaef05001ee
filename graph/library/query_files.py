"""The saved-query file format: the ``//`` header, parameter types, declared against used.

``queries/README.md`` documents the grammar; :mod:`graph.library.saved_queries` builds on this.
"""

from __future__ import annotations

import functools
import math
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import SavedQueryError
from graph.model import is_partial_date
from graph.store.guard import mask_cypher
from graph.store.params import MAX_INT, MIN_INT

TYPES = {
    "text": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": "a date: YYYY, YYYY-MM or YYYY-MM-DD",
    "list": "a comma-separated list",
    "words": "words of letters or digits (end one with * to match the start of words)",
}
DIALECTS = ("any", "falkordb", "neo4j")
WHOLE_GRAPH = "whole graph"  # the one value of ``// scans:``
QUERY_KEYS = ("title", "description", "dialect", "scans", "param", "column")
CHOICES_KEYS = ("title", "description", "param")
PARAM_KEYS = ("type", "default", "example", "choices", "depends_on", "label")
_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}
_USED = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_BACKTICKED = re.compile(r"`[^`]*(`|\Z)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Parameters Ecomap binds itself, never from a form: a query may use them undeclared.
# ``$row_cap``: the most rows the read returns, so a search by distance can stop once the
# nearest alone fill them (what lies further would be cut anyway).
RESERVED_PARAMS = ("row_cap",)


@dataclass(frozen=True)
class Param:
    """One declared parameter; ``choices`` names a choices query, or is a tuple of values."""

    name: str
    type: str = "text"
    default: Any = None
    example: Any = None
    choices: str | tuple[Any, ...] | None = None
    depends_on: tuple[str, ...] = ()
    label: str = ""
    required: bool = True
    line: int = field(default=0, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """Describe the parameter for a form: inline choices as a list, else the query's name."""
        choices = list(self.choices) if isinstance(self.choices, tuple) else self.choices
        return {
            "name": self.name,
            "type": self.type,
            "label": self.label,
            "required": self.required,
            "default": self.default,
            "example": self.example,
            "choices": choices,
            "depends_on": list(self.depends_on),
        }


@dataclass(frozen=True)
class QueryFile:
    """One file: its name for messages, header keys, declared parameters, and query text."""

    file: str
    keys: dict[str, str]
    params: tuple[Param, ...]
    body: str
    columns: dict[str, str] = field(default_factory=dict)  # column: its title ("" hides it)


def read_query_file(path: Path, root: Path, allowed: tuple[str, ...]) -> QueryFile:
    """Split a file into its header (checked) and body; check declared against used params."""
    file = shown(path, root)
    lines = path.read_text(encoding="utf-8").split("\n")
    end = 0
    while end < len(lines) and lines[end].lstrip().startswith("//"):
        end += 1
    keys: dict[str, str] = {}
    params: list[Param] = []
    columns: dict[str, str] = {}
    for number, line in enumerate(lines[:end], 1):
        key, value = _header_line(line, f"{file}, line {number}", allowed)
        if key == "column":
            name, title = _column(value, f"{file}, line {number}")
            if name in columns:
                raise SavedQueryError(f"{file}, line {number}: column {name} is titled twice")
            columns[name] = title
        elif key == "param":
            param = _param(value, f"{file}, line {number}", number)
            if any(p.name == param.name for p in params):
                raise SavedQueryError(f"{file}, line {number}: ${param.name} is declared twice")
            if param.name in RESERVED_PARAMS:
                raise SavedQueryError(
                    f"{file}, line {number}: ${param.name} is bound by Ecomap itself; "
                    "use it without declaring it"
                )
            params.append(param)
        elif key == "description" and key in keys:
            keys[key] = f"{keys[key]} {value}".strip()
        elif key is not None:
            _check_key(key, value, keys, f"{file}, line {number}")
            keys[key] = value
    body = "\n".join(lines[end:]).strip()
    if not body:
        raise SavedQueryError(f"{file}: there is no query after the header")
    _check_declared(file, params, lines[end:], end + 1)
    return QueryFile(file, keys, tuple(params), body, columns)


def _column(text: str, where: str) -> tuple[str, str]:
    """Read ``NAME Title words`` (or ``NAME -``, a column the table leaves out)."""
    name, _, title = text.strip().partition(" ")
    title = title.strip()
    if not _NAME.match(name) or not title:
        raise SavedQueryError(
            f"{where}: a column line is '// column: NAME Title' or '// column: NAME -', "
            f"not {text.strip()!r}"
        )
    return name, "" if title == "-" else title


def _header_line(line: str, where: str, allowed: tuple[str, ...]) -> tuple[str | None, str]:
    content = line.strip()[2:].strip()
    if not content:
        return None, ""
    key, sep, value = content.partition(":")
    key = key.strip()
    if not sep or not _NAME.match(key):
        raise SavedQueryError(f"{where}: a header line is '// key: value', not {line.strip()!r}")
    if key not in allowed:
        raise SavedQueryError(f"{where}: unknown header key {key!r} (known: {', '.join(allowed)})")
    return key, value.strip()


def _check_key(key: str, value: str, keys: dict[str, str], where: str) -> None:
    if key in keys:
        raise SavedQueryError(f"{where}: {key} is given twice")
    if key == "dialect" and value not in DIALECTS:
        raise SavedQueryError(f"{where}: dialect is one of {', '.join(DIALECTS)}, not {value!r}")
    if key == "scans" and value != WHOLE_GRAPH:
        raise SavedQueryError(f"{where}: scans is {WHOLE_GRAPH!r} or left out, not {value!r}")


def _param(text: str, where: str, line: int) -> Param:
    """Parse ``name key=value ...`` (values with spaces in double quotes)."""
    try:
        name, *pairs = shlex.split(text)
    except ValueError as error:
        raise SavedQueryError(f"{where}: cannot read the param line: {error}") from None
    if not _NAME.match(name):
        raise SavedQueryError(f"{where}: {name!r} is not a parameter name (letters, digits, _)")
    given: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in PARAM_KEYS:
            raise SavedQueryError(
                f"{where}: ${name}: unknown setting {pair!r} (known: {', '.join(PARAM_KEYS)})"
            )
        if key in given:
            raise SavedQueryError(f"{where}: ${name}: {key} is given twice")
        given[key] = value
    return _typed_param(name, given, f"{where}: ${name}", line)


def _typed_param(name: str, given: dict[str, str], where: str, line: int) -> Param:
    kind = given.get("type", "text")
    if kind not in TYPES:
        raise SavedQueryError(f"{where}: type is one of {', '.join(TYPES)}, not {kind!r}")
    named = given.get("choices") or None
    choices: str | tuple[Any, ...] | None = named
    if named is not None and "|" in named:
        items = [item.strip() for item in named.split("|") if item.strip()]
        item_kind = "text" if kind == "list" else kind
        choices = tuple(convert(item_kind, item, f"{where}: choice") for item in items)
    default = given.get("default")
    default = None if is_blank(default) else convert(kind, default, f"{where}: default")
    example = given.get("example")
    example = None if is_blank(example) else convert(kind, example, f"{where}: example")
    if "default" not in given and example is None:
        raise SavedQueryError(f"{where}: a parameter with no default needs an example")
    for value, what in ((default, "default"), (example, "example")):
        if isinstance(choices, tuple) and value is not None:
            check_among(value, choices, f"{where}: {what}")
    depends_on = tuple(n.strip() for n in given.get("depends_on", "").split(",") if n.strip())
    label = given.get("label") or name.replace("_", " ").capitalize()
    return Param(
        name, kind, default, example, choices, depends_on, label, "default" not in given, line
    )


def _check_declared(file: str, params: list[Param], body: list[str], first: int) -> None:
    """Refuse a body that uses an undeclared $param, or a header param the body never uses."""
    used = _used_params(file, body, first)
    declared = {p.name for p in params}
    for name, line in used.items():
        if name not in declared and name not in RESERVED_PARAMS:
            raise SavedQueryError(
                f"{file}, line {line}: ${name} is used but not declared "
                f"(add a '// param: {name} ...' line)"
            )
    for param in params:
        if param.name not in used:
            raise SavedQueryError(
                f"{file}, line {param.line}: ${param.name} is declared but the query never uses it"
            )


def _used_params(file: str, lines: list[str], first: int) -> dict[str, int]:
    """Map each $name used outside comments, strings and backticked names to its first line.

    Masking each growing prefix keeps line numbers right across multi-line comments and strings.
    """
    found: dict[str, int] = {}
    for index in range(len(lines)):
        masked = mask_cypher("\n".join(lines[: index + 1]))
        if re.search(r"\$\s*`", masked):
            raise SavedQueryError(
                f"{file}, line {first + index}: backticked $`names` are not supported"
            )
        for name in _USED.findall(_BACKTICKED.sub("``", masked)):
            found.setdefault(name, first + index)
    return found


def with_reserved(text: str, bound: Mapping[str, Any], row_cap: int) -> dict[str, Any]:
    """Return ``bound`` with the reserved parameters ``text`` uses (:data:`RESERVED_PARAMS`)."""
    reserved = {"row_cap": row_cap}
    return {**bound, **{name: reserved[name] for name in _reserved_in(text)}}


@functools.cache
def _reserved_in(text: str) -> frozenset[str]:
    """The reserved parameters a query's text uses (found once per text, not per run)."""
    return frozenset(_USED.findall(text)) & frozenset(RESERVED_PARAMS)


def convert(kind: str, raw: Any, where: str) -> Any:
    """Return ``raw`` (form text, or an already typed value) as a value of ``kind``."""
    if isinstance(raw, list | tuple) and kind != "list":
        if len(raw) != 1:
            raise SavedQueryError(f"{where} takes one value, not {len(raw)}")
        raw = raw[0]
    try:
        value = _CONVERTERS[kind](raw.strip() if isinstance(raw, str) else raw)
    except (ValueError, TypeError):
        raise SavedQueryError(f"{where} must be {TYPES[kind]}, not {raw!r}") from None
    return value


def _to_int(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise TypeError
    value = int(raw)
    if not MIN_INT <= value <= MAX_INT:
        raise ValueError
    return value


def _to_float(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise TypeError
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError
    return value


def _to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in _TRUE | _FALSE:
        return raw.lower() in _TRUE
    raise ValueError


def _to_date(raw: Any) -> str:
    if not isinstance(raw, str) or not is_partial_date(raw):
        raise ValueError
    return raw


def _to_text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError
    return raw


def _to_list(raw: Any) -> list[str]:
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise TypeError
    return [item.strip() for item in items if item.strip()]


def _to_words(raw: Any) -> str:
    """Keep the words of ``raw`` (letters, digits, a trailing ``*``): nothing else reaches a
    full-text index, whose query syntax a stray bracket or quote would break.
    """
    if not isinstance(raw, str):
        raise TypeError
    words = re.findall(r"[^\W_]+\*?", raw)
    if not words:
        raise ValueError
    return " ".join(words)


_CONVERTERS = {
    "text": _to_text,
    "int": _to_int,
    "float": _to_float,
    "bool": _to_bool,
    "date": _to_date,
    "list": _to_list,
    "words": _to_words,
}


def check_among(value: Any, allowed: Any, where: str, given: str = "") -> None:
    """Refuse ``value`` (or any item of a list value) that is not in ``allowed``."""
    for item in value if isinstance(value, list) else [value]:
        if item not in allowed:
            allowed = list(allowed)
            listed = ", ".join(repr(a) for a in allowed[:12]) or "none"
            listed += ", …" if len(allowed) > 12 else ""
            context = f" when {given}" if given else ""
            raise SavedQueryError(
                f"{where}: {item!r} is not one of its choices{context} ({listed})"
            )


def is_blank(value: Any) -> bool:
    """Whether a form value counts as not given: None, blank text or an empty list."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | tuple) and not value)


def shown(path: Path, root: Path) -> str:
    """Name a file for messages as ``<folder>/<path inside it>``, e.g. queries/x.cypher."""
    return f"{root.name}/{path.relative_to(root).as_posix()}"
