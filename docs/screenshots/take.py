"""Take the README screenshots (1280 px wide, the top of each page down to 1,400 px, so a
framed drawing shows whole) of the explorer on the seed data.

Run from the project root: ``.venv/bin/python docs/screenshots/take.py [NAME.png ...]`` (every
screenshot, or only those named). It loads the seeds into a temporary data dir, serves the app
on a free port and drives the system Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from graph.load.loader import load_seeds  # noqa: E402
from graph.load.validation import read_seeds  # noqa: E402
from graph.store.backends import open_store  # noqa: E402
from tests.browser import CHROMIUM, LiveServer, chromium, recording_page  # noqa: E402
from web.app import create_app  # noqa: E402
from web.db import close_store  # noqa: E402
from web.settings import AppSettings  # noqa: E402

SHOTS = {
    "home.png": "/",
    "search-oulu.png": "/search?q=oulu",
    "entity-oulu-university-hospital.png": "/entity/oulu-university-hospital",
    "network-oulu-hops-2.png": "/network/oulu?hops=2",
    "paths-cerenion-tohoku.png": "/paths?from=Cerenion&to=Tohoku+University+Hospital",
    "paths-by-name-chooser.png": "/paths?from=Tohoku&to=Sendai",
    "paths-separate-parts.png": "/paths?from=Oulu&to=Aalborg",
    "common-by-name.png": "/common?ids=Oulu+University+Hospital&ids=Tohoku+University+Hospital",
    "search-suggestions.png": "/search?q=Tohoku+bananas+hospital",
    "query-ties-of-organisation.png": "/queries/ties-of-organisation?country=FI&city=oulu"
    "&org=oulu-university-hospital",
    "overview.png": "/overview",
}
NARROW = {  # embeds as an intranet's side column shows them: 480 px wide
    "embed-narrow-paths.png": "/embed/paths?from=cerenion&to=tohoku-university-hospital",
}
READY = 'body[data-ready="1"]'
TALLEST = 1400  # px of a page shown at most
EMBED = "/embed/network/oulu-university-hospital?hops=1"
INTRANET = """<!doctype html><html><head><meta charset="utf-8"><title>Intranet</title>
<style>body{font:15px system-ui,sans-serif;margin:0;background:#eef1f4}
header{background:#2b3a4a;color:#fff;padding:.8rem 1.5rem;font-weight:600}
main{max-width:980px;margin:1.2rem auto;background:#fff;padding:1rem 1.5rem;border-radius:6px}
</style></head><body><header>Innovation unit · intranet</header><main>
<h1>Our partners in Japan</h1><p>The hospital's ties, live from Ecomap:</p>
<iframe id="ecomap" src="SRC" width="100%" height="520" style="border:0"></iframe>
</main></body></html>"""


class Intranet:
    """A host page on another origin that frames one Ecomap embed."""

    def __init__(self) -> None:
        self.src = "about:blank"

    def __call__(self, environ, start_response):
        body = INTRANET.replace("SRC", self.src).encode()
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body]


def take_embed(browser, intranet: Intranet, host: LiveServer, ecomap: LiveServer) -> None:
    """Screenshot an embed framed by an intranet page on another origin."""
    intranet.src = ecomap.url(EMBED)
    with recording_page(browser) as page:
        page.goto(host.url("/"))
        page.frame_locator("#ecomap").locator(READY).wait_for(state="attached")
        page.wait_for_timeout(300)
        page.screenshot(path=str(HERE / "embed-in-intranet.png"))


def take_narrow(browser, ecomap: LiveServer) -> None:
    """Screenshot embeds in a frame 480 px wide (the legend folds away)."""
    with recording_page(browser) as page:
        page.set_viewport_size({"width": 480, "height": 480})
        for name, path in NARROW.items():
            take(page, ecomap.url(path), HERE / name)
            print(HERE / name)


def take(page, url: str, target: Path) -> None:
    """Open ``url``, wait until every framed network is drawn, and save the viewport."""
    page.goto(url)
    if page.locator("#mynetwork, #overview").count():  # a drawn view itself, or the overview
        page.locator(READY).wait_for(state="attached")
    frames = page.locator("iframe.network-frame")
    for index in range(frames.count()):
        frames.nth(index).scroll_into_view_if_needed()
        frames.nth(index).content_frame.locator(READY).wait_for(state="attached")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(200)  # let the views settle after scrolling back
    size = page.viewport_size
    height = min(page.evaluate("document.documentElement.scrollHeight"), TALLEST)
    clip = {"x": 0, "y": 0, "width": size["width"], "height": max(height, size["height"])}
    page.screenshot(path=str(target), full_page=True, clip=clip)
    problems = page.record.problems()
    if problems:
        raise SystemExit(f"{url}: {problems}")


def main(names: list[str]) -> None:
    """Seed a temporary store, serve the app and take every screenshot (or those named)."""
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium")
    with tempfile.TemporaryDirectory(prefix="ecomap-shots-") as folder:
        settings = AppSettings(data_dir=Path(folder))
        with open_store(settings) as store:
            load_seeds(store, read_seeds([ROOT / "seeds"], root=ROOT))
            intranet = Intranet()
            with LiveServer(intranet) as host:
                origin = host.url("").rstrip("/")
                app = create_app({"SETTINGS": settings.but(embed_origins=origin)})
                try:
                    with LiveServer(app) as server, chromium() as browser:
                        with recording_page(browser) as page:
                            for name, path in SHOTS.items():
                                if names and name not in names:
                                    continue
                                take(page, server.url(path), HERE / name)
                                print(f"{HERE / name}")
                        if not names or "embed-in-intranet.png" in names:
                            take_embed(browser, intranet, host, server)
                            print(HERE / "embed-in-intranet.png")
                        if not names or set(names) & set(NARROW):
                            take_narrow(browser, server)
                finally:
                    close_store(app)


if __name__ == "__main__":
    main(sys.argv[1:])
