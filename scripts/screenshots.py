"""Screenshot the session page, a festival programme, search results and the organiser's session
form at desktop and phone width for the README.

Imports the demo festival into a temporary instance with one organiser, serves it on a free
loopback port and drives Debian's chromium with Playwright; the PNGs go to docs/screenshots/.

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
# name -> (path, a selector to wait for, what to scroll to the top or None, signed in);
# each is taken at every size below.
PAGES = {
    "session": (
        "/sessions/how-singapore-learns?t=145.85&q=estonia%20OR%20singapore",
        ".cue.hit-current",
        None,
        False,
    ),
    "programme": ("/festivals/states-of-change-2020", ".day-sessions", None, False),
    "search": ("/search?q=trust", "li.result", None, False),
    "session-form": (
        "/organise/sessions/how-singapore-learns/edit",
        ".speaker-row",
        "fieldset:has(.speaker-row)",
        True,
    ),
}
SIZES = {"desktop": (1280, 860), "phone": (375, 812)}
ORGANISER = ("organiser@example.org", "screenshots only, never served")
PICTURES_IN_VIEW_LOADED = """() => [...document.images]
    .filter(img => img.getBoundingClientRect().top < innerHeight)
    .every(img => img.complete)"""


def demo_app(folder: Path):
    app = create_app({"INSTANCE_PATH": str(folder / "instance")})
    runner = app.test_cli_runner()
    manifest = ROOT / "sessions" / "states-of-change-2020.yaml"
    for args, given in (
        (["import", str(manifest)], None),
        (["create-organiser", ORGANISER[0], "--password-stdin"], ORGANISER[1] + "\n"),
    ):
        result = runner.invoke(args=args, input=given)
        if result.exit_code:
            sys.exit(result.output)
    return app


def sign_in(context, base: str) -> None:
    page = context.new_page()
    page.goto(base + "/organise/login")
    page.get_by_label("Email").fill(ORGANISER[0])
    page.get_by_label("Password").fill(ORGANISER[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/organise/")
    page.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        server = make_server("127.0.0.1", 0, demo_app(Path(folder)), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            visitor, organiser = browser.new_context(), browser.new_context()
            sign_in(organiser, base)
            for name, (path, ready, scrolled, signed_in) in PAGES.items():
                for size, (width, height) in SIZES.items():
                    page = (organiser if signed_in else visitor).new_page()
                    page.set_viewport_size({"width": width, "height": height})
                    page.goto(base + path)
                    page.wait_for_selector(ready)
                    if scrolled:
                        page.locator(scrolled).evaluate(
                            "element => { element.scrollIntoView(); scrollBy(0, -24); }"
                        )
                    page.wait_for_load_state("load")
                    page.wait_for_function(PICTURES_IN_VIEW_LOADED)  # lazy ones too
                    page.wait_for_timeout(300)  # let the page settle where it scrolled itself
                    page.screenshot(path=OUT / f"{name}-{size}.png")
                    print(OUT / f"{name}-{size}.png")
                    page.close()
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
