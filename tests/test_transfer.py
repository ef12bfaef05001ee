"""Export and import round trips, and GraphML/GEXF checked against their published schemas."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.export.csv_files import write_csv_folder
from graph.export.gexf import write_gexf
from graph.export.graphml import write_graphml
from graph.export.xlsx import write_xlsx
from graph.load.import_apply import apply_import, preview_import
from graph.load.loader import load_graph, load_seeds
from graph.load.validation import read_seeds
from graph.store.base import Store
from tests.conftest import DATA, ROOT
from tests.conftest import digest as whole_digest

SCHEMAS = DATA / "schemas"


@pytest.fixture
def seeds_loaded(embedded: Store) -> Store:
    """The embedded store holding the seeds, loaded afresh for each test."""
    embedded.clear()
    load_seeds(embedded, read_seeds([ROOT / "seeds"], root=ROOT))
    return embedded


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_into_an_empty_store_gives_the_same_graph(
    seeds_loaded: Store, tmp_path: Path, fmt: str
) -> None:
    before, entities, ties = digest(seeds_loaded), *_sizes(seeds_loaded)
    files = _export(seeds_loaded, tmp_path, fmt)
    seeds_loaded.clear()
    plan = preview_import(seeds_loaded, files)
    assert plan.problems == []
    assert (plan.summary()["entities"]["new"], plan.summary()["ties"]["new"]) == (entities, ties)
    apply_import(seeds_loaded, files, plan.digest)
    assert digest(seeds_loaded) == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_into_the_same_store_changes_nothing(
    seeds_loaded: Store, tmp_path: Path, fmt: str
) -> None:
    files = _export(seeds_loaded, tmp_path, fmt)
    plan = preview_import(seeds_loaded, files)
    counts = plan.summary()
    assert [counts[s]["new"] + counts[s]["changed"] for s in counts] == [0, 0, 0]
    assert (counts["entities"]["unchanged"], counts["ties"]["unchanged"]) == _sizes(seeds_loaded)
    assert plan.proposals == [] and plan.problems == []


def digest(store: Store) -> str:
    """Return a digest of the data: entities, ties and sources (not the history or stamp)."""
    return whole_digest(store, data_only=True)


def _sizes(store: Store) -> tuple[int, int]:
    """Return how many entities and ties the store holds (the seeds: over 100 and 200)."""
    counts = store.counts()
    sizes = counts["nodes"]["Entity"], sum(counts["relationships"].values())
    assert sizes[0] > 100 and sizes[1] > 200
    return sizes


def _export(store: Store, folder: Path, fmt: str) -> list[Path]:
    if fmt == "xlsx":
        write_xlsx(store, folder / "ecosystem.xlsx")
        return [folder / "ecosystem.xlsx"]
    return write_csv_folder(store, folder / "csv")


def test_cells_that_look_like_formulas_are_exported_as_text_and_come_back(
    embedded: Store, tmp_path: Path
) -> None:
    embedded.clear()
    hostile = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "plain"]
    nodes = [
        {"label": "Company", "id": f"c{i}", "name": text, "source": "s", "evidence": "q"}
        for i, text in enumerate(hostile)
    ]
    load_graph(embedded, nodes, [], [{"id": "s", "title": "S", "language": "en", "file": "f"}])
    before = digest(embedded)
    write_xlsx(embedded, tmp_path / "x.xlsx")
    folder = tmp_path / "csv"
    write_csv_folder(embedded, folder)
    with (folder / "entities.csv").open(encoding="utf-8-sig") as handle:
        names = [row["name"] for row in csv.DictReader(handle)]
    assert names == ["'" + t if t != "plain" else t for t in hostile]
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "x.xlsx")
    cells = [row[1] for row in book["Entities"].iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(hostile)
    assert [c.value for c in cells] == hostile
    for files in ([tmp_path / "x.xlsx"], [folder]):
        embedded.clear()
        plan = preview_import(embedded, files)
        apply_import(embedded, files, plan.digest)
        assert digest(embedded) == before


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_exports_validate_and_load_in_networkx(
    seeds_loaded: Store, tmp_path: Path, fmt: str
) -> None:
    import networkx as nx
    import xmlschema

    path = tmp_path / f"ecosystem.{fmt}"
    if fmt == "graphml":
        write_graphml(seeds_loaded, path)
        schema = xmlschema.XMLSchema(SCHEMAS / "graphml-1.0" / "graphml.xsd")
        graph = nx.read_graphml(path)
    else:
        write_gexf(seeds_loaded, path)
        schema = xmlschema.XMLSchema(SCHEMAS / "gexf-1.3" / "gexf.xsd")
        graph = nx.read_gexf(path, version="1.3")
    schema.validate(path)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == _sizes(seeds_loaded)


def test_gexf_gives_agreements_their_time_interval(seeds_loaded: Store, tmp_path: Path) -> None:
    import networkx as nx

    write_gexf(seeds_loaded, tmp_path / "g.gexf")
    graph = nx.read_gexf(tmp_path / "g.gexf", version="1.3")
    found = {d["id"]: d for _, _, d in graph.edges(data=True)}
    agreement = found["agr-oulu-sendai-coincubation-2019"]
    assert (agreement["start"], agreement["end"]) == ("2020-01-01", "2025-12-31")
    renewed = found["agr-oulu-sendai-coincubation-2005"]
    assert (renewed["start"], renewed["end"]) == ("2005-01-01", "2014-12-31")


def test_an_export_of_some_entities_holds_the_ties_among_them(
    seeds_loaded: Store, tmp_path: Path
) -> None:
    import networkx as nx

    write_graphml(seeds_loaded, tmp_path / "part.graphml", ids=["oulu", "sendai"])
    graph = nx.read_graphml(tmp_path / "part.graphml")
    assert sorted(graph.nodes) == ["oulu", "sendai"]
    among = seeds_loaded.read(
        "MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids AND b.id IN $ids RETURN count(r)",
        {"ids": ["oulu", "sendai"]},
    ).value()
    assert graph.number_of_edges() == among >= 4  # the Oulu-Sendai agreements and more
