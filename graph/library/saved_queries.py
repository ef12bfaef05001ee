"""Saved Cypher queries: one file each, a ``//`` header, parameters bound and never pasted.

``queries/README.md`` documents the header. :func:`load_library` reads a folder into one
normalised shape (like Datasette's canned queries) and refuses, with the file and line, any
file whose declared and used parameters disagree. Queries run only through the read path,
after their values are typed and checked against their choices on the server.
"""

from __future__ import annotations

import graphlib
import json
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import SavedQueryError
from graph.library.query_files import (
    CHOICES_KEYS,
    QUERY_KEYS,
    WHOLE_GRAPH,
    Param,
    QueryFile,
    check_among,
    convert,
    is_blank,
    read_query_file,
    shown,
    with_reserved,
)
from graph.model import SLUG
from graph.store.base import Store
from graph.store.results import Result

TWIN_SUFFIX = ".neo4j.cypher"
MAX_DROPDOWN = 200  # more choices than this, and the form searches them instead of listing
SEARCH_LIMIT = 50
# A choices query wrapped to answer about given values, or about labels that hold some text:
# the database filters every choice, so no row cap cuts what is checked or found.
CHECK_VALUES = "\n}\nWITH value WHERE value IN $ecomap_values RETURN DISTINCT value"
SEARCH_LABELS = (
    "\n}}\nWITH value, label WHERE toLower(toString(label)) CONTAINS toLower($ecomap_search) "
    "OR toLower(toString(value)) CONTAINS toLower($ecomap_search) "
    "RETURN value, label ORDER BY label LIMIT {limit}"
)


@dataclass(frozen=True)
class ChoicesQuery:
    """A query in ``choices/`` returning ``value`` and ``label`` for one dropdown."""

    name: str
    file: str
    text: str
    params: tuple[Param, ...]


@dataclass(frozen=True)
class SavedQuery:
    """A saved query: what the form shows, and its text per dialect (``any`` for both)."""

    slug: str
    title: str
    description: str
    params: tuple[Param, ...]
    texts: Mapping[str, str]
    choice_queries: Mapping[str, ChoicesQuery] = field(default_factory=dict, repr=False)
    file: str = ""
    scans_whole_graph: bool = False  # ``// scans: whole graph``: its answers are remembered
    columns: Mapping[str, str] = field(default_factory=dict)  # titles; "" leaves one out

    def column_title(self, column: str) -> str:
        """Return the title of a result column: declared, else its name in words ("" hides)."""
        if column in self.columns:
            return self.columns[column]
        return column.replace("_", " ").strip().capitalize() or column

    def param(self, name: str) -> Param:
        """Return the parameter called ``name``."""
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(f"${p.name}" for p in self.params) or "none"
        raise SavedQueryError(f"{self.slug} has no parameter ${name} (it takes {known})")

    def to_json(self) -> dict[str, Any]:
        """Describe the query in one plain shape (the ``.json`` twin of its form)."""
        return {
            "slug": self.slug,
            "title": self.title,
            "description": self.description,
            "dialects": sorted(self.texts),
            "scans_whole_graph": self.scans_whole_graph,
            "params": [param.to_json() for param in self.params],
            "columns": dict(self.columns),
        }

    def examples(self) -> dict[str, Any]:
        """Return the example value of every parameter (its default where it has none)."""
        return {p.name: p.default if p.example is None else p.example for p in self.params}

    def text_for(self, dialect_name: str) -> str:
        """Return the query text to send to a backend of ``dialect_name``."""
        text = self.texts.get(dialect_name, self.texts.get("any"))
        if text is None:
            runs_on = " and ".join(self.texts)
            raise SavedQueryError(f"{self.slug} has no {dialect_name} variant (only {runs_on})")
        return text

    def bind(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Convert form values (text, or lists of text) to typed parameter values.

        A blank value takes the default; a required parameter left blank, an unknown name, a
        value that is not of the parameter's type or not among its inline choices is refused.
        """
        for name in raw:
            self.param(name)
        values = {}
        for param in self.params:
            given = raw.get(param.name)
            if is_blank(given):
                if param.required:
                    raise SavedQueryError(f"{self.slug}: ${param.name} is required")
                default = param.default
                values[param.name] = list(default) if isinstance(default, list) else default
                continue
            values[param.name] = convert(param.type, given, f"{self.slug}: ${param.name}")
            if isinstance(param.choices, tuple):
                check_among(values[param.name], param.choices, f"{self.slug}: ${param.name}")
        return values

    def choices(
        self, store: Store, param_name: str, bound_values: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        """Return the ``value``/``label`` options of a parameter, given the ones it depends on."""
        return self._choices(store, self.param(param_name), bound_values)[0]

    def choice_page(
        self,
        store: Store,
        param_name: str,
        bound_values: Mapping[str, Any],
        search: str | None = None,
    ) -> tuple[list[dict[str, Any]], bool]:
        """Return up to :data:`MAX_DROPDOWN` options (those whose label or value holds
        ``search``, up to :data:`SEARCH_LIMIT`, when given) and whether there are more.
        """
        param = self.param(param_name)
        if isinstance(param.choices, str) and search is not None and search.strip():
            tail = SEARCH_LABELS.format(limit=SEARCH_LIMIT + 1)
            extra = {"ecomap_search": search.strip()}
            result = self._read_choices(store, param, bound_values, tail, extra)
            options = [{"value": r["value"], "label": r["label"]} for r in result.rows]
            return options[:SEARCH_LIMIT], len(options) > SEARCH_LIMIT
        options, truncated = self._choices(store, param, bound_values, MAX_DROPDOWN + 1)
        return options[:MAX_DROPDOWN], truncated or len(options) > MAX_DROPDOWN

    def is_choice(
        self, store: Store, param_name: str, value: Any, bound_values: Mapping[str, Any]
    ) -> bool:
        """Whether ``value`` (each item of a list) is among the parameter's choices."""
        param = self.param(param_name)
        if isinstance(param.choices, tuple):
            return all(item in param.choices for item in _items(value))
        return not self._missing(store, param, _items(value), bound_values)

    def run(
        self,
        store: Store,
        values: Mapping[str, Any],
        *,
        timeout_ms_: int | None = None,
        row_cap_: int | None = None,
    ) -> Result:
        """Bind ``values``, refuse any outside its current choices, and run on the read path.

        A query that scans the whole graph answers once per data version and set of values,
        read with the write time limit unless told otherwise, as the home page's lists are
        (at a million entities some take longer than a page's read limit, and would never be
        answered).
        """
        key, read = self._prepare(store, values, timeout_ms_, row_cap_)
        return read() if key is None else store.remember(key, read)

    def run_soon(
        self,
        store: Store,
        values: Mapping[str, Any],
        wait_s: float,
        holding: Callable[[], AbstractContextManager[Any]] = nullcontext,
    ) -> Result | None:
        """Run a query that scans the whole graph in the background, holding ``holding()``
        while it runs; return its result if it is in within ``wait_s``, else None (it goes
        on, and is kept for the data version: a later call gets it).

        Values are checked here, before anything starts; the run's own errors reach the
        caller that waits for it, or else the next one to ask.
        """
        key, read = self._prepare(store, values, None, None)
        if key is None:
            raise SavedQueryError(f"{self.slug} does not scan the whole graph")

        def held() -> Result:
            with holding():
                return read()

        return store.remember_soon(key, held, wait_s)

    def _prepare(
        self,
        store: Store,
        values: Mapping[str, Any],
        timeout_ms_: int | None,
        row_cap_: int | None,
    ) -> tuple[Hashable | None, Callable[[], Result]]:
        """Bind and check ``values``; return the key its answer is kept under (None when it
        is not kept) and the read to run."""
        bound = self.bind(values)
        for param in self.params:
            if isinstance(param.choices, str) and bound[param.name] is not None:
                self._enforce(store, param, bound)
        for param in self.params:  # the backend's full-text syntax, built from the words alone
            if param.type == "words" and bound[param.name] is not None:
                bound[param.name] = store.dialect.fulltext_terms(bound[param.name])
        text = self.text_for(store.dialect.name)  # from a library file, never from a request
        if self.scans_whole_graph and timeout_ms_ is None:
            timeout_ms_ = store.settings.write_timeout_ms
        limits = store.read_limits(timeout_ms_, row_cap_)
        bound = with_reserved(text, bound, limits.row_cap)

        def read() -> Result:
            return store.read(text, bound, timeout_ms_=timeout_ms_, row_cap_=row_cap_)

        if not self.scans_whole_graph:
            return None, read
        return ("saved", self.slug, text, _key(bound), limits.row_cap), read

    def _choices(
        self, store: Store, param: Param, bound: Mapping[str, Any], row_cap: int | None = None
    ) -> tuple[list[dict[str, Any]], bool]:
        if param.choices is None:
            raise SavedQueryError(f"{self.slug}: ${param.name} has no choices")
        if isinstance(param.choices, tuple):
            return [{"value": v, "label": str(v)} for v in param.choices], False
        result = self._read_choices(store, param, bound, "", {}, row_cap)
        query = self.choice_queries[param.choices]
        if not {"value", "label"} <= set(result.columns):
            found = ", ".join(result.columns)
            raise SavedQueryError(f"{query.file} must return value and label, not {found}")
        options = [{"value": row["value"], "label": row["label"]} for row in result.rows]
        return options, result.truncated

    def _read_choices(
        self,
        store: Store,
        param: Param,
        bound: Mapping[str, Any],
        tail: str,
        extra: Mapping[str, Any],
        row_cap: int | None = None,
    ) -> Result:
        """Run a parameter's choices query (wrapped as ``CALL { … }`` + ``tail``, if given)."""
        query = self.choice_queries[str(param.choices)]
        values = dict(extra)
        for used in query.params:
            given = bound.get(used.name)
            where = f"{self.slug}: ${used.name}"
            values[used.name] = None if is_blank(given) else convert(used.type, given, where)
        text = f"CALL {{\n{query.text}{tail}" if tail else query.text  # library files only
        key = ("choices", query.name, tail, _key(values), row_cap)
        return store.remember(key, lambda: store.read(text, values, row_cap_=row_cap))

    def _missing(
        self, store: Store, param: Param, items: list[Any], bound: Mapping[str, Any]
    ) -> list[Any]:
        """Return the items that are not choices, asking the database about those items only."""
        result = self._read_choices(store, param, bound, CHECK_VALUES, {"ecomap_values": items})
        found = {row["value"] for row in result.rows}
        return [item for item in items if item not in found]

    def _enforce(self, store: Store, param: Param, bound: Mapping[str, Any]) -> None:
        value = bound[param.name]
        missing = self._missing(store, param, _items(value), bound)
        if not missing:
            return
        given = ", ".join(f"${name} = {bound.get(name)!r}" for name in param.depends_on)
        options, _ = self._choices(store, param, bound, 13)  # a few, to say what would do
        check_among(
            missing, [option["value"] for option in options], f"{self.slug}: ${param.name}", given
        )


def _key(values: Mapping[str, Any]) -> str:
    """Return bound values as one hashable text, for remembering answers per values."""
    return json.dumps(values, sort_keys=True, default=str)


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@dataclass(frozen=True)
class Library:
    """The saved queries of one folder, by slug, and the choices queries they use."""

    folder: Path
    queries: dict[str, SavedQuery]
    choice_queries: dict[str, ChoicesQuery]

    def get(self, slug: str) -> SavedQuery:
        """Return the saved query called ``slug``."""
        try:
            return self.queries[slug]
        except KeyError:
            raise SavedQueryError(f"no saved query named {slug!r}") from None

    def __iter__(self) -> Iterator[SavedQuery]:
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)


def load_library(folder: Path) -> Library:
    """Read every ``<slug>.cypher`` (with any Neo4j twin) and ``choices/<name>.cypher``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SavedQueryError(f"{folder} is not a folder of saved queries")
    choice_queries = {
        path.stem: _read_choices(path, folder) for path in sorted(folder.glob("choices/*.cypher"))
    }
    mains = {p.stem: p for p in folder.glob("*.cypher") if not p.name.endswith(TWIN_SUFFIX)}
    twins = {p.name.removesuffix(TWIN_SUFFIX): p for p in folder.glob(f"*{TWIN_SUFFIX}")}
    for slug in sorted(twins.keys() - mains.keys()):
        raise SavedQueryError(f"{shown(twins[slug], folder)} has no {slug}.cypher to be a twin of")
    queries = {}
    for slug in sorted(mains):
        queries[slug] = _read_query(slug, mains[slug], twins.get(slug), choice_queries, folder)
    return Library(folder, queries, choice_queries)


def _read_query(
    slug: str, path: Path, twin: Path | None, choice_queries: dict[str, ChoicesQuery], root: Path
) -> SavedQuery:
    main = read_query_file(path, root, QUERY_KEYS)
    if not SLUG.match(slug):
        raise SavedQueryError(f"{main.file}: a slug is lower-case letters, digits and -")
    if "title" not in main.keys:
        raise SavedQueryError(f"{main.file}: the header needs a // title: line")
    dialect = main.keys.get("dialect", "any")
    texts = {dialect: main.body}
    if twin is not None:
        texts = {"falkordb": main.body, "neo4j": _read_twin(twin, root, main, dialect).body}
    used = {}
    for param in main.params:
        used[param.name] = _check_choices(main.file, param, main.params, choice_queries)
    return SavedQuery(
        slug=slug,
        title=main.keys["title"],
        description=main.keys.get("description", ""),
        params=main.params,
        texts=texts,
        choice_queries={q.name: q for q in used.values() if q is not None},
        file=main.file,
        scans_whole_graph=main.keys.get("scans") == WHOLE_GRAPH,
        columns=main.columns,
    )


def _read_twin(twin: Path, root: Path, main: QueryFile, dialect: str) -> QueryFile:
    other = read_query_file(twin, root, QUERY_KEYS)
    if dialect != "falkordb":
        raise SavedQueryError(
            f"{main.file}: it has a Neo4j twin ({other.file}), so declare // dialect: falkordb"
        )
    if other.keys.get("dialect", "neo4j") != "neo4j":
        raise SavedQueryError(f"{other.file}: a .neo4j.cypher twin is // dialect: neo4j")
    if other.params != main.params:
        raise SavedQueryError(f"{other.file}: its // param: lines must be those of {main.file}")
    return other


def _read_choices(path: Path, root: Path) -> ChoicesQuery:
    read = read_query_file(path, root, CHOICES_KEYS)
    for param in read.params:
        if param.choices is not None or param.depends_on:
            raise SavedQueryError(
                f"{read.file}, line {param.line}: choices queries take no choices"
            )
    return ChoicesQuery(path.stem, read.file, read.body, read.params)


def _check_choices(
    file: str, param: Param, params: tuple[Param, ...], choice_queries: dict[str, ChoicesQuery]
) -> ChoicesQuery | None:
    """Check ``choices`` and ``depends_on`` of one parameter; return its choices query."""
    where = f"{file}, line {param.line}: ${param.name}"
    names = {p.name for p in params}
    for other in param.depends_on:
        if other not in names:
            raise SavedQueryError(f"{where} depends_on ${other}, which is not a parameter")
    _check_no_cycle(where, param, params)
    if not isinstance(param.choices, str):
        if param.depends_on:
            raise SavedQueryError(f"{where}: depends_on needs choices from a query")
        return None
    query = choice_queries.get(param.choices)
    if query is None:
        raise SavedQueryError(f"{where}: no choices query choices/{param.choices}.cypher")
    for used in query.params:
        if used.name not in param.depends_on:
            raise SavedQueryError(
                f"{where}: {query.file} uses ${used.name}, so add depends_on={used.name}"
            )
    return query


def _check_no_cycle(where: str, param: Param, params: tuple[Param, ...]) -> None:
    try:
        dependency_order(params)
    except graphlib.CycleError as error:
        if param.name in error.args[1]:
            raise SavedQueryError(
                f"{where}: depends_on makes a cycle back to ${param.name}"
            ) from None


def dependency_order(params: Sequence[Param]) -> list[Param]:
    """Return the parameters so that each comes after the ones it depends on.

    Raise :class:`graphlib.CycleError` when they depend on each other in a circle.
    """
    by_name = {param.name: param for param in params}
    graph = {param.name: [n for n in param.depends_on if n in by_name] for param in params}
    return [by_name[name] for name in graphlib.TopologicalSorter(graph).static_order()]
