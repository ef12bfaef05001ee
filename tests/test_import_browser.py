"""The import page in a real browser: upload, preview with a match and an error, fix, apply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

QUOTE = (
    "Borealis Testbed and Oulu University Hospital signed a testbed agreement on 13 November 2024."
)
ENTITIES = [
    ["id", "name", "kind", "country", "source", "quote"],
    ["", "Oulun yliopisto", "University", "FI", "Borealis press release", "the University of Oulu"],
    ["", "Borealis Testbed Oy", "Company", "FI", "Borealis press release", "Borealis Testbed Oy"],
]


def _ties(quote: str | None) -> list[list[Any]]:
    return [
        ["from", "to", "type", "kind", "signed", "source", "source_url", "quote"],
        ["Borealis Testbed Oy", "oulu-university-hospital", "AGREEMENT", "testbed agreement",
         "13.11.2024", "Borealis press release", "https://example.org/borealis", QUOTE],
        ["borealis-testbed-oy", "university-of-oulu", "COLLABORATES_WITH", "", "2024",
         "Borealis press release", "", quote],
    ]  # fmt: skip


def _workbook(path: Path, second_quote: str | None) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Entities"
    sheet.append(["Our partners, autumn 2024"])  # a title row above the header
    for row in ENTITIES:
        sheet.append(row)
    ties = book.create_sheet("Ties")
    for row in _ties(second_quote):
        ties.append(row)
    book.save(path)
    return path


def test_upload_preview_fix_apply(live_app: Any, page: Any, tmp_path: Path, seeded: Any) -> None:
    from tests.edit_helpers import PASSWORD
    from web.auth.accounts import add_account

    add_account(seeded, "importer", "editor", PASSWORD)  # importing is an editor's work
    page.goto(live_app.url("/sign-in?next=/import"))
    page.fill("#name", "importer")
    page.fill("#password", PASSWORD)
    page.click("#sign-in-form button[type=submit]")
    page.wait_for_url("**/import")
    page.set_input_files("input[name=file]", str(_workbook(tmp_path / "partners.xlsx", None)))
    page.click("button:has-text('Preview')")
    proposals = page.locator(".proposal")
    assert proposals.count() == 1
    assert (
        "Oulun yliopisto" in proposals.inner_text()
        and "University of Oulu" in proposals.inner_text()
    )
    assert proposals.locator("input[type=checkbox]").is_checked()
    problems = page.locator("tr.problem")
    assert problems.count() == 1
    assert problems.inner_text().split("\t")[:3] == ["Ties", "3", "quote"]
    assert page.locator("button:has-text('Apply')").count() == 0
    page.screenshot(path=str(tmp_path / "preview-with-problem.png"), full_page=True)

    page.click("text=Start over")
    fixed = _workbook(tmp_path / "partners.xlsx", "Borealis works with the University of Oulu.")
    page.set_input_files("input[name=file]", str(fixed))
    page.click("button:has-text('Preview')")
    assert page.locator("tr.problem").count() == 0
    assert page.locator(".proposal").count() == 1
    summary = page.locator(".import-summary").inner_text()
    assert "entities\t1\t0\t1" in summary and "ties\t2\t0\t0" in summary
    page.click("button:has-text('Apply')")
    assert "Imported: 4 created" in page.locator(".notice.ok").inner_text()

    page.goto(live_app.url("/entity/oulu-university-hospital"))
    assert page.locator(f"text={QUOTE}").count() >= 1
    assert page.locator("a:has-text('Borealis Testbed Oy')").count() >= 1
    assert page.record.problems() == {}
