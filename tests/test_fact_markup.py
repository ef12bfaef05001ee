"""Fact markup written in Python (web/render/facts.py) is the markup the Jinja macros wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from web.app import create_app
from web.db import close_store
from web.render.facts import entity_link, fact_dates, fact_evidence

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
