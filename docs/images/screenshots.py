"""Re-take the README's screenshots from the built real site (`nox -s build` first).

    python docs/images/screenshots.py [SITE]      # SITE defaults to docs/_build/html

Headless Debian Chromium (/usr/bin/chromium) through Playwright, the site served on 127.0.0.1:
the home page (light), the papers list with the camera-readies' first pages, a paper page (dark) and
the schedule on a 390 px phone.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHOTS = [  # file, page, viewport width, height, colour scheme
    ("home.png", "2023/index.html", 1280, 800, "light"),
    ("series.png", "index.html", 1280, 800, "light"),
    ("papers.png", "2023/papers/index.html", 1280, 800, "light"),
    ("paper-dark.png", "2023/papers/cmt-3.html", 1280, 800, "dark"),
    ("schedule-phone.png", "2023/schedule.html", 390, 844, "light"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    if not (site / "index.html").is_file():
        raise SystemExit(f"{site} has no built site: run `nox -s build` first")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for name, page_path, width, height, scheme in SHOTS:
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme,
                                              is_mobile=width < 600, has_touch=width < 600, device_scale_factor=1)
                page = context.new_page()
                page.goto(base + page_path, wait_until="networkidle")
                page.screenshot(path=str(HERE / name))
                context.close()
                print(f"{HERE / name}: {page_path} at {width} x {height} ({scheme})")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parents[1] / "docs" / "_build" / "html")
