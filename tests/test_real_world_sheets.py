"""Spreadsheets as people make them: Windows-1252 and ';', title rows, dates typed several
ways, numbers stored as text, trailing spaces, empty rows, Kumu's and Gephi's headers, ODS."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import pytest

from graph.load.import_apply import apply_import, preview_import
from graph.store.base import Store
from tests.conftest import DATA


@pytest.fixture
def small_graph(embedded: Store) -> Store:
    embedded.clear()
    embedded.write((DATA / "graph.cypher").read_text())
    return embedded


def _tie(store: Store, tie_id: str) -> dict:
    return store.read("MATCH ()-[r {id: $id}]->() RETURN properties(r)", {"id": tie_id}).value()


def test_nordic_excel_csv(small_graph: Store, tmp_path: Path) -> None:
    entities = (
        "Partners of Oulu;;;;;\n"
        "\n"
        "id;name;kind;country;source;quote\n"
        "kaamos;Kaamos Labs Oy ;Company;FI;Lehdistötiedote;Kaamos Labs on Oulun yritys.\n"
        ";;;;;\n"
    )
    ties = (
        "id;from;to;type;signed;valid_from;valid_until;amount;source;quote;quote_language;quote_en\n"
        "f1;kaamos;cerenion;FUNDS;13.11.2019;13/11/2019;2025;1 000 000;Lehdistötiedote;"
        "Kaamos rahoittaa.;fi;Kaamos funds.\n"
    )
    (tmp_path / "entities.csv").write_bytes(entities.encode("cp1252"))
    (tmp_path / "ties.csv").write_bytes(ties.encode("cp1252"))
    plan = preview_import(small_graph, [tmp_path])
    assert plan.problems == []
    apply_import(small_graph, [tmp_path], plan.digest)
    name = small_graph.read("MATCH (n {id: 'kaamos'}) RETURN n.name").value()
    assert name == "Kaamos Labs Oy"
    tie = _tie(small_graph, "f1")
    assert (tie["signed"], tie["valid_from"], tie["valid_until"]) == (
        "2019-11-13", "2019-11-13", "2025",
    )  # fmt: skip
    assert tie["amount"] == 1_000_000 and tie["evidence_en"] == "Kaamos funds."


def test_utf8_bom_with_commas_and_excel_date_cells(small_graph: Store, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Ties"
    sheet.append(["Agreements 2024"])
    sheet.append([])
    sheet.append(["ID", "From", "To", "Type", "Signed", "Source", "Quote"])
    sheet.append(["x1", "Oulu", "Sendai", "agreement", datetime.datetime(2024, 3, 5), "S", "q"])
    sheet.append(["x2", "oulu", "sendai", "Agreement", 2023, "S", "q"])
    book.save(tmp_path / "ties.xlsx")
    plan = preview_import(small_graph, [tmp_path / "ties.xlsx"])
    assert plan.problems == []
    apply_import(small_graph, [tmp_path / "ties.xlsx"], plan.digest)
    assert _tie(small_graph, "x1")["signed"] == "2024-03-05"
    assert _tie(small_graph, "x2")["signed"] == "2023"


def test_kumu_and_gephi_headers(small_graph: Store, tmp_path: Path) -> None:
    (tmp_path / "elements.csv").write_text(
        "Label,Type,Source,Quote\nNorth Hub,Organisation,Kumu map,North Hub runs the cluster.\n"
    )
    (tmp_path / "edges.csv").write_text(
        "Source,Target,Label,Quote,source_url\n"
        "North Hub,Cerenion,COLLABORATES_WITH,They collaborate.,https://example.org/map\n"
    )
    plan = preview_import(small_graph, [tmp_path / "elements.csv", tmp_path / "edges.csv"])
    assert plan.problems == []
    assert plan.summary()["ties"]["new"] == 1
    apply_import(small_graph, [tmp_path / "elements.csv", tmp_path / "edges.csv"], plan.digest)
    found = small_graph.read(
        "MATCH (a {id: 'north-hub'})-[r:COLLABORATES_WITH]->(b {id: 'cerenion'}) "
        "MATCH (s:Source {id: r.source}) RETURN s.url"
    ).value()
    assert found == "https://example.org/map"


def test_names_match_existing_entities(small_graph: Store, tmp_path: Path) -> None:
    (tmp_path / "entities.csv").write_text(
        "name,kind,source,quote\n"
        "oulu university hospitl,Hospital,S,q\n"  # a typo
        "City of Oulu,City,S,q\n"  # an alias
        "Brand New Oy,Company,S,q\n"
    )
    plan = preview_import(small_graph, [tmp_path / "entities.csv"], take=())
    matches = {p.name: (p.match.entity_id, p.match.how) for p in plan.proposals}
    assert matches["oulu university hospitl"][0] == "oys"
    assert matches["oulu university hospitl"][1].startswith("similar name")
    assert matches["City of Oulu"] == ("oulu", "alias")
    assert "Brand New Oy" not in matches
    assert plan.summary()["entities"]["new"] == 3  # nothing taken: all kept new
    taken = preview_import(small_graph, [tmp_path / "entities.csv"], take=["entities.csv:2"])
    # The taken match only adds what the graph lacks: here the source and quote.
    assert taken.summary()["entities"] == {"new": 2, "changed": 1, "unchanged": 0}
    change = next(c for c in taken.entities.shown if c.id == "oys")
    assert sorted(change.fields) == ["evidence", "source"]


def _ods(path: Path, rows: list[list[str]]) -> Path:
    """Write a minimal OpenDocument spreadsheet with one sheet named Entities."""
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'
            for v in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Entities">{cells}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


def test_ods(small_graph: Store, tmp_path: Path) -> None:
    path = _ods(
        tmp_path / "partners.ods",
        [["id", "name", "kind", "source", "quote"], ["fjord", "Fjord AS", "Company", "S", "q"]],
    )
    plan = preview_import(small_graph, [path])
    assert plan.problems == [] and plan.summary()["entities"]["new"] == 1
