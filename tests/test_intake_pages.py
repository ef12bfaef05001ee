"""Intake pages through Flask's test client: take in, detect a repeat, review, apply, bad input."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest

from graph.edit.history import change_revisions
from graph.load.loader import load_seeds
from graph.load.validation import read_seeds
from tests.edit_helpers import PASSWORD, csrf_token, sign_in
from web.app import create_app
from web.auth.accounts import add_account
from web.db import close_store

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (
    "Oulu and Aalborg sign a health innovation agreement\n\n"
    "On 3 March 2026 the City of Oulu signed a cooperation agreement with Aalborg Kommune on "
    "health technology. Nordic Care Lab, a new testbed in Oulu, is run in collaboration with "
    "Aalborg University. In April 2026 Medanets visited Aalborg University Hospital."
)


@pytest.fixture(scope="module")
def app(settings, embedded):
    embedded.clear()
    load_seeds(embedded, read_seeds([ROOT / "seeds"], root=ROOT))
    add_account(embedded, "tester", "editor", PASSWORD)
    app = create_app({"SETTINGS": settings, "TESTING": True})
    yield app
    close_store(app)


class EditorClient:
    """A test client signed in as an editor, whose posts carry the session's CSRF token."""

    def __init__(self, client: Any) -> None:
        sign_in(client, "tester")
        self.client, self.token = client, csrf_token(client, "/intake")

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self.client.get(*args, **kwargs)

    def post(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kwargs)


@pytest.fixture
def client(app):
    return EditorClient(app.test_client())


def take_in(client, text: str = ARTICLE, **fields: str):
    return client.post("/intake", data={"text": text, **fields})


def tie_keys(page: str) -> list[str]:
    return [html.unescape(k) for k in re.findall(r'name="tie:([^"]+)" value="accept"', page)]


def test_a_document_is_kept_once_and_a_repeat_is_detected(client):
    text = ARTICLE + "\n\nA first copy."
    first = take_in(client, text, url="https://example.org/a")
    assert first.status_code == 302
    review = first.headers["Location"]
    assert re.fullmatch(r"/intake/src-intake-[0-9a-f]{12}", review)
    source = client.get(review + ".json").get_json()["source"]
    assert source["url"] == "https://example.org/a" and source["language"] == "en"
    assert source["taken_in_by"] == "tester" and "text" not in source
    again = take_in(client, "  " + text.replace("\n\n", "\n") + " ")
    assert again.headers["Location"] == review + "?seen=1"
    assert "already taken in" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_the_review_highlights_mentions_and_lists_proposals(client):
    page = client.get(take_in(client, ARTICLE + " Second.").headers["Location"])
    text = page.get_data(as_text=True)
    assert '<mark class="known" title="City: Oulu">Oulu</mark>' in text
    assert '<mark class="new" title="Programme: Nordic Care Lab">Nordic Care Lab</mark>' in text
    assert "oulu|AGREEMENT|aalborg" in tie_keys(text)


def test_applying_writes_the_accepted_ties_with_quote_and_source(client):
    review = take_in(client, ARTICLE + " Third.").headers["Location"]
    source_id = review.rsplit("/", 1)[-1]
    keys = tie_keys(client.get(review).get_data(as_text=True))
    lab = next(k for k in keys if k.endswith("|LOCATED_IN|oulu"))
    done = client.post(review, data={
        "tie:oulu|AGREEMENT|aalborg": "accept", f"tie:{lab}": "accept",
    })  # fmt: skip
    assert done.status_code == 200, done.get_data(as_text=True)
    entity = client.get("/entity/nordic-care-lab.json").get_json()
    assert entity["entity"]["source"] == source_id
    assert entity["entity"]["evidence"].startswith("Nordic Care Lab, a new testbed in Oulu")
    ties = [t for g in entity["groups"] for t in g["ties"]]
    assert [(t["type"], t["to"], t["source"]) for t in ties] == [("LOCATED_IN", "oulu", source_id)]
    oulu = client.get("/entity/oulu").get_data(as_text=True)
    assert "On 3 March 2026 the City of Oulu signed a cooperation agreement" in oulu
    assert "Oulu and Aalborg sign a health innovation agreement" in oulu  # the source's title
    again = client.get(review + ".json").get_json()["proposals"]["ties"]
    assert not [
        t for t in again if (t["from"], t["type"], t["to"]) == ("oulu", "AGREEMENT", "aalborg")
    ]


def test_accepted_facts_are_revisions_of_one_change_that_can_be_undone(client, embedded):
    text = "Arctic Robot Lab opens\n\nArctic Robot Lab, a new testbed in Oulu, opened in 2026."
    review = take_in(client, text).headers["Location"]
    source_id = review.rsplit("/", 1)[-1]
    key = "new:arctic robot lab|LOCATED_IN|oulu"
    assert key in tie_keys(client.get(review).get_data(as_text=True))
    done = client.post(review, data={f"tie:{key}": "accept"})
    assert done.status_code == 200, done.get_data(as_text=True)
    change = re.search(r"/change/(chg-[0-9a-f-]+)/revert", done.get_data(as_text=True))
    assert change is not None
    revisions = change_revisions(embedded, change.group(1))
    assert sorted((r["target"], r["group"], r["target_id"]) for r in revisions) == [
        ("entity", "Programme", "arctic-robot-lab"),
        ("tie", "LOCATED_IN", revisions[0]["target_id"]),
    ]
    for revision in revisions:
        who = (revision["author"], revision["role"], revision["via"], revision["action"])
        assert who == ("tester", "editor", "intake", "create")
        assert revision["source"] == source_id
        assert revision["quote"] and revision["quote"] in text  # its sentence, verbatim
    feed = client.get("/changes.json").get_json()["revisions"]
    assert {r["id"] for r in revisions} <= {r["id"] for r in feed}
    lab = client.get("/entity/arctic-robot-lab.json").get_json()["entity"]
    assert lab["edited_by"] == "tester" and lab["source"] == source_id

    undone = client.post(f"/change/{change.group(1)}/revert")
    assert undone.status_code == 302
    assert client.get("/entity/arctic-robot-lab").status_code in (404, 410)
    assert "Oulu, opened in 2026" not in client.get("/entity/oulu").get_data(as_text=True)
    reverts = [r for r in client.get("/changes.json").get_json()["revisions"] if r.get("reverts")]
    assert {r["reverts"] for r in reverts} == {r["id"] for r in revisions}
    assert client.post(f"/change/{change.group(1)}/revert").status_code == 302  # nothing left
    assert client.post("/change/chg-nothing/revert").status_code == 404


def test_a_wrong_correction_writes_nothing_and_says_why(client, embedded):
    review = take_in(client, ARTICLE + " Fourth.").headers["Location"]
    keys = tie_keys(client.get(review).get_data(as_text=True))
    visit = next(k for k in keys if "|VISITED|" in k)
    lab = next(k for k in keys if k.endswith("|LOCATED_IN|aalborg"))  # a new hospital's place
    before = embedded.counts()
    done = client.post(review, data={
        f"tie:{lab}": "accept",
        f"tie:{visit}": "accept", f"type:{visit}": "WORKS_AT",
    })  # fmt: skip
    assert done.status_code == 400
    assert "nothing was written" in html.unescape(done.get_data(as_text=True))
    assert "a WORKS_AT tie cannot join a Company to a Hospital" in html.unescape(
        done.get_data(as_text=True)
    )
    assert embedded.counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, "paste the article&#39;s text or choose a file"),
    ],
)
def test_bad_input_is_a_400_that_says_what_is_wrong(client, data, message):
    response = client.post("/intake", data={**data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_taking_in_needs_a_signed_in_editor(app, embedded):
    count = "MATCH (s:Source) RETURN count(s) AS n"
    before = embedded.read(count).value()
    anonymous = app.test_client()
    token = csrf_token(anonymous, "/intake")
    response = anonymous.post("/intake", data={"text": ARTICLE, "csrf_token": token})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert embedded.read(count).value() == before


def test_an_empty_upload_names_the_file(client):
    from io import BytesIO

    response = client.post(
        "/intake", data={"file": (BytesIO(b""), "empty.txt")},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 400
    assert "empty.txt: the document holds no text" in response.get_data(as_text=True)


def test_html_with_scripts_is_never_shown_raw(client):
    from io import BytesIO

    page = (
        b"<html><head><title>Script test</title><script>alert('head')</script></head><body>"
        b"<p>Oulu signed an agreement with Sendai in 2026 "
        b"&lt;script&gt;alert(1)&lt;/script&gt;.</p>"
        b"<script>alert('body')</script><img src=x onerror=alert(2)></body></html>"
    )
    response = client.post(
        "/intake", data={"file": (BytesIO(page), "news.html")},
        content_type="multipart/form-data",
    )  # fmt: skip
    review = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "alert('head')" not in review and "alert('body')" not in review
    assert "onerror" not in review and "<script>alert(1)" not in review
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in review  # the text's own words, escaped


def test_an_unknown_review_is_a_404(client):
    response = client.get("/intake/src-intake-000000000000")
    assert response.status_code == 404
    assert "no document taken in has the id" in response.get_data(as_text=True)


def test_a_cross_site_post_is_refused(client):
    response = client.post("/intake", data={"text": "x"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403


def test_quotes_citing_a_taken_in_document_are_checked_against_its_text(client, embedded):
    from graph.intake.evidence import unverified_quotes
    from graph.load.loader import load_graph

    review = take_in(client, ARTICLE + " Fifth.").headers["Location"]
    source_id = review.rsplit("/", 1)[-1]
    sentence = ARTICLE.split(". ")[0].strip() + "."
    load_graph(embedded, nodes=[{
        "label": "Company", "id": "quoted-co", "name": "Quoted Co", "source": source_id,
        "evidence": sentence,
    }], relationships=[])  # fmt: skip
    checked, wrong = unverified_quotes(embedded)
    assert checked >= 1 and wrong == []  # a verbatim quote of the document passes
    load_graph(embedded, nodes=[{
        "label": "Company", "id": "made-up-co", "name": "Made Up Co", "source": source_id,
        "evidence": "Made Up Co signed nothing.",
    }], relationships=[])  # fmt: skip
    _, wrong = unverified_quotes(embedded)
    assert [(w.fact, w.source) for w in wrong] == [("made-up-co", source_id)]
