"""Tie strength; the k strongest paths on the seeds and against brute force on random graphs."""

from __future__ import annotations

import math
import re
from html import escape
from pathlib import Path

import pytest

from graph.errors import SettingsError
from graph.explore.filters import TieFilter
from graph.explore.introductions import find_paths, same_place_only
from graph.explore.strength import tie_strength
from graph.explore.tie_weights import DEFAULT_WEIGHTS, read_weights
from graph.load.loader import mark_superseded
from graph.model import Tie
from web.app import create_app
from web.db import close_store

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
CERENION, TOHOKU = "cerenion", "tohoku-university-hospital"


def tie(rel_type: str = "AGREEMENT", **facts) -> Tie:
    return Tie.from_stored(rel_type, "a", "b", {"id": "t", **facts})


# -- one tie ---------------------------------------------------------------------------------


def test_an_agreement_in_force_is_stronger_than_an_ended_or_later_or_planned_one():
    in_force = tie_strength(tie(signed="2019", kind="cooperation agreement"), 2020)
    ended = tie_strength(tie(signed="2010", valid_until="2012"), 2020)
    later = tie_strength(tie(signed="2023"), 2020)
    planned = tie_strength(tie(status="planned"), 2020)
    assert in_force.value > ended.value > later.value
    assert in_force.value > planned.value
    assert in_force.reason == "cooperation agreement in force since 2019"
    assert ended.reason == "agreement ended 2012"
    assert later.reason == "agreement starting 2023"


def test_a_renewal_in_force_is_stronger_and_its_predecessor_says_it_was_renewed():
    first = {"id": "a1", "type": "AGREEMENT", "signed": "2005"}
    renewal = {"id": "a2", "type": "AGREEMENT", "signed": "2014", "renews": "a1"}
    mark_superseded([first, renewal])
    old = tie_strength(tie(**{k: v for k, v in first.items() if k != "type"}), 2016)
    new = tie_strength(tie(**{k: v for k, v in renewal.items() if k != "type"}), 2016)
    assert new.value > tie_strength(tie(signed="2014"), 2016).value > old.value
    assert old.reason == "agreement renewed in 2014"
    assert new.reason == "agreement in force since 2014, renewing an earlier one"


def test_less_certain_evidence_counts_less_and_says_so():
    stated = tie_strength(tie("COLLABORATES_WITH", since="2019"), 2020)
    inferred = tie_strength(tie("COLLABORATES_WITH", since="2019", certainty="inferred"), 2020)
    assumed = tie_strength(tie("COLLABORATES_WITH", since="2019", certainty="assumed"), 2020)
    assert stated.value > inferred.value > assumed.value
    assert inferred.reason.endswith("(inferred)") and "(" not in stated.reason


def test_one_off_meetings_fade_with_age_but_not_below_the_floor():
    values = [tie_strength(tie("VISITED", date="2000"), year).value for year in range(2000, 2100)]
    assert values == sorted(values, reverse=True) and values[0] > values[20]
    floor = DEFAULT_WEIGHTS.types["VISITED"].weight * DEFAULT_WEIGHTS.faded_floor
    assert math.isclose(values[-1], floor)


def test_a_location_is_weak_and_same_place_only():
    place = tie_strength(tie("LOCATED_IN"), 2020)
    assert place.place_only and place.reason == "located there: same place only"
    others = [tie_strength(tie(name), 2020).value for name in DEFAULT_WEIGHTS.types]
    assert place.value == min(others)


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([True], True),
        ([True, True], True),
        ([True, False], False),
        ([True, False, True], False),
        ([False, True, True, False], True),
        ([False], False),
    ],
)
def test_same_place_only_means_all_places_or_two_place_steps_in_a_row(flags, expected):
    assert same_place_only(flags) is expected


# -- weights ---------------------------------------------------------------------------------


def test_the_readme_table_is_the_built_in_weights():
    section = README.split("\n## How strong is a tie\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (.+) \(`([A-Z_]+)`\) \| ([\d.]+) \| (.+) \|$", section, re.M)
    assert [(name, float(weight)) for _, name, weight, _ in rows] == [
        (name, t.weight) for name, t in DEFAULT_WEIGHTS.types.items()
    ]
    assert [(noun, why) for noun, _, _, why in rows] == [
        (t.noun, t.why) for t in DEFAULT_WEIGHTS.types.values()
    ]
    assert f"×{DEFAULT_WEIGHTS.ended:g}" in section and f"×{DEFAULT_WEIGHTS.planned:g}" in section


def test_a_weights_file_replaces_only_what_it_names(tmp_path):
    path = tmp_path / "weights.yaml"
    path.write_text("types:\n  VISITED: 0.6\nkinds:\n  Letter of Intent: 0.5\nended: 0.2\n")
    weights = read_weights(path)
    assert weights.types["VISITED"].weight == 0.6 and weights.ended == 0.2
    assert weights.types["AGREEMENT"] == DEFAULT_WEIGHTS.types["AGREEMENT"]
    assert weights.kinds["letter of intent"] == 0.5
    assert weights.kinds["memorandum of understanding"] == 0.75
    assert tie_strength(tie(kind="letter of intent"), 2020, weights).value == 0.5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("types:\n  VISITS: 0.5\n", "types: 'VISITS' is not a tie type"),
        ("types:\n  VISITED: 1.5\n", "types.VISITED must be a number above 0 and at most 1"),
        ("ended: yes\n", "ended must be a number above 0 and at most 2, not True"),
        ("endd: 0.5\n", "unknown field 'endd'"),
        ("kinds: [a, b]\n", "kinds must be a mapping of names to numbers"),
        ("- 1\n", "expected a mapping of settings"),
        ("types: {VISITED: 0.5\n", "tie weights file"),
    ],
)
def test_a_bad_weights_file_is_refused_naming_the_file_and_field(tmp_path, text, message):
    path = tmp_path / "weights.yaml"
    path.write_text(text)
    with pytest.raises(SettingsError) as error:
        read_weights(path)
    assert str(path) in str(error.value) and message in str(error.value)


# -- the seeds -------------------------------------------------------------------------------


def test_from_cerenion_the_strongest_path_does_not_begin_with_a_location(seeded):
    fewest = find_paths(seeded, CERENION, TOHOKU, k=3, rank="fewest")["paths"]
    strongest = find_paths(seeded, CERENION, TOHOKU, k=3)["paths"]
    # the old answer: among the fewest-hop paths (equally short, so in no fixed rank) one
    # begins with a location
    located = [p for p in fewest if {t["type"] for t in p["hops"][0]["ties"]} == {"LOCATED_IN"}]
    assert located
    first = strongest[0]
    assert {t["type"] for t in first["hops"][0]["ties"]} != {"LOCATED_IN"}
    assert first["strength"] > located[0]["strength"] and not first["same_place"]
    assert [p["strength"] for p in strongest] == sorted(
        (p["strength"] for p in strongest), reverse=True
    )


def test_between_oulu_and_sendai_the_first_is_the_agreement_in_force(seeded):
    found = find_paths(seeded, "oulu", "sendai", k=3)
    first = found["paths"][0]
    assert first["ids"] == ["oulu", "sendai"]
    (hop,) = first["hops"]
    best = hop["ties"][0]
    year = found["searched"]["year"]
    assert best["type"] == "AGREEMENT" and Tie.from_stored(
        "AGREEMENT", "oulu", "sendai", best
    ).in_force(year)
    assert best["id"] == "agr-oulu-sendai-cooperation-2025"
    assert hop["reason"] == best["reason"] and "in force since 2025" in hop["reason"]


def test_as_of_2016_ranks_the_2014_agreement_first(seeded):
    found = find_paths(seeded, "oulu", "sendai", k=3, tie_filter=TieFilter(as_of=2016))
    assert found["searched"]["year"] == 2016
    best = found["paths"][0]["hops"][0]["ties"][0]
    assert best["id"] == "agr-oulu-sendai-coincubation-2014"
    assert "in force since 2014" in found["paths"][0]["hops"][0]["reason"]


def test_paths_that_rest_on_a_shared_place_come_last(seeded):
    paths = find_paths(seeded, CERENION, "ludocraft", k=6)["paths"]
    flags = [p["same_place"] for p in paths]
    assert flags == sorted(flags) and True in flags and False in flags
    place = [p for p in paths if p["same_place"]]
    assert place[0]["ids"] == [CERENION, "oulu", "ludocraft"]  # both are in Oulu, that is all
    weakest_other = min(p["strength"] for p in paths if not p["same_place"])
    assert place[0]["strength"] > weakest_other  # last although stronger than that one


# -- the paths page --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(settings, seeded):
    app = create_app({"SETTINGS": settings, "TESTING": True})
    yield app.test_client()
    close_store(app)


def test_the_json_twin_gives_every_path_step_and_tie_its_strength_and_reason(client):
    response = client.get(f"/paths.json?from={CERENION}&to={TOHOKU}")
    data = response.get_json()
    assert response.status_code == 200 and data["rank"] == "strongest"
    assert data["searched"]["complete"] is True and data["searched"]["max_steps"] >= 2
    for path in data["paths"]:
        steps = [hop["strength"] for hop in path["hops"]]
        assert path["strength"] == pytest.approx(math.prod(steps), abs=1e-3)
        for hop in path["hops"]:
            assert hop["reason"] and hop["strength"] == max(t["strength"] for t in hop["ties"])
            assert all(t["reason"] and 0 < t["strength"] <= 1 for t in hop["ties"])


def test_the_page_shows_each_path_strength_and_each_step_reason(client):
    page = client.get("/paths?from=oulu&to=sendai&as_of=2016").get_data(as_text=True)
    data = client.get("/paths.json?from=oulu&to=sendai&as_of=2016").get_json()
    assert 'value="strongest" checked' in page
    assert "co-incubation agreement in force since 2014, renewing an earlier one" in page
    for path in data["paths"]:
        assert f"strength {path['strength']:.2g}</span>" in page
        for hop in path["hops"]:
            assert f'<span class="hop-reason">{escape(hop["reason"])}</span>' in page


def test_fewest_steps_is_a_choice_of_the_page_and_its_embed(client):
    query = f"from={CERENION}&to={TOHOKU}&rank=fewest"
    data = client.get(f"/paths.json?{query}").get_json()
    assert data["rank"] == "fewest" and "max_steps" not in data["searched"]
    lengths = [p["length"] for p in data["paths"]]
    assert lengths == sorted(lengths)
    assert 'value="fewest" checked' in client.get(f"/paths?{query}").get_data(as_text=True)
    embed = client.get(f"/embed/paths?{query}")
    assert embed.status_code == 200 and "Cerenion" in embed.get_data(as_text=True)


def test_an_unknown_ranking_is_a_400_that_names_the_choices(client):
    response = client.get(f"/paths.json?from={CERENION}&to={TOHOKU}&rank=shortest")
    assert response.status_code == 400
    assert "'rank' must be one of strongest, fewest, not 'shortest'" in response.get_data(
        as_text=True
    )


def test_the_app_refuses_to_start_on_a_bad_weights_file(settings, tmp_path):
    path = tmp_path / "weights.yaml"
    path.write_text("types:\n  AGREEMENT: 7\n")
    with pytest.raises(SettingsError, match="types.AGREEMENT must be a number"):
        create_app({"SETTINGS": settings.but(tie_weights=str(path)), "TESTING": True})
