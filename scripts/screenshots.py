"""Screenshot the session page and a festival programme at desktop and phone width for the README.

Imports the demo festival into a temporary instance, serves it on a free loopback port and
drives Debian's chromium with Playwright; the PNGs go to docs/screenshots/.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from festival import create_app  # noqa: E402

CHROMIUM = os.environ.get("FESTIVAL_CHROMIUM", "/usr/bin/chromium")
OUT = ROOT / "docs" / "screenshots"
# name -> (path, a selector to wait for); each is taken at every size below.
PAGES = {
    "session": (
        "/sessions/how-singapore-learns?t=145.85&q=estonia%20OR%20singapore",
        ".cue.hit-current",
    ),
    "programme": ("/festivals/states-of-change-2020", ".day-sessions"),
}
SIZES = {"desktop": (1280, 860), "phone": (375, 812)}


def demo_app(folder: Path):
    app = create_app({"INSTANCE_PATH": str(folder / "instance")})
    manifest = ROOT / "sessions" / "states-of-change-2020.yaml"
    result = app.test_cli_runner().invoke(args=["import", str(manifest)])
    if result.exit_code:
        sys.exit(result.output)
    return app


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        server = make_server("127.0.0.1", 0, demo_app(Path(folder)), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for name, (path, ready) in PAGES.items():
                for size, (width, height) in SIZES.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(base + path)
                    page.wait_for_selector(ready)
                    page.wait_for_load_state("load")
                    page.wait_for_timeout(300)  # let the page settle where it scrolled itself
                    page.screenshot(path=OUT / f"{name}-{size}.png")
                    print(OUT / f"{name}-{size}.png")
                    page.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
