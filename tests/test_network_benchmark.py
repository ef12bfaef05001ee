"""The network benchmark's baseline: the same graph through pyvis's own template and defaults."""

from __future__ import annotations

import json
import re

from benchmarks.network import render_pyvis_default
from tests.test_network import hostile_network


def test_pyvis_default_is_the_inline_physics_baseline() -> None:
    network = hostile_network()
    page = render_pyvis_default(network.nodes, network.edges)
    options = json.loads(re.search(r"var options = (\{.*?\});\n", page, re.S).group(1))
    assert options["physics"]["enabled"] is True
    assert options["physics"]["stabilization"]["iterations"] == 1000
    assert "vis-network" in page and 'src="lib/' not in page  # inlined
    assert page.count('"id": "') >= len(network.nodes) + 0  # nodes filled in directly
