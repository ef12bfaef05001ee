"""Fact markup written in Python (web/render/facts.py) is the markup the Jinja macros wrote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web.app import create_app
from web.db import close_store
from web.render.facts import entity_link, fact_dates, fact_evidence
from web.render.tie_items import tie_group, tie_item, timeline_item

# The macros of _facts.html as they were written in Jinja, kept as the reference.
JINJA_MACROS = (Path(__file__).parent / "data" / "fact_macros.html").read_text()

FACTS = [
    {},
    {"signed": "2019-05-02", "status": "in force", "evidence": "They <signed> it & more."},
    {"valid_from": "2019", "evidence": "x", "evidence_en": "y", "certainty": "inferred"},
    {"valid_until": "2025", "since": "2020", "note": "a <note>", "source": "src-1"},
    {"until": 2024, "date": "2021-03", "status": "planned", "evidence": "q", "source": "nope"},
    {"evidence": "q", "note": "n", "certainty": "assumed", "source": "src-1", "status": 'a"b'},
]
TITLES = {"src-1": "A 'report' & <more>"}
ENTITIES = [
    {"id": "oulu", "name": "Oulu <city>", "kind": "City", "country": "FI"},
    {"id": "tohoku-university", "name": "Tohoku & co", "kind": "University", "country": None},
    {"id": "x1", "name": "X", "kind": None},
]


@pytest.fixture(scope="module")
def app(settings, embedded):
    app = create_app({"SETTINGS": settings, "TESTING": True})
    yield app
    close_store(app)


def test_python_markup_is_what_the_macros_wrote(app):
    template = app.jinja_env.from_string(
        JINJA_MACROS
        + "{% for f in facts %}[{{ dates(f) }}|{{ evidence(f, titles) }}]{% endfor %}"
        + "{% for e in entities %}[{{ entity_link(e) }}]{% endfor %}"
    )
    with app.test_request_context("/"):
        expected = template.render(facts=FACTS, titles=TITLES, entities=ENTITIES).lstrip("\n")
        written = "".join(f"[{fact_dates(f)}|{fact_evidence(f, TITLES)}]" for f in FACTS) + "".join(
            f"[{entity_link(e)}]" for e in ENTITIES
        )
    assert written == expected
    assert "&lt;signed&gt;" in written and "certainty-inferred" in written


# The list item of one tie as entity.html wrote it in Jinja, kept as the reference.
JINJA_TIE_ITEM = (Path(__file__).parent / "data" / "tie_item.html").read_text()
OTHER = {"id": "oulu", "name": "Oulu <city>", "kind": "City", "country": "FI"}
TIES = [
    {"id": "t1", "type": "AGREEMENT", "direction": "out", "other": OTHER},
    {
        "id": "t<2>",
        "type": "AGREEMENT",
        "direction": "in",
        "other": ENTITIES[1],
        "kind": "MoU & more",
        "role": "lead",
        "title": "Chair",
        "signed": "2019",
        "amount": 1250000,
        "currency": "EUR",
        "amount_covers": "2019–2021",
        "renews": "t1",
        "superseded": "t3",
        "succeeds": "t0",
        "description": "A <b>bold</b> tie",
        "evidence": "quoted",
        "source": "src-1",
        "verified_at": "2026-01-02",
        "version": 3,
    },
    {"id": "t4", "type": "FUNDS", "other": OTHER, "amount": 12.5, "superseded": "t5"},
]


class Actor:
    def __init__(self, *rights: str) -> None:
        self.rights = rights

    def may(self, right: str) -> bool:
        return right in self.rights


def _squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


@pytest.mark.parametrize("actor", [None, Actor("propose"), Actor("propose", "confirm")])
def test_python_tie_item_is_what_the_template_wrote(app, actor):
    template = app.jinja_env.from_string(
        JINJA_TIE_ITEM
        + "{% for f in ties %}[{{ tie_item(f, {'type': 'AGREEMENT'}, actor, titles) }}]"
        + "{% endfor %}"
    )
    with app.test_request_context("/"):
        expected = template.render(ties=TIES, actor=actor, titles=TITLES)
        written = "".join(f"[{tie_item(t, 'AGREEMENT', actor, TITLES)}]" for t in TIES)
    assert _squeezed(written) == _squeezed(expected)
    assert "A &lt;b&gt;bold&lt;/b&gt; tie" in written and "1,250,000 EUR" in written
    assert ("Confirm as checked" in written) == (actor is not None and actor.may("confirm"))


# One type's group of ties as entity.html wrote it in Jinja, kept as the reference.
JINJA_TIE_GROUP = (Path(__file__).parent / "data" / "tie_group.html").read_text()
GROUP = {"type": "AGREEMENT", "total": 3, "ties": TIES, "sorted": True, "skip": 0, "size": 10}
GROUPS = [
    {**GROUP, "kinds": {"City": 2, "University": 1}, "kind": None, "of": 3, "more": False},
    {**GROUP, "kinds": {"City": 3}, "kind": None, "of": 3, "more": False},  # one kind: no links
    {**GROUP, "kinds": {"City": 2, "University": 1}, "kind": "City", "of": 2, "more": True},
    {**GROUP, "kinds": {"City": 9}, "kind": "City", "skip": 20, "of": 9, "more": False},
    {
        **GROUP,
        "total": 5000,
        "sorted": False,
        "kinds": {},
        "kind": None,
        "skip": 100,
        "size": 100,
        "of": 5000,
        "more": True,
    },
    {**GROUP, "ties": [], "total": 0, "kinds": {}, "kind": None, "of": None, "more": False},
]


@pytest.mark.parametrize("tie_type", [None, "AGREEMENT"])
@pytest.mark.parametrize("group", GROUPS)
def test_python_tie_group_is_what_the_template_wrote(app, group, tie_type):
    template = app.jinja_env.from_string(
        JINJA_TIE_GROUP + "{{ tie_group(group, e, tie_type, actor, titles, 1000) }}"
    )
    actor = Actor("propose")
    with app.test_request_context("/"):
        expected = template.render(
            group=group,
            e={"id": "oulu <x>"},
            tie_type=tie_type,
            actor=actor,
            titles=TITLES,
            tie_item=tie_item,
        )
        written = tie_group(group, "oulu <x>", tie_type, actor, TITLES, 1000)
    assert _squeezed(written) == _squeezed(expected)
    assert written.count('class="tie"') == len(group["ties"])
    if group is GROUPS[0]:
        assert 'href="/entity/oulu%20%3Cx%3E?type=AGREEMENT&amp;kind=University"' in written


# One agreement of an entity's timeline as entity.html wrote it in Jinja, kept as the reference.
JINJA_TIMELINE_ITEM = (Path(__file__).parent / "data" / "timeline_item.html").read_text()
AGREEMENTS = [
    {**TIES[0], "renews_chain": []},
    {**TIES[1], "renews_chain": ["t0", "t<1>"]},
    {"id": "t9", "other": ENTITIES[2], "valid_from": 2020, "kind": None},
]


def test_python_timeline_item_is_what_the_template_wrote(app):
    template = app.jinja_env.from_string(
        JINJA_TIMELINE_ITEM + "{% for f in facts %}[{{ timeline_item(f) }}]{% endfor %}"
    )
    with app.test_request_context("/"):
        expected = template.render(facts=AGREEMENTS)
        written = "".join(f"[{timeline_item(f)}]" for f in AGREEMENTS)
    assert _squeezed(written) == _squeezed(expected)
    assert "renews t0 → t&lt;1&gt;" in written and ">undated<" in written
