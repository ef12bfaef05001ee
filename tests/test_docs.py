"""Everything a user can set or run is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from web.cli.commands import main
from web.settings import SETTINGS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def settings_table() -> list[tuple[str, str, str]]:
    """Return the README settings table's rows as (variable, default, meaning)."""
    section = README.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `ECOMAP_")]
    return [tuple(cell.strip() for cell in row.strip("|").split(" | ")) for row in rows]


def test_readme_settings_table_is_the_declaration():
    declared = [(f"`{s.env}`", s.documented_default, s.help) for s in SETTINGS]
    assert settings_table() == declared


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_setting_is_in_the_readme_table(setting):
    rows = [line for line in README.splitlines() if line.startswith(f"| `{setting.env}` |")]
    assert len(rows) == 1, f"{setting.env} needs one row in the README's settings table"
    cell = rows[0].split(" | ")[1]
    if setting.default == "":
        assert cell in ("(random)", "(none)")
    assert cell == setting.documented_default


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_is_in_the_readme_and_has_an_example(name):
    assert f"ecomap {name}" in README
    assert "Example:" in (main.commands[name].help or "")
