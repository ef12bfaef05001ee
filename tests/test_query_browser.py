"""Saved queries in a real headless Chromium: the cascading form, results, network, download."""

# The fixtures are imported from tests.browser, so test arguments "redefine" them.
# ruff: noqa: F811

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from graph.library.saved_queries import load_library

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
READY = 'body[data-ready="1"]'
SLUG = "ties-of-organisation"
CHOSEN = {"country": "FI", "city": "oulu", "org": "oulu-university-hospital"}


def option_values(page, select: str) -> list[str]:
    """Return the values of a dropdown's options, its blank placeholder left out."""
    return page.eval_on_selector_all(
        f"{select} option", "options => options.map((o) => o.value).filter(Boolean)"
    )


def wait_for_choices(page, select: str, expected: list[str]) -> None:
    """Wait until the cascade has settled and ``select`` offers exactly ``expected``."""
    page.wait_for_function(
        """([select, expected]) => {
          const form = document.querySelector("form.query-form");
          const values = [...document.querySelectorAll(select + " option")]
            .map((o) => o.value).filter(Boolean);
          return form.dataset.pending === "0" && values.join("|") === expected.join("|");
        }""",
        arg=[select, expected],
        timeout=10_000,
    )


def choice_values(store, param: str, **given: str) -> list[str]:
    """Return the options a dropdown of the query should offer, straight from the library."""
    saved = load_library(ROOT / "queries").get(SLUG)
    return [str(option["value"]) for option in saved.choices(store, param, given)]


def test_cascading_form_runs_and_shows_table_network_and_csv(live_app, page, seeded, tmp_path):
    saved = load_library(ROOT / "queries").get(SLUG)
    expected = saved.run(seeded, CHOSEN)
    page.goto(live_app.url(f"/queries/{SLUG}"))
    assert page.locator("button[data-refresh]").is_hidden()
    assert option_values(page, "#p-city") == [] and option_values(page, "#p-org") == []

    finnish = choice_values(seeded, "city", country="FI")
    countries = seeded.read("MATCH (c:City) RETURN c.id AS id, c.country AS country").rows
    assert {row["country"] for row in countries if row["id"] in finnish} == {"FI"}
    page.select_option("#p-country", "FI")
    wait_for_choices(page, "#p-city", finnish)
    assert "oulu" in finnish and len(finnish) < len(countries)

    page.select_option("#p-city", "oulu")
    in_oulu = choice_values(seeded, "org", city="oulu")
    wait_for_choices(page, "#p-org", in_oulu)
    assert "oulu-university-hospital" in in_oulu

    page.select_option("#p-country", "JP")  # a city of Finland is no choice in Japan
    wait_for_choices(page, "#p-city", choice_values(seeded, "city", country="JP"))
    wait_for_choices(page, "#p-org", [])
    assert page.input_value("#p-city") == ""

    page.select_option("#p-country", "FI")
    wait_for_choices(page, "#p-city", finnish)
    page.select_option("#p-city", "oulu")
    wait_for_choices(page, "#p-org", in_oulu)
    page.select_option("#p-org", label="Oulu University Hospital (Hospital)")
    page.get_by_role("button", name="Run", exact=True).click()
    page.wait_for_url(lambda url: urlsplit(url).path == f"/queries/{SLUG}" and "org=" in url)
    assert parse_qs(urlsplit(page.url).query) == {k: [v] for k, v in CHOSEN.items()}

    rows = page.locator("table.results-table tbody tr")
    assert rows.count() == len(expected.rows) == 14
    headers = page.locator("table.results-table thead th").all_text_contents()
    assert headers == [saved.column_title(c) for c in expected.columns if saved.column_title(c)]
    assert headers[:3] == ["Organisation", "Tie", "Other party"]  # titled in the query file
    others = page.locator("table.results-table tbody tr td:nth-child(3) a").all_text_contents()
    assert others == [row["other"] for row in expected.rows]
    first = rows.first.locator("td").first.locator("a")
    assert first.text_content() == "Oulu University Hospital"
    assert first.get_attribute("href") == "/entity/oulu-university-hospital"

    frame = page.locator("iframe.network-frame").content_frame
    frame.locator(READY).wait_for(state="attached", timeout=15_000)
    assert frame.locator("h1").text_content() == saved.title
    assert frame.locator("body").evaluate("() => window.ecomapNetwork.body.data.nodes.length") > 1

    with page.expect_download() as info:
        page.locator("a.download", has_text="CSV").click()
    download = info.value
    assert download.suggested_filename == f"{SLUG}.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    header, *lines = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert header[: header.index("source")] == expected.columns[: expected.columns.index("source")]
    assert header[header.index("source") + 1] == "source_title"
    assert len(lines) == len(expected.rows)
    assert [line[header.index("other")] for line in lines] == others
    assert all(line[header.index("source_title")] for line in lines)
    assert page.record.problems() == {}
    assert all(urlsplit(url).hostname in (None, "127.0.0.1") for url in page.record.requests)


def test_query_list_filters_as_you_type(live_app, page):
    page.goto(live_app.url("/queries"))
    items = page.locator("li.query-item")
    total = items.count()
    page.locator("#query-filter").fill("agreements")
    page.wait_for_function(
        f"() => document.querySelectorAll('li.query-item:not([hidden])').length < {total}"
    )
    shown = page.locator("li.query-item:not([hidden]) .slug").all_text_contents()
    listed = page.request.get(live_app.url("/queries.json?q=agreements")).json()["queries"]
    assert shown == [query["slug"] for query in listed] and len(shown) >= 3
    assert page.locator("#query-count").text_content() == f"{len(shown)} of {total} queries"
    page.locator("#query-filter").fill("no query says this")
    page.locator("#query-none").wait_for(state="visible")
    assert page.record.problems() == {}
