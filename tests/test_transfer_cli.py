"""``ecomap template``, ``ecomap import`` and ``ecomap export`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import ecomap


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("transfer-cli")


def test_template_import_export(data_dir: Path, tmp_path: Path) -> None:
    template = tmp_path / "ecosystem.xlsx"
    assert ecomap(data_dir, "template", "-o", str(template)).returncode == 0
    dry = ecomap(data_dir, "import", str(template), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "entities       10 new       0 changed       0 unchanged" in dry.stdout
    assert "ties            1 new" in dry.stdout
    done = ecomap(data_dir, "import", str(template))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("imported: 12 created, 0 updated, 0 unchanged")
    again = ecomap(data_dir, "import", str(template))
    assert "entities        0 new       0 changed      10 unchanged" in again.stdout
    for name in ("all.gexf", "all.graphml", "all.xlsx", "csv"):
        out = ecomap(data_dir, "export", "-o", str(tmp_path / name))
        assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "entities.csv", "sources.csv", "ties.csv",
    ]  # fmt: skip


def test_import_names_every_failing_row_and_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "entities.csv"
    bad.write_text("name,kind,country,source,quote\nA Oy,Company,Finland,S,q\nB,Ship,FI,S,q\n")
    done = ecomap(data_dir, "import", str(bad))
    assert done.returncode == 1
    assert "entities.csv, row 2, column 'country': 'Finland' is not an ISO 3166" in done.stderr
    assert "entities.csv, row 3, column 'kind': unknown kind 'Ship'" in done.stderr
    assert "2 problems: nothing imported" in done.stderr
