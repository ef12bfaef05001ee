"""Take the README screenshots (1280×800 PNGs) of the explorer on the seed data.

Run from the project root: ``.venv/bin/python docs/screenshots/take.py``. It loads the seeds
into a temporary data dir, serves the app on a free port and drives the system Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from graph.loader import load_seeds  # noqa: E402
from graph.seed_validation import read_seeds  # noqa: E402
from graph.settings import Settings  # noqa: E402
from graph.store import open_store  # noqa: E402
from tests.browser import CHROMIUM, LiveServer, chromium, recording_page  # noqa: E402
from web.app import create_app  # noqa: E402
from web.db import close_store  # noqa: E402

SHOTS = {
    "home.png": "/",
    "search-oulu.png": "/search?q=oulu",
    "entity-oulu-university-hospital.png": "/entity/oulu-university-hospital",
    "network-oulu-hops-2.png": "/network/oulu?hops=2",
    "paths-cerenion-tohoku.png": "/paths?from=cerenion&to=tohoku-university-hospital",
}
READY = 'body[data-ready="1"]'


def take(page, url: str, target: Path) -> None:
    """Open ``url``, wait until every framed network is drawn, and save the viewport."""
    page.goto(url)
    frames = page.locator("iframe.network-frame")
    for index in range(frames.count()):
        frames.nth(index).scroll_into_view_if_needed()
        frames.nth(index).content_frame.locator(READY).wait_for(state="attached")
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(200)  # let the views settle after scrolling back
    page.screenshot(path=str(target))
    problems = page.record.problems()
    if problems:
        raise SystemExit(f"{url}: {problems}")


def main() -> None:
    """Seed a temporary store, serve the app and take every screenshot."""
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium")
    with tempfile.TemporaryDirectory(prefix="ecomap-shots-") as folder:
        settings = Settings(data_dir=Path(folder))
        with open_store(settings) as store:
            load_seeds(store, read_seeds([ROOT / "seeds"], root=ROOT))
            app = create_app({"SETTINGS": settings})
            try:
                with LiveServer(app) as server, chromium() as browser:
                    with recording_page(browser) as page:
                        for name, path in SHOTS.items():
                            take(page, server.url(path), HERE / name)
                            print(f"{HERE / name}")
            finally:
                close_store(app)


if __name__ == "__main__":
    main()
