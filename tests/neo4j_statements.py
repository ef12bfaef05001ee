"""Every statement Ecomap can send to a backend, built from the project's own code.

:func:`collect` enumerates them per dialect: the dialect's own (schema, counts, search,
shortest path), the store's (data-as-of stamp, waiting for indexes, clearing), the loader's
for every label and tie type, every explorer query under every combination of tie filters,
the saved queries and their twins, the choices queries, the console's examples, editing
(edits, proposals, reviews, history), document intake and accounts (sign-in sessions, API
tokens).
``tests/test_neo4j_statements.py`` lints the Neo4j ones with Neo4j's parser, and the test
session checks that every statement a store was asked to send is one of them
(:func:`project_caller` tells Ecomap's statements from the ones tests and users write).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from graph.analysis import snapshot
from graph.edit import apply as edit_apply
from graph.edit import facts as edit_facts
from graph.edit import history as edit_history
from graph.edit import statements as edit_statements
from graph.errors import ReadOnlyError
from graph.explore import (
    common_connections,
    entities,
    local_graph,
    neighbourhood,
    overview,
    paths,
    search,
)
from graph.explore.filters import TieFilter
from graph.export import tables
from graph.intake import apply as intake_apply
from graph.intake import evidence as intake_evidence
from graph.intake import known as intake_known
from graph.library.saved_queries import load_library
from graph.load import existing, loader
from graph.model import NODE_LABELS, RELATIONSHIP_TYPES
from graph.overview import reading as overview_reading
from graph.store import neo4j_store
from graph.store.base import COUNTED_LABELS, DATA_AS_OF_QUERY, META_LABEL
from graph.store.dialect import FALKORDB, NEO4J, Dialect
from graph.store.guard import check_read_statement
from tests.missing import missing
from web.auth import accounts
from web.views import console

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "tools" / "cypher-lint"
CACHE = ROOT / "build" / "cypher-lint"
# Labels of Ecomap's bookkeeping, not of the ecosystem model: the data-as-of stamp, the
# editing history (revisions, retired entities) and the accounts.
BOOKKEEPING_LABELS = [META_LABEL, "Revision", "Retired", "Account", "LoginSession", "ApiToken"]
EXTRA = {"labels": BOOKKEEPING_LABELS, "propertyKeys": ["loaded_at"]}
STORE_DIR = ROOT / "graph" / "store"
# Callers whose statements are not Ecomap's to collect: user text (console, `ecomap query`),
# the saved-query library (collected from queries/ itself; tests also run their own files),
# and FalkorDB's adapter talking to its own server.
FOREIGN_CALLERS = (
    ROOT / "web" / "views" / "console.py",
    ROOT / "web" / "cli" / "commands.py",
    ROOT / "graph" / "library" / "saved_queries.py",
    STORE_DIR / "falkordb_store.py",
)
# Callers whose statements the end-of-session check skips. graph/edit: an edit's statement names
# the entity's kind and, for a restore, the tie types its revision kept, so it varies with
# the data; one form of each action is collected (_editing_statements) and linted.
UNCOLLECTED_PACKAGES = (ROOT / "graph" / "edit",)
UNCOLLECTED_LABELS = (":Revision", ":Retired")  # the editing history the loader consults
STORE_METHODS = {
    "read", "_read", "read_many", "_read_many", "write", "_write_to", "run", "_trace", "_guarded",
    "trace",
}  # fmt: skip


SENT: dict[tuple[str, str], str] = {}  # (dialect, statement) -> the project file that sent it


@dataclass(frozen=True)
class Statement:
    """One statement and where in the project it comes from."""

    origin: str
    text: str


def tie_filters() -> Iterator[TieFilter]:
    """One filter for each combination of the fields that change the predicate's text."""
    for types, kinds, country, year in itertools.product((False, True), repeat=4):
        yield TieFilter(
            types=("AGREEMENT",) if types else (),
            kinds=("City",) if kinds else (),
            country="FI" if country else None,
            as_of=2020 if year else None,
        )


def collect(dialect: Dialect) -> list[Statement]:
    """Return every statement Ecomap can send to a backend of ``dialect``, without repeats."""
    found: dict[str, Statement] = {}
    for statement in _all(dialect):
        found.setdefault(statement.text, statement)
    return list(found.values())


def _all(dialect: Dialect) -> Iterator[Statement]:
    yield from _dialect_statements(dialect)
    yield Statement("store: data as of", DATA_AS_OF_QUERY)
    if dialect is NEO4J:
        yield Statement("neo4j store: wait for indexes", neo4j_store.AWAIT_INDEXES)
        yield Statement("neo4j store: clear", neo4j_store.CLEAR)
        yield Statement("neo4j store: load replacing the graph", neo4j_store.DELETE_ALL)
    yield from _loader_statements()
    yield from _explorer_statements(dialect)
    yield from _reader_statements()
    yield from _library_statements(dialect)
    yield from _editing_statements(dialect)
    yield from _account_statements()
    yield from _intake_statements()
    for title, text, _ in console.EXAMPLES:
        yield Statement(f"console example: {title}", text)


def _dialect_statements(dialect: Dialect) -> Iterator[Statement]:
    for step in dialect.schema(list(RELATIONSHIP_TYPES)):
        if step.cypher is not None:
            yield Statement("dialect: schema", step.cypher)
    yield Statement("dialect: counts", dialect.counts_query(COUNTED_LABELS, RELATIONSHIP_TYPES))
    yield Statement("dialect: degrees per type", dialect.degrees_query(RELATIONSHIP_TYPES))
    yield Statement("dialect: full-text search", dialect.fulltext_query())
    beyond = dialect.fulltext_beyond_query()
    if beyond is not None:
        yield Statement("dialect: full-text matches beyond the ranked", beyond)
    if dialect.shortest_path_query:
        yield Statement("dialect: shortest path", dialect.shortest_path_query)


def _loader_statements() -> Iterator[Statement]:
    yield Statement("loader: is the graph empty", loader.EMPTY_QUERY)
    yield Statement("loader: stamp", loader.STAMP)
    yield Statement("loader: revisions", loader.RECORD_REVISIONS)
    sources = loader._SourceStatements
    for name in ("existing", "create", "merge"):
        yield Statement(f"loader: Source {name}", getattr(sources, name)("Source"))
    for label in NODE_LABELS:
        nodes = loader._NodeStatements
        for name in ("existing", "create", "merge"):
            yield Statement(f"loader: {label} {name}", getattr(nodes, name)(label))
    for rel_type in RELATIONSHIP_TYPES:
        ties = loader._RelationshipStatements
        for name in ("existing", "create", "merge", "delete"):
            yield Statement(f"loader: {rel_type} {name}", getattr(ties, name)(rel_type))


def _explorer_statements(dialect: Dialect) -> Iterator[Statement]:
    constants = [
        (entities, ("ENTITY_QUERY", "SMALL_ENTITY_TIES", "SOURCES_QUERY")),
        (overview, ("LATEST_AGREEMENTS_QUERY",)),
        (common_connections, ("COMMON_QUERY",)),
        (search, ("BROWSE_QUERY",)),
    ]
    for module, names in constants:
        for name in names:
            yield Statement(f"{module.__name__}.{name}", getattr(module, name))
    yield Statement("overview programmes", overview.programmes_query(dialect.degree_cypher("p")))
    for name in ("SORTED_TIES", "STORED_TIES", "TIE_KINDS"):
        for rel_type, query in getattr(entities, name).items():
            yield Statement(f"entity {name} {rel_type}", query)
    for tie_filter in tie_filters():
        where = tie_filter.where()
        shown = ",".join(f"{k}={v}" for k, v in tie_filter.describe().items() if v)
        yield Statement(f"network layer [{shown}]", neighbourhood._layer_query(where, dialect))
        yield Statement(f"network totals [{shown}]", neighbourhood._totals_query(where, dialect))
        if not tie_filter.kinds and not tie_filter.country:  # both ends are in view
            yield Statement(f"network ties among [{shown}]", neighbourhood._among_query(where))
        yield Statement(f"paths layer [{shown}]", paths._layer_query(where))
        yield Statement(f"paths hops [{shown}]", paths._hops_query(where))


def _reader_statements() -> Iterator[Statement]:
    """Paged reads of the whole graph (snapshots, exports, imports) and local graphs."""
    yield Statement("analysis snapshot page", snapshot.PAGE_QUERY)
    yield Statement("overview page", overview_reading.PAGE_QUERY)
    for name in ("ENTITY_PAGE", "ENTITIES_BY_ID", "TIES_FROM", "SOURCE_PAGE"):
        yield Statement(f"export {name}", getattr(tables, name))
    for name in ("NAMES", "ENTITIES", "SOURCES"):
        yield Statement(f"import existing {name}", getattr(existing, name))
    for rel_type in RELATIONSHIP_TYPES:
        yield Statement(f"import existing {rel_type}", existing.ties_of_type_query(rel_type))
    for tie_filter in tie_filters():
        where = tie_filter.where()
        yield Statement("local graph layer", local_graph._layer_query(where))
        yield Statement("local graph ties", local_graph._ties_query(where))
        yield Statement("local graph frontiers joined", local_graph._join_query(where))


EDIT_ACTIONS = ("create", "update", "retire", "restore", "confirm")


def _editing_statements(dialect: Dialect) -> Iterator[Statement]:
    """Edits, proposals and reviews, and the reads of the history.

    A restore's statement names the tie types its revision kept, so it varies with the data;
    one with a tie type of each direction stands for all (see UNCOLLECTED_PACKAGES)."""
    for module, names in (
        (edit_statements, ("PROPOSE", "REJECT")),
        (edit_facts, ("ENTITY_QUERY", "RETIRED_QUERY", "ENTITY_TIES_QUERY", "ID_TAKEN")),
        (edit_apply, ("SOURCE_EXISTS", "TIE_ID_TAKEN")),
        (edit_history, ("REVISION_QUERY", "ENTITY_HISTORY_QUERY", "CHANGES_QUERY", "CHANGE_QUERY")),
        (edit_history, ("PENDING_COUNT_QUERY",)),
    ):
        for name in names:
            yield Statement(f"{module.__name__}.{name}", getattr(module, name))
    groups = (("AGREEMENT", True), ("FUNDS", False))
    for proposal, action in itertools.product((False, True), EDIT_ACTIONS):
        how = "approved proposal" if proposal else "edit"
        yield Statement(
            f"{how}: entity {action}",
            edit_statements.entity_statement(dialect, action, "City", "Region", proposal, groups),
        )
        yield Statement(
            f"{how}: tie {action}",
            edit_statements.tie_statement(dialect, action, "AGREEMENT", proposal),
        )
    for rel_type in RELATIONSHIP_TYPES:
        yield Statement(f"edit: read a {rel_type} tie", edit_facts.tie_query(rel_type))


def _intake_statements() -> Iterator[Statement]:
    """What document intake reads (its accepted facts are written by the loader)."""
    for module, names in (
        (intake_known, ("ENTITIES", "TIES", "SOURCE_BY_DIGEST", "SOURCE")),
        (intake_evidence, ("QUOTES",)),
        (intake_apply, ("LABELS",)),
    ):
        for name in names:
            yield Statement(f"{module.__name__}.{name}", getattr(module, name))


def _account_statements() -> Iterator[Statement]:
    """Accounts, sign-in sessions and API tokens."""
    for name in (
        "SAVE_ACCOUNT", "ACCOUNT", "ACCOUNTS", "OPEN_SESSION", "SESSION_ACCOUNT",
        "CLOSE_SESSION", "CREATE_TOKEN", "TOKEN_RECORD", "TOKENS", "REVOKE_TOKEN",
    ):  # fmt: skip
        yield Statement(f"accounts.{name}", getattr(accounts, name))


def _library_statements(dialect: Dialect) -> Iterator[Statement]:
    library = load_library(ROOT / "queries")
    for query in library:
        if dialect.name in query.texts or "any" in query.texts:
            yield Statement(f"saved query {query.slug}", query.text_for(dialect.name))
    for name, choices in sorted(library.choice_queries.items()):
        yield Statement(f"choices {name}", choices.text)


def dialect_named(name: str) -> Dialect:
    return {"neo4j": NEO4J, "falkordb": FALKORDB}[name]


def project_caller(frame: FrameType | None) -> Path | None:
    """Return the project file that asked a store to send a statement; ``frame`` called
    the store's tracer hook.

    None when the statement is not Ecomap's own (a test's, a user's, a saved query's, or
    FalkorDB's adapter talking to its server).
    """
    path = None
    while frame is not None:
        path = Path(frame.f_code.co_filename).resolve()
        if not (path.parent == STORE_DIR and frame.f_code.co_name in STORE_METHODS):
            break
        frame = frame.f_back
    if frame is None or path is None:
        return None
    if path in FOREIGN_CALLERS or ROOT not in path.parents:
        return None
    if (ROOT / "tests") in path.parents or (ROOT / "benchmarks") in path.parents:
        return None
    if any(package in path.parents for package in UNCOLLECTED_PACKAGES):
        return None
    return path


def uncollected_statements() -> list[str]:
    """Return each recorded statement that tests/neo4j_statements.py does not collect."""
    uncollected = []
    for dialect in sorted({name for name, _ in SENT}):
        known = {s.text for s in collect(dialect_named(dialect))}
        uncollected += [
            f"{caller} sent to {name}: {' '.join(text.split())[:300]}"
            for (name, text), caller in sorted(SENT.items())
            if name == dialect
            and text not in known
            and not any(label in text for label in UNCOLLECTED_LABELS)
        ]
    return uncollected


def is_read(text: str) -> bool:
    """Whether Neo4j's store would explain ``text`` first: it does so for reads only."""
    try:
        check_read_statement(text)
    except ReadOnlyError:
        return False
    return True


def _node() -> str:
    """Return Node.js for Neo4j's linter; fail (under CI) or skip the calling test without it."""
    node = shutil.which("node")
    if not node or not (LINT / "node_modules").is_dir():
        missing("Neo4j's linter is not installed: make cypher-lint (node and npm needed)")
    assert node is not None
    return node


@functools.cache
def _model() -> str:
    """The model as the linter reads it (``python -m graph.model``): part of every cache key."""
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "graph.model"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _linter() -> str:
    return (LINT / "package-lock.json").read_text() + (LINT / "lint.mjs").read_text()


def _keep(key: str, value: object) -> None:
    """Write one cache entry atomically: parallel test workers share the cache."""
    partial = CACHE / f"{key}.{os.getpid()}.partial"
    partial.write_text(json.dumps(value))
    partial.replace(CACHE / f"{key}.json")


@dataclass(frozen=True)
class FileLint:
    """What ``lint.mjs`` printed for some ``.cypher`` files, and its exit status."""

    returncode: int
    stdout: str
    stderr: str


def lint_files(*files: Path) -> FileLint:
    """Lint ``.cypher`` files as ``lint.mjs FILE…`` does (no files: the saved-query library),
    kept under ``build/cypher-lint/`` keyed by the files' contents, the model and the linter.

    A file's path in the output is kept as a placeholder, so the same text in another
    temporary folder is answered from the cache."""
    node = _node()
    library = sorted((ROOT / "queries").rglob("*.cypher")) if not files else []
    texts = [f"{p.relative_to(ROOT)}\n{p.read_text()}" for p in library]
    texts += [f"{i}\n{p.read_text()}" for i, p in enumerate(files)]
    key = hashlib.sha256("\n\x00".join([_linter(), _model(), *texts]).encode()).hexdigest()[:24]
    entry = CACHE / f"files-{key}.json"
    if not entry.exists():
        done = subprocess.run(
            [node, str(LINT / "lint.mjs"), *map(str, files)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
        out, err = done.stdout, done.stderr
        for i, path in enumerate(files):
            out, err = (t.replace(str(path), f"\x00file {i}\x00") for t in (out, err))
        CACHE.mkdir(parents=True, exist_ok=True)
        _keep(entry.stem, {"returncode": done.returncode, "stdout": out, "stderr": err})
    kept = json.loads(entry.read_text())
    out, err = kept["stdout"], kept["stderr"]
    for i, path in enumerate(files):
        out, err = (t.replace(f"\x00file {i}\x00", str(path)) for t in (out, err))
    return FileLint(kept["returncode"], out, err)


def _key(statement: Statement, model: str, linter: str) -> str:
    return hashlib.sha256(f"{linter}\n{model}\n{statement.text}".encode()).hexdigest()[:24]


def _payload(statements: list[Statement], keys: dict[str, str]) -> dict:
    return {
        "extra": EXTRA,
        "statements": [
            {"origin": keys[s.text], "text": s.text, "explain": is_read(s.text)} for s in statements
        ],
    }


def lint(statements: list[Statement]) -> dict[str, list[dict]]:
    """Return Neo4j's linter's diagnostics for each statement's text, in Cypher 5 and 25, as
    sent and as ``EXPLAIN …``; kept per statement under ``build/cypher-lint/``, keyed by the
    statement, the model and the linter. Skips the calling test when the linter is missing."""
    node = _node()
    model = _model() + json.dumps(EXTRA)
    linter = _linter()
    keys = {s.text: _key(s, model, linter) for s in statements}
    CACHE.mkdir(parents=True, exist_ok=True)
    unlinted = [s for s in statements if not (CACHE / f"{keys[s.text]}.json").exists()]
    if unlinted:
        # One linter per core (each statement takes 50 ms to seconds): interleaved shares.
        cores = os.cpu_count() or 1
        shares = [share for share in (unlinted[i::cores] for i in range(cores)) if share]

        def run(share: list[Statement]) -> str:
            return subprocess.run(
                [node, str(LINT / "lint.mjs"), "--statements"],
                input=json.dumps(_payload(share, keys)),
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            ).stdout

        with ThreadPoolExecutor(len(shares)) as pool:
            outputs = list(pool.map(run, shares))
        found: dict[str, list[dict]] = {keys[s.text]: [] for s in unlinted}
        for item in (found_item for out in outputs for found_item in json.loads(out)):
            found[item["origin"]].append(item)
        for key, items in found.items():
            _keep(key, items)
    return {s.text: json.loads((CACHE / f"{keys[s.text]}.json").read_text()) for s in statements}
