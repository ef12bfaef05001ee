"""Seed files that would crash, hang or mislead the reader: each refused with file and line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from graph.errors import SeedError
from graph.load import seed_files
from graph.load.validation import read_seeds

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "seeds" / "sources.yaml"
CITIES = ROOT / "seeds" / "cities.yaml"
EVIDENCE = "The partnership between the City of Oulu, Finland, and Sendai, Japan, has flourished"
CITY = f"""label: City
nodes:
  - id: fault-town
    name: Fault Town
    country: FI
    source: src-my-oulu-sendai-2025
    evidence: "{EVIDENCE} for 20 years."
"""


def problems_of(tmp_path: Path, text: str, *more: Path) -> str:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedError) as raised:
        read_seeds([SOURCES, *more, path])
    return str(raised.value)


def test_seed_files_are_parsed_by_libyaml():
    assert yaml.__with_libyaml__
    assert issubclass(seed_files._LineLoader, yaml.CSafeLoader)


def test_a_duplicate_key_is_refused_naming_both_lines(tmp_path):
    text = CITY.replace("    country: FI\n", "    country: FI\n    country: SE\n")
    assert "case.yaml:6: YAML refused: duplicate key 'country' (first on line 5)" in problems_of(
        tmp_path, text
    )


def test_a_list_20000_deep_is_an_error_not_a_traceback(tmp_path):
    text = CITY + "    aliases: " + "[" * 20000 + "]" * 20000 + "\n"
    assert "case.yaml:8: YAML syntax error: exceeded maximum nesting depth" in problems_of(
        tmp_path, text
    )


def test_nesting_past_the_limit_is_refused(tmp_path):
    deep = "[" * 40 + "]" * 40
    assert f"nested more than {seed_files.MAX_DEPTH} levels deep" in problems_of(
        tmp_path, CITY + f"    aliases: {deep}\n"
    )


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    started = time.monotonic()
    message = problems_of(tmp_path, "\n".join(lines) + "\n")
    assert "case.yaml:7: YAML refused: more than 5,000,000 values" in message
    assert time.monotonic() - started < 5


@pytest.mark.parametrize(
    "value, shown",
    [(".nan", ".nan"), (".inf", ".inf"), ("-.inf", "-.inf"), ("18446744073709551616", "1844")],
)
def test_numbers_no_database_stores_name_file_entry_and_field(tmp_path, value, shown):
    text = f"""label: Event
nodes:
  - id: evt-x
    name: X
    budget: {value}
    source: src-my-oulu-sendai-2025
    evidence: "{EVIDENCE}"
"""
    message = problems_of(tmp_path, text)
    assert f"case.yaml:5: entry 1 (evt-x), field 'budget': {shown}" in message


def test_a_lone_surrogate_escape_is_refused_with_its_line(tmp_path):
    text = CITY.replace("name: Fault Town", 'name: "Fault \\ud800 Town"')
    assert "case.yaml:4: YAML syntax error" in problems_of(tmp_path, text)


def test_a_renewal_cycle_is_refused(tmp_path):
    def agreement(name: str, renews: str) -> str:
        return f"""  - id: {name}
    from: oulu
    to: sendai
    kind: cooperation agreement
    signed: "2020"
    renews: {renews}
    source: src-my-oulu-sendai-2025
    evidence: "{EVIDENCE}"
"""

    text = "type: AGREEMENT\nrelationships:\n" + agreement("agr-a", "agr-b")
    text += agreement("agr-b", "agr-a")
    message = problems_of(tmp_path, text, CITIES)
    assert "renewals go round in a circle: agr-a -> agr-b -> agr-a" in message
    assert message.count("circle") == 1
