"""The overview's server side: a stable layout, kept per data-as-of stamp, and its compact JSON."""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import pytest

from graph.analysis.snapshot import EntityRow, Snapshot, read_snapshot
from graph.load.loader import load_graph, load_seeds
from graph.load.validation import read_seeds
from graph.model import Tie
from graph.overview.drawing import NO_COUNTRY, build_overview
from graph.overview.layout import layout_positions
from graph.overview.reading import read_tied
from web.app import create_app
from web.db import close_store
from web.views import overview as overview_view

ROOT = Path(__file__).resolve().parent.parent


def small_snapshot() -> Snapshot:
    """Two pieces: a star of five around a hub with a parallel tie, and a lone pair."""
    rows = [EntityRow(f"e{i}", f"Entity {i}", "Company" if i else "City", "FI" if i < 4 else None)
            for i in range(8)]  # fmt: skip
    ties = [Tie.from_stored("PARTNER_IN", f"e{i}", "e0", {"id": f"t{i}"}) for i in range(1, 6)]
    ties.append(Tie.from_stored("FUNDS", "e0", "e1", {"id": "t9"}))  # parallel to e1 -> e0
    ties.append(Tie.from_stored("FUNDS", "e6", "e7", {"id": "t10"}))
    return Snapshot("2025-01-01T00:00:00+00:00", rows, ties)


def decoded(text: str, dtype: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


@pytest.fixture
def app(settings, embedded):
    """The app on the embedded store holding the seeds; a fresh overview cache."""
    embedded.clear()
    load_seeds(embedded, read_seeds([ROOT / "seeds"], root=ROOT))
    app = create_app({"SETTINGS": settings})
    yield app
    close_store(app)


def test_the_same_graph_gets_the_same_positions():
    src = np.array([0, 0, 0, 1, 2, 5, 6, 7, 7])
    dst = np.array([1, 2, 3, 2, 4, 6, 7, 8, 9])
    first = layout_positions(12, src, dst)
    again = layout_positions(12, src, dst)
    assert first.shape == (12, 2)
    assert np.array_equal(first, again)
    assert np.isfinite(first).all()
    assert len(np.unique(first.round(3), axis=0)) == 12  # no two nodes on one point


def test_the_pieces_of_a_graph_do_not_overlap():
    src, dst = np.array([0, 1, 2, 4, 5, 6]), np.array([1, 2, 3, 5, 6, 7])
    xy = layout_positions(8, src, dst)
    low_a, high_a = xy[:4].min(axis=0), xy[:4].max(axis=0)
    low_b, high_b = xy[4:].min(axis=0), xy[4:].max(axis=0)
    assert (high_a < low_b).any() or (high_b < low_a).any()


def test_a_snapshot_becomes_each_entity_once_and_each_tied_pair_once():
    overview = build_overview(small_snapshot())
    assert overview.ids == [f"e{i}" for i in range(8)]
    assert overview.kinds == ["City", "Company"]
    assert overview.kind.tolist() == [0] + [1] * 7
    assert overview.countries == ["FI"]
    assert overview.country.tolist() == [0, 0, 0, 0] + [NO_COUNTRY] * 4
    assert sorted(map(tuple, overview.pairs.tolist())) == [(0, i) for i in range(1, 6)] + [(6, 7)]
    assert overview.ties == 7
    assert overview.xy.shape == (8, 2)


def test_the_overviews_read_holds_every_entity_and_tie_end_of_the_snapshot(seeded):
    whole, paged, full = read_tied(seeded), read_tied(seeded, page_size=7), read_snapshot(seeded)
    assert whole.entities == paged.entities == full.entities
    ends = sorted(zip(full.tie_from.tolist(), full.tie_to.tolist(), strict=True))
    for tied in (whole, paged):
        assert sorted(zip(tied.tie_from.tolist(), tied.tie_to.tolist(), strict=True)) == ends
    assert whole.data_as_of == full.data_as_of is not None
    assert len(ends) == sum(seeded.counts()["relationships"].values())


def test_the_json_form_is_compact_and_decodes_to_the_drawing(app, embedded):
    answer = app.test_client().get("/overview.json")
    assert answer.status_code == 200
    data = answer.get_json()
    n = data["nodes"]
    assert n == embedded.counts()["nodes"]["Entity"]
    summary = {"format", "data_as_of", "nodes", "pairs", "ties", "kinds", "countries"}
    arrays = {"id", "name", "kind", "country", "xy", "pair"}
    assert set(data) == summary | arrays | {"layout_seconds"}
    assert data["data_as_of"] == embedded.data_as_of()
    assert len(data["id"]) == len(set(data["id"])) == len(data["name"]) == n
    assert decoded(data["xy"], "<f4").shape == (2 * n,)
    assert decoded(data["kind"], "<u1").max() < len(data["kinds"])
    countries = decoded(data["country"], "<u2")
    assert ((countries < len(data["countries"])) | (countries == NO_COUNTRY)).all()
    pairs = decoded(data["pair"], "<u4").reshape(-1, 2)
    assert len(pairs) == data["pairs"] and pairs.max() < n
    assert (pairs[:, 0] < pairs[:, 1]).all()
    index = {entity_id: i for i, entity_id in enumerate(data["id"])}
    seeds = read_seeds([ROOT / "seeds"], root=ROOT)
    ends = [(r.data["from"], r.data["to"]) for r in seeds.relationships]
    wanted = {tuple(sorted((index[a], index[b]))) for a, b in ends
              if a in index and b in index and a != b}  # fmt: skip
    assert set(map(tuple, pairs.tolist())) == wanted
    assert data["ties"] >= data["pairs"]
    assert len(answer.data) < 120 * n + 30 * data["pairs"]  # bytes: no per-node objects


def test_the_layout_is_kept_per_stamp_and_made_again_after_a_load(app, embedded):
    client = app.test_client()
    cache = app.extensions[overview_view.KEY]
    first = client.get("/overview.json")
    again = client.get("/overview.json")
    assert cache.computed == 1
    assert again.data == first.data
    assert client.get("/overview.json", headers={"If-None-Match": first.headers["ETag"]}
                      ).status_code == 304  # fmt: skip
    load_graph(embedded, [{"label": "Company", "id": "newco", "name": "Newco Oy",
                           "country": "FI", "source": "oulu-sendai-2022"}], [])  # fmt: skip
    changed = client.get("/overview.json").get_json()
    assert cache.computed == 2
    assert changed["nodes"] == first.get_json()["nodes"] + 1
    assert "newco" in changed["id"]


def test_an_empty_graph_explains_itself(settings, embedded):
    embedded.clear()
    app = create_app({"SETTINGS": settings})
    try:
        client = app.test_client()
        page = client.get("/overview").get_data(as_text=True)
        assert "The graph holds no entities yet, so there is nothing to draw." in page
        assert 'id="overview-find"' not in page
        assert client.get("/overview.json").get_json()["nodes"] == 0
    finally:
        close_store(app)


def test_a_graph_too_large_to_draw_says_so(app, monkeypatch):
    monkeypatch.setattr(overview_view, "MAX_ENTITIES", 10)
    client = app.test_client()
    page = client.get("/overview").get_data(as_text=True)
    assert "the overview draws at most 10 entities" in page
    answer = client.get("/overview.json").get_json()
    assert answer["nodes"] == 0 and "at most 10 entities" in answer["refused"]
    assert app.extensions[overview_view.KEY].computed == 0
