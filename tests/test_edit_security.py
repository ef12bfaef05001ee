"""Who may write: CSRF on every form, roles on every write route, tokens, sign-in defences."""

from __future__ import annotations

import re

import pytest

from graph.edit.apply import propose_edit
from graph.edit.changes import Edit, Evidence
from graph.edit.roles import Actor
from tests.conftest import digest
from tests.edit_helpers import PASSWORD, SOURCE, csrf_token, reseed, revision_count, sign_in
from web.app import create_app
from web.auth.accounts import create_token
from web.db import close_store

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
TIE = ("AGREEMENT", "agr-oulu-sendai-coincubation-2005")


@pytest.fixture(scope="module")
def app(settings, embedded):
    reseed(embedded)
    application = create_app({"SETTINGS": settings})
    yield application
    close_store(application)


@pytest.fixture
def store(app):
    return app.extensions["ecomap.store"]


@pytest.fixture
def pending_id(store):
    edit = Edit("update", "entity", "City", id="vantaa", values={"description": "proposed"},
                evidence=Evidence(source=SOURCE, quote="q"))  # fmt: skip
    return propose_edit(store, edit, Actor("carl", "contributor"))["id"]


def write_urls(app, pending: str, token_id: str = "00000000") -> list[tuple[str, str, str]]:
    """Every rule of the URL map that accepts a write method, with its arguments filled in."""
    values = {"entity_id": "oulu", "tie_type": TIE[0], "tie_id": TIE[1], "rev_id": pending,
              "token_id": token_id, "action": "retire", "decision": "approve",
              "source_id": "src-intake-000000000000", "change_id": "chg-seed"}  # fmt: skip
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            methods = sorted((rule.methods or set()) & WRITE_METHODS)
            if not methods:
                continue
            url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
            urls.extend((methods[0], url, rule.endpoint) for _ in [0])
    return urls


def form_data(token: str | None = None) -> dict[str, str]:
    data = {"kind": "City", "name": "Hacked", "description": "hacked", "source": SOURCE,
            "evidence": "q", "type": "AGREEMENT", "other": "sendai", "version": "1",
            "comment": "x", "password": PASSWORD, "name_": "erin"}  # fmt: skip
    if token:
        data["csrf_token"] = token
    return data


def test_the_url_map_has_the_write_routes_the_tests_cover(app, pending_id):
    endpoints = {endpoint for _, _, endpoint in write_urls(app, pending_id)}
    assert {"edit.edit_entity", "review.approve_change", "api.create_entity", "auth.revoke",
            "edit.revert_revision", "edit.revert_whole_change"} <= endpoints  # fmt: skip
    assert len(endpoints) >= 20


def test_every_form_refuses_a_post_without_a_csrf_token(app, store, pending_id):
    client = app.test_client()
    sign_in(client, "ada")  # an admin may do everything but forge
    before, revisions = digest(store), revision_count(store)
    refused = 0
    for method, url, endpoint in write_urls(app, pending_id):
        response = client.open(url, method=method, data=form_data())
        if endpoint.startswith("api."):
            assert response.status_code == 401, url  # a session cookie opens nothing there
        else:
            assert response.status_code == 400, url
            assert "CSRF" in response.get_data(as_text=True), url
        refused += 1
    assert digest(store) == before and revision_count(store) == revisions
    print(f"CSRF: {refused} write endpoints refused a forged request")


@pytest.mark.parametrize("who", [None, "vera"])
def test_a_viewer_cannot_write_through_any_route(app, store, pending_id, who):
    client = app.test_client()
    if who:
        sign_in(client, who)
    token = csrf_token(client, "/sign-in")
    viewer_token = create_token(store, "viewer-script", "viewer", 1)[0]
    before, revisions = digest(store), revision_count(store)
    checked = 0
    for method, url, endpoint in write_urls(app, pending_id):
        if endpoint.startswith("auth.sign_"):
            continue  # signing in and out is open to all and writes no fact
        if endpoint.startswith("api."):
            headers = {"Authorization": f"Bearer {viewer_token}"}
            response = client.open(url, method=method, json={"name": "x"}, headers=headers)
        else:
            headers = {}
            response = client.open(url, method=method, data=form_data(token))
        if who is None and not headers:
            assert response.status_code == 302, url
            assert "/sign-in" in response.headers["Location"], url
        else:
            assert response.status_code == 403, url
        checked += 1
    assert digest(store) == before and revision_count(store) == revisions
    print(f"viewer ({who or 'anonymous'}): {checked} write routes refused")


def test_a_contributor_cannot_review_or_reach_admin_pages(app, store, pending_id):
    client = app.test_client()
    sign_in(client, "carl")
    token = csrf_token(client, "/entity/oulu/edit")
    assert client.get("/admin").status_code == 403
    assert client.get("/review").status_code == 403
    response = client.post(f"/review/{pending_id}/approve", data={"csrf_token": token})
    assert response.status_code == 403
    assert client.post("/admin/tokens/abc/revoke", data={"csrf_token": token}).status_code == 403


def test_an_editor_cannot_approve_their_own_change(app, store):
    edit = Edit("update", "entity", "City", id="vantaa", values={"description": "mine"},
                evidence=Evidence(source=SOURCE, quote="q"))  # fmt: skip
    own = propose_edit(store, edit, Actor("erin", "contributor"))["id"]
    client = app.test_client()
    sign_in(client, "erin")
    token = csrf_token(client, "/review")
    response = client.post(f"/review/{own}/approve", data={"csrf_token": token})
    assert response.status_code == 403
    assert "own change" in response.get_data(as_text=True)


def api_entity(name: str) -> dict[str, str]:
    return {"kind": "Company", "name": name, "country": "FI", "source": SOURCE,
            "evidence": "A quote."}  # fmt: skip


def test_token_scopes_are_kept(app, store):
    client = app.test_client()
    tokens = {role: create_token(store, f"{role}-script", role, 1)[0]
              for role in ("viewer", "contributor", "editor")}  # fmt: skip

    def post(role: str, url: str, body: dict) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {tokens[role]}"}
        response = client.post(url, json=body, headers=headers)
        return response.status_code, response.get_json()

    assert post("viewer", "/api/entities", api_entity("Viewer Oy"))[0] == 403
    status, body = post("contributor", "/api/entities", api_entity("Proposed Oy"))
    assert status == 202 and body["status"] == "pending"
    assert post("contributor", f"/api/review/{body['id']}/approve", {})[0] == 403
    assert post("editor", f"/api/review/{body['id']}/approve", {})[0] == 201
    status, body = post("editor", "/api/entities", api_entity("Applied Oy"))
    assert status == 201 and body["status"] == "applied"
    status, body = post("editor", "/api/entities", {"kind": "Company", "name": "No Evidence"})
    assert status == 400 and set(body["problems"]) >= {"source", "evidence"}


def test_a_tie_of_an_unknown_type_is_not_found(app, store):
    token = create_token(store, "typo-script", "editor", 1)[0]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    for method, url in (("patch", "/api/ties/NO_SUCH_TYPE/t1"),
                        ("post", "/api/ties/NO_SUCH_TYPE/t1/retire")):  # fmt: skip
        response = getattr(client, method)(url, json={"source": SOURCE}, headers=headers)
        assert response.status_code == 404
        assert "No tie type 'NO_SUCH_TYPE'" in response.get_json()["error"]


def test_expired_revoked_and_forged_tokens_are_refused(app, store):
    client = app.test_client()
    expired, record = create_token(store, "old", "editor", 1)
    store.apply("MATCH (t:ApiToken {id: $id}) SET t.expires = 1.0", {"id": record["id"]})
    revoked, record = create_token(store, "gone", "editor", 1)
    client_admin = app.test_client()
    sign_in(client_admin, "ada")
    token = csrf_token(client_admin, "/admin")
    assert record["id"] in client_admin.get("/admin").get_data(as_text=True)
    revoke = client_admin.post(f"/admin/tokens/{record['id']}/revoke", data={"csrf_token": token})
    assert revoke.status_code == 302
    forged = revoked[:-4] + ("AAAA" if not revoked.endswith("AAAA") else "BBBB")
    cases = {expired: "expired", revoked: "revoked", forged: "unknown token", "nonsense": "not an"}
    for secret, reason in cases.items():
        response = client.post("/api/entities", json=api_entity("Nope Oy"),
                               headers={"Authorization": f"Bearer {secret}"})  # fmt: skip
        assert response.status_code == 401
        assert reason in response.get_json()["error"]


def test_password_guessing_is_slowed_per_name_and_address(app):
    client = app.test_client()
    statuses = [sign_in(client, "eddy", "wrong guess").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]  # three free failures, then a wait
    blocked = sign_in(client, "eddy")  # even the right password waits
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert sign_in(other, "eddy").status_code == 302  # another address is not slowed


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else ""


def test_signing_in_starts_a_new_session_and_the_old_one_opens_nothing(app, store):
    client = app.test_client()
    csrf_token(client)  # a session exists before signing in (its CSRF token)
    planted = session_cookie(client)
    sign_in(client, "carl")
    first = session_cookie(client)
    assert first and first != planted
    sign_in(client, "erin")
    second = session_cookie(client)
    assert second != first
    attacker = app.test_client()
    attacker.set_cookie("session", first)
    assert "carl" not in attacker.get("/").get_data(as_text=True)  # closed on the server
    assert attacker.get("/entity/oulu/edit").status_code == 302
    victim = app.test_client()
    victim.set_cookie("session", planted)
    sign_in(victim, "ada")  # eddy is slowed by the guessing test above
    assert session_cookie(victim) != planted
    assert re.search(r'class="who"[^>]*>ada<', victim.get("/").get_data(as_text=True))


def test_a_session_expires(app, store):
    client = app.test_client()
    sign_in(client, "erin")
    assert client.get("/entity/oulu/edit").status_code == 200
    store.apply("MATCH (s:LoginSession {account: 'erin'}) SET s.expires = 1.0")
    assert client.get("/entity/oulu/edit").status_code == 302


def test_an_editor_edits_a_proposal_then_approves_it(app, store, pending_id):
    client = app.test_client()
    sign_in(client, "erin")
    page = client.get(f"/review/{pending_id}/edit")
    assert page.status_code == 200 and "proposed" in page.get_data(as_text=True)
    token = csrf_token(client, f"/review/{pending_id}/edit")
    form = {"csrf_token": token, "kind": "City", "name": "Vantaa", "country": "FI",
            "description": "Corrected by the reviewer", "source": SOURCE,
            "evidence": "q"}  # fmt: skip
    assert client.post(f"/review/{pending_id}/edit", data=form).status_code == 302
    fact = client.get("/entity/vantaa.json").get_json()["entity"]
    assert fact["description"] == "Corrected by the reviewer"
    history = client.get("/entity/vantaa/history.json").get_json()["revisions"]
    assert (history[0]["author"], history[0]["reviewer"]) == ("carl", "erin")


def test_behind_the_proxy_the_header_names_the_person_and_their_account_the_role(settings, store):
    from web.settings import AppSettings

    proxied = AppSettings(**{**vars(settings), "access": "proxy", "secret_key": "s3cret"})
    application = create_app({"SETTINGS": proxied})
    try:
        client = application.test_client()
        as_erin = {"X-Forwarded-User": "erin"}
        assert client.get("/entity/oulu/edit", headers=as_erin).status_code == 200
        stranger = {"X-Forwarded-User": "stranger"}  # no account: a viewer
        assert client.get("/entity/oulu/edit", headers=stranger).status_code == 403
        assert client.get("/sign-in", headers=as_erin).status_code == 404  # the proxy signs in
        editor_token = create_token(store, "proxy-script", "editor", 1)[0]
        response = client.post("/api/entities", json=api_entity("Proxied Oy"),
                               headers={"Authorization": f"Bearer {editor_token}"})  # fmt: skip
        assert response.status_code == 201  # scripts need no proxy header, only their token
        assert client.post("/api/entities", json=api_entity("No Oy")).status_code == 403
    finally:
        close_store(application)
