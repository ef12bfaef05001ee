"""Templates' URLs, kept once built (web/render/urls.py), are the ones Flask builds: per
mount point, in the order their values were given, and never a host's."""

from __future__ import annotations

import re

import pytest

from web.app import create_app
from web.db import close_store

HREF = re.compile(r'(?:href|action|src)="(/[^"]*)"')


@pytest.fixture(scope="module")
def app(settings, seeded):
    app = create_app({"SETTINGS": settings, "TESTING": True})
    yield app
    close_store(app)


def links(app, path: str, root: str) -> list[str]:
    response = app.test_client().get(path, base_url=f"http://localhost{root}/")
    assert response.status_code == 200, response.data[:300]
    return HREF.findall(response.get_data(as_text=True))


@pytest.mark.parametrize("path", ["/entity/oulu", "/", "/search?q=oulu"])
def test_a_page_links_within_the_mount_point_it_was_asked_at(app, path):
    for root in ("", "/ecomap", "", "/intranet/ecomap"):
        found = links(app, path, root)
        assert len(found) > 20
        outside = [link for link in found if not link.startswith(f"{root}/")]
        assert not outside, (root, outside[:5])
        if not root:
            assert not [link for link in found if link.startswith("/ecomap/")]


def test_the_templates_url_for_builds_what_flask_builds(app):
    url_for = app.jinja_env.globals["url_for"]
    calls = [
        ("pages.entity", {"entity_id": "oulu"}),
        ("pages.entity", {"entity_id": "a b/<c>", "type": "AGREEMENT", "kind": "City"}),
        ("pages.entity", {"entity_id": "oulu", "kind": "City", "type": "AGREEMENT"}),
        ("pages.entity", {"entity_id": "oulu", "type": "AGREEMENT", "kind": None, "skip": 10}),
        ("network.common", {"ids": ["oulu", "sendai"]}),  # a list: built each time
        ("static", {"filename": "ecomap.css", "_anchor": "x"}),
        ("pages.home", {"_external": True}),  # names the host: built each time
    ]
    for host in ("localhost", "ecomap.example.org"):
        for root in ("", "/mounted"):
            with app.test_request_context("/", base_url=f"http://{host}{root}/"):
                for endpoint, values in calls * 2:
                    assert url_for(endpoint, **values) == app.url_for(endpoint, **values)
    with app.test_request_context("/entity/oulu"):
        assert url_for(".entity", entity_id="x") == app.url_for("pages.entity", entity_id="x")
