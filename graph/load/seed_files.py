"""Reading seed files: YAML with the line of every entry and field kept for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32  # seed files nest four or five levels deep
MAX_EXPANDED_VALUES = 5_000_000  # values once every alias is expanded (an alias bomb: billions)


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that keeps dates as text and remembers where each mapping starts.

    libyaml's C parser when it is installed (it is ten times faster than the Python one).
    """


# Dates stay text ("2019-11-13"), as the model's partial dates are text.
_LineLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Mapping(dict):
    """A YAML mapping with its line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Mapping:
    first: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, str | int | float | bool) and key in first:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key '{key}' (first on line {first[key]})",
                key_node.start_mark,
            )
        if isinstance(key, str | int | float | bool):
            first[key] = key_node.start_mark.line + 1
    mapping = Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class Entry:
    """One source, node or relationship from a seed file, with where it stands."""

    kind: str  # "source", "node" or "relationship"
    group: str  # the label or type; "Source" for sources
    data: dict[str, Any]
    file: str
    index: int  # 1-based position in its file's list
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> Any:
        return self.data.get("id")

    def where(self, key: str | None = None) -> str:
        """Name the file, line and entry (and field) for a message."""
        line = self.key_lines.get(key, self.line) if key else self.line
        name = f" ({self.id})" if isinstance(self.id, str) and self.id else ""
        field_part = f", field '{key}'" if key else ""
        return f"{self.file}:{line}: entry {self.index}{name}{field_part}"


@dataclass
class SeedFile:
    """What one file held: its entries, or the problems that stopped it being read."""

    path: str
    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def seed_paths(paths: list[Path]) -> list[Path]:
    """Expand folders into their ``*.yaml``/``*.yml`` files, sorted; keep files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
        else:
            found.append(path)
    return found


def read_seed_file(path: Path, shown: str | None = None) -> SeedFile:
    """Parse one file into entries; structural problems are collected, not raised."""
    shown = shown or str(path)
    result = SeedFile(shown)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            result.problems.append(f"{shown}: larger than {MAX_FILE_BYTES // 2**20} MiB")
            return result
        document = parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        result.problems.append(f"{shown}: no such file")
        return result
    except UnicodeDecodeError as error:
        result.problems.append(f"{shown}: not UTF-8 text ({error.reason} at byte {error.start})")
        return result
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        kind = "refused" if isinstance(error, yaml.constructor.ConstructorError) else "syntax error"
        result.problems.append(f"{shown}{line}: YAML {kind}: {problem}")
        return result
    _collect_entries(document, result)
    return result


def parse_yaml(text: str) -> Any:
    """Parse one YAML document, refusing before it is built one nested too deep or one whose
    aliases would expand past :data:`MAX_EXPANDED_VALUES` values.
    """
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_shape(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _check_shape(root: yaml.Node) -> None:
    """Measure depth and expanded size without recursion; a node used twice counts twice."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        if depth > MAX_DEPTH:
            raise _shape_error(f"nested more than {MAX_DEPTH} levels deep", node)
        if id(node) in sizes:
            continue
        children = _children(node)
        if not children_done:
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)
            continue
        sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children)
        if sizes[id(node)] > MAX_EXPANDED_VALUES:
            raise _shape_error(
                f"more than {MAX_EXPANDED_VALUES:,} values once its aliases are expanded", node
            )


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _shape_error(problem: str, node: yaml.Node) -> yaml.YAMLError:
    return yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


SECTIONS = {"sources": "source", "nodes": "node", "relationships": "relationship"}
HEADERS = {"source": None, "node": "label", "relationship": "type"}


def _collect_entries(document: Any, result: SeedFile) -> None:
    shown = result.path
    if not isinstance(document, Mapping):
        result.problems.append(
            f"{shown}: expected a mapping with 'sources:', 'label:' + 'nodes:' "
            "or 'type:' + 'relationships:'"
        )
        return
    sections = [key for key in SECTIONS if key in document]
    if len(sections) != 1:
        result.problems.append(
            f"{shown}:{document.line}: expected exactly one of 'sources', 'nodes', "
            f"'relationships', found {sections or 'none'}"
        )
        return
    kind = SECTIONS[sections[0]]
    header = HEADERS[kind]
    allowed = {sections[0], header} - {None}
    for key in document:
        if key not in allowed:
            line = document.key_lines.get(str(key), document.line)
            result.problems.append(f"{shown}:{line}: unknown top-level key '{key}'")
    group = "Source" if header is None else document.get(header)
    if not isinstance(group, str):
        result.problems.append(f"{shown}:{document.line}: '{header}' is missing or not text")
        return
    items = document[sections[0]]
    if not isinstance(items, list):
        line = document.key_lines.get(sections[0], document.line)
        result.problems.append(f"{shown}:{line}: '{sections[0]}' must be a list of entries")
        return
    for index, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            line = document.key_lines.get(sections[0], document.line)
            result.problems.append(
                f"{shown}:{line}: entry {index}: expected a mapping of fields, got {item!r}"
            )
            continue
        result.entries.append(
            Entry(kind, group, dict(item), shown, index, item.line, dict(item.key_lines))
        )
