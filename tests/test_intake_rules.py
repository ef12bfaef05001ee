"""Intake's reading rules on short made-up articles (not the seed documents they were tuned on)."""

from __future__ import annotations

import pytest

from graph.intake.evidence import is_verbatim
from graph.intake.lexicon import Lexicon
from graph.intake.places import city_country, country_name, is_big_city, region_country
from graph.intake.proposals import Proposals, propose

COUNTRIES = Lexicon.from_rows(
    [{"id": "finland", "kind": "Country", "name": "Finland", "local_name": "Suomi"},
     {"id": "norway", "kind": "Country", "name": "Norway", "local_name": "Norge"},
     {"id": "japan", "kind": "Country", "name": "Japan"}]
)  # fmt: skip


def ties(text: str) -> tuple[Proposals, set[tuple[str, str, str]]]:
    proposals = propose(text, COUNTRIES, title=text.split("\n", 1)[0])
    found = {
        (proposals.label(t.from_key), t.type, proposals.label(t.to_key)) for t in proposals.ties
    }
    assert all(is_verbatim(t.quote, text) for t in proposals.ties)
    return proposals, found


@pytest.mark.parametrize(
    ("call", "name", "expected"),
    [(city_country, "Kuopio", "FI"), (city_country, "Bergen", "NO"),
     (city_country, "Göteborg", "SE"), (city_country, "Medanets", None),
     (region_country, "Miyagi Prefecture", "JP"),
     (region_country, "Region Midtjylland", "DK"), (country_name, "FI", "Finland"),
     (is_big_city, "Trondheim", True), (is_big_city, "Kajaani", False)],
)  # fmt: skip
def test_the_gazetteers_know_cities_regions_and_countries(call, name, expected):
    assert call(name) == expected


def test_a_city_is_tied_to_its_country_when_the_graph_holds_it():
    _, found = ties("News\n\nThe Kuopio Health Lab, a new testbed in Kuopio, opens today.")
    assert ("Kuopio", "LOCATED_IN", "finland") in found


def test_what_is_said_of_one_list_member_is_said_of_all():
    _, found = ties(
        "News\n\nThe project partners are Alpha Oy, Beta Oy, Gamma Oy, Delta Oy, Epsilon Oy and "
        "Zeta Oy. The Kvasir project is funded by the Nordic Council. The Kvasir project runs."
    )
    partners = {a for a, t, b in found if t == "PARTNER_IN" and b == "Kvasir"}
    assert partners == {"Alpha Oy", "Beta Oy", "Gamma Oy", "Delta Oy", "Epsilon Oy", "Zeta Oy"}


def test_a_trigger_types_only_the_mention_it_governs():
    _, found = ties(
        "News\n\nFive startups including Kuopio-based Foo Oy visited Trondheim in May as part of "
        "the Arctic Challenge, a program organized by the Nordic Council."
    )
    assert ("Foo Oy", "VISITED", "Trondheim") in found
    assert ("Foo Oy", "PARTICIPATED_IN", "Arctic Challenge") in found
    assert ("Nordic Council", "COORDINATES", "Arctic Challenge") in found
    assert not [t for t in found if t[1] == "VISITED" and t[2] != "Trondheim"]


def test_the_companies_are_the_last_ones_named_together():
    _, found = ties(
        "News\n\nBar Oy and Baz Oy went to Japan. During their stay, the companies also joined "
        "the Tokyo Health Summit."
    )
    assert {("Bar Oy", "PARTICIPATED_IN", "Tokyo Health Summit"),
            ("Baz Oy", "PARTICIPATED_IN", "Tokyo Health Summit")} <= found  # fmt: skip


def test_a_caption_ties_the_people_under_it_to_its_event_with_both_lines_quoted():
    text = (
        "News\n\nFra åpningen av Helseparken.\nKari Nordmann, CEO Helse Oslo, og Ola Hansen, "
        "direktør Oslo Medtech\n\nDen 3. mai 2024 hadde Helseparken offisiell åpning i Oslo."
    )
    proposals, found = ties(text)
    took_part = [t for t in proposals.ties if t.type == "PARTICIPATED_IN"]
    assert {proposals.label(t.from_key) for t in took_part} >= {"Kari Nordmann", "Ola Hansen"}
    caption = next(t for t in took_part if proposals.label(t.from_key) == "Ola Hansen")
    assert caption.quote.startswith("Fra åpningen av Helseparken.\nKari Nordmann")


def test_this_years_edition_is_part_of_the_recurring_event():
    _, found = ties(
        "News\n\nHvert år arrangerer Helseparken en Nordic Health Festival i Oslo.\n\n"
        "Årets Nordic Health Festival samlet 300 personer fra Norge og Japan.\n\n"
        "Sist oppdatert 07.10.2023"
    )
    assert ("Nordic Health Festival 2023", "PART_OF", "Nordic Health Festival") in found
    assert ("japan", "PARTICIPATED_IN", "Nordic Health Festival 2023") in found


def test_the_founders_fund_what_they_founded():
    _, found = ties(
        "News\n\nSammen med Alfa Medtech AS og Beta Helse AS har Oslo universitetssykehus "
        "etablert en arena. Helsehuset er sykehusets satsning på innovasjon. "
        "Helsehuset er nytt.\n\n"
        "Arenaen finansieres av grunnleggerne."
    )
    assert ("Alfa Medtech AS", "FOUNDED", "Helsehuset") in found
    assert ("Alfa Medtech AS", "FUNDS", "Helsehuset") in found
