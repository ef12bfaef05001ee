"""Embeds: framing policy, signed links, sign-in through a proxy, caching, snapshots."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from markupsafe import escape

from web.app import create_app
from web.db import close_store
from web.signing import sign
from web.views.embed_links import embed_path

ROOT = Path(__file__).resolve().parent.parent
SECRET = "test-secret-key"
EMBEDS = [
    "/embed/network/oulu?hops=2",
    "/embed/paths?from=cerenion&to=tohoku-university-hospital",
    "/embed/common?ids=oulu,sendai",
    "/embed/queries/partners-of?org=oulu",
    "/embed/queries/partners-of?org=oulu&as=network",
    "/embed/entity/oulu?hops=1",
]


@pytest.fixture(scope="module")
def open_app(settings, seeded):
    app = create_app({"SETTINGS": settings.but(embed_origins="https://intranet.example.org")})
    yield app
    close_store(app)


@pytest.fixture(scope="module")
def proxy_app(settings, seeded):
    app = create_app({"SETTINGS": settings.but(access="proxy", secret_key=SECRET)})
    yield app
    close_store(app)


@pytest.mark.parametrize("url", EMBEDS)
def test_embeds_may_be_framed_by_the_allowed_origins_only(open_app, url):
    response = open_app.test_client().get(url)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert policy == "frame-ancestors 'self' https://intranet.example.org"
    assert "X-Frame-Options" not in response.headers
    page = response.get_data(as_text=True)
    assert "Data as of" in page and "Open in Ecomap" in page and "Sources:" in page
    assert "<nav>" not in page  # no navigation chrome


@pytest.mark.parametrize("url", ["/", "/entity/oulu", "/network/oulu", "/paths", "/queries"])
def test_other_pages_refuse_to_be_framed(open_app, url):
    response = open_app.test_client().get(url)
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("url", ["/network/oulu/view", "/paths/view?from=oulu&to=sendai"])
def test_drawn_views_may_be_framed_by_our_own_pages_only(open_app, url):
    response = open_app.test_client().get(url)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_default_is_same_origin_only(settings, seeded):
    app = create_app({"SETTINGS": settings})
    try:
        policy = app.test_client().get(EMBEDS[0]).headers["Content-Security-Policy"]
        assert policy == "frame-ancestors 'self'"
    finally:
        close_store(app)


@pytest.mark.parametrize("url", EMBEDS)
def test_a_repeat_load_of_unchanged_data_answers_304(open_app, url):
    client = open_app.test_client()
    first = client.get(url)
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = client.get(url + "&k=2" if "paths" in url else url + "&x=1")
    assert other.headers["ETag"] != first.headers["ETag"]


def test_snapshot_is_one_self_contained_file(open_app):
    response = open_app.test_client().get("/embed/network/oulu?hops=2&snapshot=1")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    page = response.get_data(as_text=True)
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(?!data:)", page)
    assert "vis-network" in page and 'id="net-data"' in page and "Download snapshot" not in page


def test_snapshot_of_a_table(open_app):
    page = open_app.test_client().get("/embed/queries/partners-of?org=oulu&snapshot=1")
    text = page.get_data(as_text=True)
    assert "<style>" in text and '<link rel="stylesheet"' not in text
    assert "Kanagawa Prefectural Government" in text


SELF_CONTAINED = re.compile(r"<(script|link|img)[^>]+(src|href)=\"(?!data:)")


def quotes_of(ties: list[dict]) -> set[str]:
    """Return each tie's verbatim quote as the page writes it (HTML-escaped)."""
    return {str(escape(t["evidence"])) for t in ties if t.get("evidence")}


def test_paths_snapshot_carries_every_quote_of_its_steps(open_app):
    client = open_app.test_client()
    query = "from=cerenion&to=tohoku-university-hospital"
    data = client.get(f"/paths.json?{query}").get_json()
    ties = [t for path in data["paths"] for hop in path["hops"] for t in hop["ties"]]
    assert len(quotes_of(ties)) >= 3
    page = client.get(f"/embed/paths?{query}&snapshot=1").get_data(as_text=True)
    assert not SELF_CONTAINED.search(page)
    assert all(quote in page for quote in quotes_of(ties))
    assert page.count('<section class="snapshot-section">') == len(data["paths"])
    assert "Path 1: Cerenion → " in page
    framed = client.get(f"/embed/paths?{query}").get_data(as_text=True)
    assert "net-appendix" not in framed  # the embed itself stays a drawing in its frame


def test_entity_page_exports_as_a_snapshot_with_its_ties_and_quotes(open_app):
    client = open_app.test_client()
    response = client.get("/embed/entity/oulu?snapshot=1")
    assert response.headers["Content-Disposition"] == 'attachment; filename="ecomap-oulu.html"'
    page = response.get_data(as_text=True)
    assert not SELF_CONTAINED.search(page)
    data = client.get("/entity/oulu.json").get_json()
    ties = [t for group in data["groups"] for t in group["ties"]]
    assert len(quotes_of(ties)) >= 5 and all(q in page for q in quotes_of(ties))
    assert "<h2>Ties of Oulu</h2>" in page and 'id="net-data"' in page
    assert page.count('<section class="snapshot-section">') == len(data["groups"])
    assert client.get("/embed/entity/nobody-here").status_code == 404


def test_query_snapshot_drawn_as_a_network_carries_its_table(open_app):
    client = open_app.test_client()
    page = client.get("/embed/queries/partners-of?org=oulu&as=network&snapshot=1")
    text = page.get_data(as_text=True)
    assert not SELF_CONTAINED.search(text)
    assert 'id="net-data"' in text and '<table class="embed-rows">' in text
    rows = client.get("/queries/partners-of.json?org=oulu").get_json()["rows"]
    assert text.count("<tr><td>") == len(rows)
    assert '<th scope="col">Partner</th>' in text and '<th scope="col">b</th>' not in text
    assert '<a href="http://localhost/entity/sendai" target="_blank" rel="noopener">' in text


# -- sign-in through a proxy, and signed links -------------------------------------------


def test_proxy_mode_refuses_requests_without_the_user_header(proxy_app):
    client = proxy_app.test_client()
    assert client.get("/").status_code == 403
    assert "Sign in" in client.get("/").get_data(as_text=True)
    assert client.get("/", headers={"X-Forwarded-User": "anna"}).status_code == 200
    assert client.get("/-/health").status_code == 200


def test_the_user_header_is_trusted_only_from_the_proxy(proxy_app):
    client = proxy_app.test_client()
    outsider = {"REMOTE_ADDR": "203.0.113.9"}
    response = client.get("/", headers={"X-Forwarded-User": "mallory"}, environ_base=outsider)
    assert response.status_code == 403


def signed(url: str, days: float = 1) -> str:
    return sign(SECRET, url, days=days)


def test_a_signed_link_opens_its_view(proxy_app):
    response = proxy_app.test_client().get(signed("/embed/network/oulu?hops=2"))
    assert response.status_code == 200
    assert "Network of Oulu" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda u: u.replace("hops=2", "hops=3"), "changed after it was signed"),
        (lambda u: u.replace("/oulu?", "/sendai?"), "changed after it was signed"),
        (lambda u: u.replace("/embed/network/oulu", "/embed/common"), "changed after it was"),
        (lambda u: u + "&kind=City", "changed after it was signed"),
        (lambda u: re.sub(r"sig=[^&]+", "sig=AAAA", u), "changed after it was signed"),
        (lambda u: re.sub(r"exp=\d+", f"exp={int(time.time()) + 10**6}", u), "changed after"),
        (lambda u: re.sub(r"&sig=[^&]+", "", u), "Sign in"),
    ],
)
def test_a_tampered_link_gets_a_403_saying_why(proxy_app, change, reason):
    response = proxy_app.test_client().get(change(signed("/embed/network/oulu?hops=2")))
    assert response.status_code == 403
    assert reason in response.get_data(as_text=True)


def test_a_link_is_an_hmac_sha256_of_path_query_and_expiry(proxy_app):
    """Links issued by earlier versions keep opening: the signature's format is fixed."""
    import base64
    import hashlib
    import hmac

    expires = int(time.time()) + 3600
    message = f"/embed/network/oulu?hops=2&exp={expires}".encode()
    mac = hmac.new(SECRET.encode(), message, hashlib.sha256).digest()
    sig = base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    link = f"/embed/network/oulu?hops=2&exp={expires}&sig={sig}"
    assert signed("/embed/network/oulu?hops=2").split("&exp=")[0] == link.split("&exp=")[0]
    assert proxy_app.test_client().get(link).status_code == 200


def test_an_expired_link_gets_a_403_saying_when(proxy_app):
    response = proxy_app.test_client().get(signed("/embed/network/oulu", days=-1 / 24))
    assert response.status_code == 403
    assert "expired on" in response.get_data(as_text=True)


def test_a_signed_link_reaches_only_embeds(proxy_app):
    path, _, query = signed("/embed/network/oulu").partition("?")
    response = proxy_app.test_client().get(f"/network/oulu?{query}")
    assert response.status_code == 403


def test_embed_button_gives_signed_links_to_signed_in_users(proxy_app):
    client = proxy_app.test_client()
    user = {"X-Forwarded-User": "anna"}
    body = client.get("/network/oulu.json", headers=user).get_json()
    link = urlsplit(body["embed"]["url"])
    assert body["embed"]["signed"] is True
    assert client.get(f"{link.path}?{link.query}").status_code == 200
    longer = client.get("/-/embed-link.json?path=/embed/network/oulu&days=90", headers=user)
    expires = int(dict(parse_qsl(urlsplit(longer.get_json()["url"]).query))["exp"])
    assert 89 * 86400 < expires - time.time() <= 90 * 86400
    assert client.get("/-/embed-link.json?path=/embed/network/oulu").status_code == 403
    bad = client.get("/-/embed-link.json?path=/admin", headers=user)
    assert bad.status_code == 400


def test_proxy_mode_needs_a_secret_key(settings):
    from graph.errors import SettingsError

    with pytest.raises(SettingsError, match="ECOMAP_SECRET_KEY"):
        create_app({"SETTINGS": settings.but(access="proxy")})


@pytest.mark.parametrize("bad", ["intranet.example.org", "https://x.org/path", "*"])
def test_embed_origins_must_be_origins(settings, bad):
    from graph.errors import SettingsError

    with pytest.raises(SettingsError, match="ECOMAP_EMBED_ORIGINS"):
        create_app({"SETTINGS": settings.but(embed_origins=bad)})


# -- the command line ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/network/oulu?hops=2", "/embed/network/oulu?hops=2"),
        ("https://ecomap.example.org/paths?from=a&to=b", "/embed/paths?from=a&to=b"),
        ("/embed/common?ids=a,b", "/embed/common?ids=a,b"),
        ("/queries/partners-of?org=oulu", "/embed/queries/partners-of?org=oulu"),
        ("/entity/oulu", "/embed/entity/oulu"),
    ],
)
def test_embed_path_of_a_view(url, expected):
    assert embed_path(url) == expected


@pytest.mark.parametrize("url", ["/", "/search?q=x", "/entity/../etc", "/network/../etc"])
def test_embed_path_refuses_other_pages(url):
    with pytest.raises(ValueError, match="is not a network"):
        embed_path(url)


def test_export_html_writes_a_snapshot(settings, seeded, tmp_path):
    output = tmp_path / "oulu.html"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from web.cli.commands import main; main()",
            "--data-dir",
            str(settings.data_dir),
            "export-html",
            "/network/oulu?hops=1",
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    page = output.read_text(encoding="utf-8")
    assert "Network of Oulu" in page and "<script src=" not in page
    assert 'href="http://127.0.0.1:5000/network/oulu?hops=1"' in page
