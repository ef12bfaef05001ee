"""The real imports of graph/ and web/ follow docs/architecture.md: its rules, no cycles."""

from __future__ import annotations

import ast
import graphlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
OURS = ("graph", "web", "tests", "benchmarks")


def module_files() -> dict[str, Path]:
    """Return every module of graph/ and web/ by dotted name (a package by its own name)."""
    found = {}
    for package in ("graph", "web"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = module_files()


def imports_of(name: str, path: Path) -> set[str]:
    """Return the Ecomap modules ``name`` imports anywhere in its file (names resolved)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            source = ".".join(base + [node.module or ""]).strip(".") if node.level else node.module
            source = source or ""
            found.add(source)
            found.update(
                f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in MODULES
            )
    return {item for item in found if item.split(".")[0] in OURS}


IMPORTS = {name: imports_of(name, path) for name, path in MODULES.items()}


def matches(name: str, pattern: str) -> bool:
    """Whether a module name matches ``x`` (that module) or ``x.*`` (it and all below it)."""
    if pattern.endswith(".*"):
        stem = pattern[:-2]
        return name == stem or name.startswith(stem + ".")
    return name == pattern


def rules() -> list[tuple[str, list[str], list[str]]]:
    """Return the doc's rows: (module pattern, may import, but not), in order."""
    section = DOC.read_text(encoding="utf-8").split("## Import rules", 1)[1]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        modules, allowed, denied = (re.findall(r"`([^`]+)`", cell) for cell in cells)
        assert len(modules) == 1, f"one module pattern per row: {line}"
        rows.append((modules[0], allowed, denied))
    assert rows, "docs/architecture.md has no import rules table"
    return rows


RULES = rules()


def rule_of(name: str) -> tuple[str, list[str], list[str]]:
    return next(rule for rule in RULES if matches(name, rule[0]))


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_imports_only_what_its_rule_allows(name):
    pattern, allowed, denied = rule_of(name)
    wrong = sorted(
        target
        for target in IMPORTS[name]
        if not any(matches(target, p) for p in allowed) or any(matches(target, p) for p in denied)
    )
    assert not wrong, f"{name} (rule {pattern}) imports {wrong}"


def test_graph_never_imports_web():
    offenders = {
        n: sorted(i)
        for n, i in IMPORTS.items()
        if n.startswith("graph") and any(matches(target, "web.*") for target in i)
    }
    assert offenders == {}


def test_no_module_imports_tests_or_benchmarks():
    offenders = {
        name: sorted(t for t in targets if t.split(".")[0] in ("tests", "benchmarks"))
        for name, targets in IMPORTS.items()
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_rules_see_the_imports():
    """The parser finds known imports, so the other tests check something real."""
    assert "graph.errors" in IMPORTS["graph.settings"]
    assert "web.request_args" in IMPORTS["web.views.network"]  # from web import request_args
    assert "web.app" in IMPORTS["web.cli.commands"]  # imported inside a function
    assert rule_of("web.views.network")[0] == "web.views.*"
    assert rule_of("web.security")[0] == "web.*"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return one cycle per knot of ``graph`` that has any (empty when it has none)."""
    found = []
    remaining = {node: set(targets) & graph.keys() for node, targets in graph.items()}
    while remaining:
        try:
            graphlib.TopologicalSorter(remaining).prepare()
            return found
        except graphlib.CycleError as error:
            cycle = error.args[1]
            found.append(cycle)
            remaining.pop(cycle[0])  # break it there and look for another
    return found


def test_no_import_cycles_between_modules():
    assert cycles({name: targets - {name} for name, targets in IMPORTS.items()}) == []


def unit_of(name: str) -> str:
    """Return the sub-package a module belongs to (a top-level module is its own unit)."""
    parts = name.split(".")
    if len(parts) > 2 or (len(parts) == 2 and MODULES[name].name == "__init__.py"):
        return ".".join(parts[:2])
    return name


def test_no_import_cycles_between_sub_packages():
    units: dict[str, set[str]] = {}
    for name, targets in IMPORTS.items():
        mine = unit_of(name)
        units.setdefault(mine, set()).update(
            unit_of(target) for target in targets if target in MODULES and unit_of(target) != mine
        )
    assert cycles(units) == []


def test_cycles_are_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) != []
    assert cycles({"a": {"b"}, "b": set()}) == []
