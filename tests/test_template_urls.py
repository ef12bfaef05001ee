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


VALUES = [
    "oulu",
    "company-00564",
    "Life_Science.City-2",
    "v1.0~rc",
    "a b/<c>",
    "Ålborg",
    "50%&x=1",
    "{0}{}",
    "ecomap-slot-0-",
    "",
    7,
    None,
]


def outcome(build, endpoint: str, values: dict) -> str:
    try:
        return build(endpoint, **values)
    except Exception as error:  # noqa: BLE001 - the same error either way
        return f"raised {type(error).__name__}"


def test_every_rule_with_any_value_is_built_as_flask_builds_it(app):
    """Each plain word stands in a slot of a kept shape; the shape must be exact for every
    rule (slugs, paths, numbers, queries) and every other value beside it."""
    url_for = app.jinja_env.globals["url_for"]
    rules = [rule for rule in app.url_map.iter_rules()]
    assert len(rules) > 50
    compared = slotted = 0
    for root in ("", "/mounted"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            for rule in rules:
                for index, value in enumerate(VALUES):
                    other = VALUES[(index + 3) % len(VALUES)]
                    values = {name: value for name in sorted(rule.arguments)}
                    values.update(type=other, q=value)
                    expected = outcome(app.url_for, rule.endpoint, values)
                    for _ in range(2):  # built, then from the kept shape
                        assert outcome(url_for, rule.endpoint, values) == expected, values
                    compared += 1
                    slotted += isinstance(value, str) and bool(value) and value.isascii()
    assert compared > 1000 and slotted > 300


def test_one_shape_serves_every_entity(app):
    url_for = app.jinja_env.globals["url_for"]
    with app.test_request_context("/"):
        for number in range(300):
            entity_id = f"company-{number:05d}"
            for endpoint, extra in (("network.network_view", {"hops": 1}), ("embed.entity", {})):
                built = url_for(endpoint, entity_id=entity_id, **extra)
                assert built == app.url_for(endpoint, entity_id=entity_id, **extra)
                assert entity_id in built


def test_a_converter_that_rewrites_its_value_is_never_a_slot():
    """A slot's word is written as given; a converter that changes it (here: to lower case,
    which leaves the slot's own mark as it is) must have its URL built each time."""
    from flask import Flask
    from werkzeug.routing import BaseConverter

    from web.render.urls import cached_url_for

    class Lower(BaseConverter):
        def to_url(self, value):
            return super().to_url(str(value).lower())

    small = Flask(__name__)
    small.url_map.converters["lower"] = Lower
    small.add_url_rule("/team/<lower:name>", "team", lambda name: name)
    small.add_url_rule("/page/<int:number>", "page", lambda number: str(number))
    url_for = cached_url_for(small)
    with small.test_request_context("/"):
        for name in ("Oulu", "oulu", "SENDAI"):
            assert url_for("team", name=name) == f"/team/{name.lower()}"
        for number in ("5", "05", 7):
            assert url_for("page", number=number) == small.url_for("page", number=number)


@pytest.mark.parametrize("reload", [False, True])
def test_a_kept_part_is_rendered_once_unless_templates_reload(reload):
    """The site's navigation is rendered once per mount point; in debug, where templates
    reload on change, it is rendered every time so a change shows at once."""
    from flask import Flask
    from jinja2 import DictLoader

    from web.render.fragments import kept_part

    templates = {"_part.html": "<a href='{{ request.script_root }}/'>{{ label }}</a>"}
    small = Flask(__name__)
    small.jinja_env.auto_reload = reload
    small.jinja_loader = DictLoader(templates)
    part = kept_part(small)
    with small.test_request_context("/"):
        assert part("_part.html", label="Home") == "<a href='/'>Home</a>"
        assert part("_part.html", label="Start") == "<a href='/'>Start</a>"
        templates["_part.html"] = "<b>{{ label }}</b>"
        expected = "<b>Home</b>" if reload else "<a href='/'>Home</a>"
        assert part("_part.html", label="Home") == expected
    with small.test_request_context("/", base_url="http://localhost/mounted/"):
        expected = "<b>Home</b>" if reload else "<a href='/mounted/'>Home</a>"
        assert part("_part.html", label="Home") == expected
