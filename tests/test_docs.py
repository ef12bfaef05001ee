"""Everything a user can set or run is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.settings import SETTINGS
from web.cli.commands import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_setting_is_in_the_readme_table(setting):
    rows = [line for line in README.splitlines() if line.startswith(f"| `{setting.env}` |")]
    assert len(rows) == 1, f"{setting.env} needs one row in the README's settings table"
    cell = rows[0].split(" | ")[1]
    if setting.default == "":
        assert cell in ("(random)", "(none)")
    else:
        assert cell == f"`{setting.default}`"


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_is_in_the_readme_and_has_an_example(name):
    assert f"ecomap {name}" in README
    assert "Example:" in (main.commands[name].help or "")
