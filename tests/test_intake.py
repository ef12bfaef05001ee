"""Document intake: reading files, sentences and dates, finding entities, bad input."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.intake import DOCS
from graph.errors import IntakeError
from graph.intake.dates import find_dates
from graph.intake.documents import read_document
from graph.intake.evidence import is_verbatim
from graph.intake.lexicon import Lexicon
from graph.intake.proposals import propose
from graph.intake.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCS = sorted(DOCS.glob("*.txt"))


def pdf_bytes(pages: list[str]) -> bytes:
    """Build a small PDF by hand: one page per text ("" for a page with no text layer)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for text in pages:
        content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET" if text else ""
        objects.append(f"<< /Length {len(content)} >>\nstream\n{content}\nendstream")
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Contents {len(objects)} 0 R /Resources << /Font << /F1 FONT 0 R >> >> >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    font = len(objects)
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = io.BytesIO(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body.replace('FONT', str(font))}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{o:010d} 00000 n \n" for o in offsets).encode())
    out.write(
        f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF".encode()
    )
    return out.getvalue()


@pytest.mark.parametrize("path", SEED_DOCS, ids=lambda p: p.name)
def test_sentences_are_exact_slices_of_the_text(path):
    text = path.read_text(encoding="utf-8")
    sentences = split_sentences(text)
    assert len(sentences) > 15
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_abbreviations_and_ordinal_days_do_not_end_sentences():
    text = (
        "Dr. and Prof. Tominaga spoke. 27. september hadde Health2B åpning. "
        "It was renewed in 2014. Then"
    )
    assert [s.text for s in split_sentences(text)] == [
        "Dr. and Prof. Tominaga spoke.",
        "27. september hadde Health2B åpning.",
        "It was renewed in 2014.",
        "Then",
    ]


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("signed on 13 November, 2019 in Sendai", None, "2019-11-13"),
        ("Partnerskabet blev indgået den 25. juni 2024 af", None, "2024-06-25"),
        ("Sist oppdatert 07.10.2022", None, "2022-10-07"),
        ("on Tuesday, 14th of January.", "2025", "2025-01-14"),
        ("in November 2023, OYS", None, "2023-11"),
        ("allekirjoitettiin 14. marraskuuta 2019", None, "2019-11-14"),
        ("2019年11月13日に署名", None, "2019-11-13"),
        ("dates back to the year 2005 when", None, "2005"),
    ],
)
def test_dates_in_every_language_become_iso_prefixes(text, year, expected):
    assert find_dates(text, year)[0].iso == expected


LEXICON = Lexicon.from_rows(
    [
        {"id": "oulu", "kind": "City", "name": "Oulu", "aliases": ["City of Oulu"]},
        {"id": "sendai", "kind": "City", "name": "Sendai"},
        {"id": "oys", "kind": "Hospital", "name": "Oulu University Hospital",
         "local_name": "Oulun yliopistollinen sairaala", "aliases": ["OYS"]},
        {"id": "ous", "kind": "Hospital", "name": "Oslo University Hospital",
         "local_name": "Oslo universitetssykehus", "aliases": ["OUS"]},
        {"id": "aau", "kind": "University", "name": "Aalborg University",
         "local_name": "Aalborg Universitet"},
    ]
)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        (
            "Oulun kaupunki ja Sendai allekirjoittivat sopimuksen Oulussa.",
            ["oulu", "sendai", "oulu"],
        ),
        (
            "Valtuuskunta vieraili Sendaissa ja Oulun yliopistollisessa sairaalassa.",
            ["sendai", "oulu"],
        ),
        ("Oslo universitetssykehuset og OUS samarbeider.", ["ous", "ous"]),
        ("Aalborg Universitets forskning", ["aau"]),
        ("The oys of life are not OYS.", ["oys"]),
        ("Oulu University Hospital’s director", ["oys"]),
    ],
)
def test_known_entities_are_found_inflected(text, ids):
    assert [m.entity.id for m in LEXICON.find(text) if m.entity] == ids


def test_proposals_quote_their_sentence_and_say_why():
    text = (
        "On 14 November, 2019 the City of Oulu signed a Memorandum of Understanding with the "
        "Kanagawa Prefectural Government. Ilkka Juuso, COO at Cerenion, visited Sendai."
    )
    proposals = propose(text, LEXICON)
    found = {
        (proposals.label(t.from_key), t.type, proposals.label(t.to_key)): t for t in proposals.ties
    }
    agreement = found[("oulu", "AGREEMENT", "Kanagawa Prefectural Government")]
    assert agreement.date == "2019-11-14" and agreement.reason == "“signed”"
    assert ("Ilkka Juuso", "WORKS_AT", "Cerenion") in found
    assert all(is_verbatim(t.quote, text) for t in proposals.ties)
    kinds = {e.name: e.kind for e in proposals.entities.values()}
    assert kinds["Kanagawa Prefectural Government"] == "Region"
    assert kinds["Ilkka Juuso"] == "Person"


def test_ties_the_graph_holds_are_not_proposed_again():
    text = "Oulu University Hospital is located in Oulu, and OYS signed an agreement with Sendai."
    first = propose(text, LEXICON)
    held = {(t.from_key, t.to_key, t.type) for t in first.ties}
    assert held
    assert propose(text, LEXICON, existing_ties=held).ties == []


@pytest.mark.parametrize("data", [b"", b"   \n\n  ", "\ufeff".encode()])
def test_an_empty_file_is_refused_by_name(data):
    with pytest.raises(IntakeError, match=r"^notes\.txt: the document holds no text$"):
        read_document(data, "notes.txt")


def test_a_pdf_without_a_text_layer_says_so():
    with pytest.raises(IntakeError, match=r"scan\.pdf: the PDF has no text layer"):
        read_document(pdf_bytes(["", ""]), "scan.pdf")


def test_a_long_pdf_is_read_within_bounds_with_progress():
    seen: list[tuple[int, int]] = []
    document = read_document(
        pdf_bytes([f"Page {n} of the Oulu report" for n in range(200)]),
        "report.pdf",
        progress=lambda done, total: seen.append((done, total)),
        max_pages=50,
    )
    assert seen[0] == (1, 200) and seen[-1] == (50, 200)
    assert "Page 49 of the Oulu report" in document.text
    assert "Page 50 of" not in document.text
    assert document.notes == ("read the first 50 of 200 pages (limit reached)",)


def test_html_keeps_its_text_and_drops_scripts_and_styles():
    html = (
        b"<html><head><title>Oulu news</title><style>p{color:red}</style>"
        b"<script>alert('x')</script></head><body><p>Oulu signed an agreement.</p>"
        b"<script>document.write('injected')</script><noscript>enable js</noscript>"
        b"<p>Sendai &amp; Oulu</p></body></html>"
    )
    document = read_document(html, "page.html")
    assert document.title == "Oulu news"
    assert document.text == "Oulu signed an agreement.\n\nSendai & Oulu"


def test_docx_paragraphs_are_read():
    import docx

    made = docx.Document()
    made.add_paragraph("Oulu and Sendai renewed their agreement.")
    made.add_paragraph("Aalborg Universitet signed too.")
    buffer = io.BytesIO()
    made.save(buffer)
    document = read_document(buffer.getvalue(), "memo.docx")
    assert (
        document.text
        == "Oulu and Sendai renewed their agreement.\n\nAalborg Universitet signed too."
    )


def test_an_unknown_format_is_refused():
    with pytest.raises(IntakeError, match=r"slides\.pptx: cannot read \.pptx files"):
        read_document(b"PK\x03\x04", "slides.pptx")


def test_cli_prints_the_proposals_as_json(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "Oulu and Sendai\n\nThe City of Oulu signed an agreement with the City of Sendai in 2019.",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-c", "from web.cli.commands import main; main()",
         "--data-dir", str(tmp_path / "data"), "intake", str(article), "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert {"id", "name", "kind", "matched"} <= set(printed["entities"][0])
    tie = next(t for t in printed["ties"] if t["type"] == "AGREEMENT")
    assert (tie["from"], tie["to"], tie["date"]) == ("Oulu", "Sendai", "2019")
    assert tie["quote"] == "The City of Oulu signed an agreement with the City of Sendai in 2019."
    assert re.search(r"\d+ entities, \d+ ties in [\d.]+ s", done.stderr)


def test_cli_says_when_the_file_is_empty(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "from web.cli.commands import main; main()",
         "--data-dir", str(tmp_path / "data"), "intake", str(empty)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: empty.txt: the document holds no text"
