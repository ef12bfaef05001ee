"""Every edit statement, as Neo4j would be sent it, passes Neo4j's own Cypher linter."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from graph.edit.history import CHANGE_QUERY, CHANGES_QUERY, ENTITY_HISTORY_QUERY
from graph.edit.statements import PROPOSE, REJECT, entity_statement, tie_statement
from graph.store.dialect import NEO4J

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "tools" / "cypher-lint"
ACTIONS = {"entity": ("create", "update", "retire", "restore", "confirm"),
           "tie": ("create", "update", "retire", "restore", "confirm")}  # fmt: skip


def statements() -> dict[str, str]:
    found = {"propose": PROPOSE, "reject": REJECT, "change": CHANGE_QUERY,
             "entity-history": ENTITY_HISTORY_QUERY, "changes": CHANGES_QUERY}  # fmt: skip
    for proposal in (False, True):
        suffix = "-approve" if proposal else ""
        for action in ACTIONS["entity"]:
            groups = (("AGREEMENT", True), ("FUNDS", False))
            found[f"entity-{action}{suffix}"] = entity_statement(
                NEO4J, action, "City", "Region", proposal, groups
            )
        for action in ACTIONS["tie"]:
            found[f"tie-{action}{suffix}"] = tie_statement(NEO4J, action, "AGREEMENT", proposal)
    return found


@pytest.mark.skipif(not (LINT / "node_modules").exists(), reason="npm ci in tools/cypher-lint")
@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_edit_statements_pass_neo4js_linter(tmp_path):
    files = []
    for name, text in statements().items():
        params = sorted(set(re.findall(r"\$([a-z_0-9]+)", text)))
        header = "".join(f"// param: {p}\n" for p in params)
        path = tmp_path / f"{name}.cypher"
        path.write_text(f"// title: {name}\n{header}{text}\n", encoding="utf-8")
        files.append(str(path))
    done = subprocess.run(["node", str(LINT / "lint.mjs"), *files], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)  # fmt: skip
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert done.returncode == 0 and not errors, done.stdout + done.stderr
    print(f"Neo4j lint: {len(files)} edit statements, 0 errors")
