"""Local preview of the built site (``nox -s serve``): serve it, rebuild on changes, reload the page.

The preview serves exactly what ``build`` publishes (search index, PDFs, .bib, .ris, .ics
and the 404 page included), not a second Sphinx build. Every second it looks at the
modification times under the watched folders; after a change it runs the same build
and open pages reload themselves (a small script added to each HTML response asks
the server for the build number). A failed build keeps the last good site and prints
the problems, as ``build`` does.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from enlsp_proceedings import paths

RELOAD_PATH = "/__enlsp_preview_build"
RELOAD_SCRIPT = (
    "<script>(function(){var seen=null;setInterval(function(){fetch('" + RELOAD_PATH + "',{cache:'no-store'})"
    ".then(function(r){return r.text()}).then(function(n){if(seen===null){seen=n}else if(n!==seen){location.reload()}})"
    ".catch(function(){})},1000)})();</script>"
)


def snapshot(folders: list[Path]) -> dict[str, int]:
    """Modification time of every file under ``folders`` (skipping hidden and _build directories)."""
    seen: dict[str, int] = {}
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs[:] = [d for d in dirs if not d.startswith((".", "_build", "__pycache__"))]
            for name in files:
                path = os.path.join(root, name)
                try:
                    seen[path] = os.stat(path).st_mtime_ns
                except OSError:
                    pass
    return seen


class Preview:
    """A built site served locally, rebuilt when its inputs change. Each build runs ``build_command``
    in a new process, or, given ``runner``, is that call (it returns the build's exit status)."""

    def __init__(self, site: Path, build_command: list[str], watch: list[Path], runner: Callable[[], int] | None = None):
        self.site = site
        self.build_command = build_command
        self.watch = watch
        self.runner = runner
        self.generation = 0

    def build(self) -> bool:
        """Run the build; whether it succeeded."""
        ok = (self.runner() if self.runner is not None else subprocess.run(self.build_command).returncode) == 0
        if ok:
            self.generation += 1
        return ok

    def watch_forever(self, interval: float = 1.0) -> None:
        """Rebuild whenever a watched file changes (polling every ``interval`` seconds)."""
        before = snapshot(self.watch)
        while True:
            time.sleep(interval)
            now = snapshot(self.watch)
            if now != before:
                changed = sorted(set(now.items()) ^ set(before.items()))
                print(f"preview: {Path(changed[0][0])} changed; rebuilding...", file=sys.stderr, flush=True)
                before = now
                if not self.build():
                    print("preview: the build failed; still serving the last good site", file=sys.stderr, flush=True)


def make_handler(preview: Preview) -> type[SimpleHTTPRequestHandler]:
    """An HTTP handler serving the preview's site with the download types (.bib, .ris, .ics, .json) and its live-reload endpoint."""
    class Handler(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".bib": "application/x-bibtex",
                          ".ris": "application/x-research-info-systems", ".ics": "text/calendar", ".json": "application/json"}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.site), **kwargs)  # looked up per request: the site is swapped on rebuild

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
            pass

        def do_GET(self) -> None:  # http.server's name for it
            if self.path == RELOAD_PATH:
                self._send(200, "text/plain", str(preview.generation).encode())
                return
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / paths.HOME
            if path.suffix == ".html" and path.is_file() and self.path.split("?")[0].endswith((".html", "/")):
                body = path.read_bytes().replace(b"</body>", RELOAD_SCRIPT.encode() + b"</body>", 1)
                self._send(200, "text/html; charset=utf-8", body)
                return
            if not path.exists():
                missing = preview.site / paths.NOT_FOUND
                body = missing.read_bytes() if missing.is_file() else b"Not found"
                self._send(404, "text/html; charset=utf-8", body)
                return
            super().do_GET()

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def main(argv: list[str] | None = None, make_runner: Callable[[list[str]], Callable[[], int] | None] | None = None,
         prog: str = "python -m enlsp_proceedings.publish.preview") -> int:
    """Build, serve and rebuild on change (``nox -s serve`` calls it through `enlsp_proceedings.serve`,
    whose ``make_runner`` turns the command line's arguments into a faster way to run the build)."""
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("docs/_build/html"), help="the built site to serve (build --out)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--watch", type=Path, action="append", help="folders to watch (default: conf, papers, docs)")
    parser.add_argument("build_args", nargs="*", help="extra arguments for `enlsp-proceedings build` (after --)")
    args = parser.parse_args(argv)
    cli_args = ["build", "--out", str(args.site), *args.build_args]
    runner = make_runner(cli_args) if make_runner is not None else None
    preview = Preview(args.site, [sys.executable, "-m", "enlsp_proceedings", *cli_args], args.watch or [Path("conf"), Path("papers"), Path("docs")],
                      runner)
    if not preview.build() and not (args.site / paths.HOME).is_file():
        return 1
    server = ThreadingHTTPServer((args.host, args.port), make_handler(preview))
    threading.Thread(target=functools.partial(preview.watch_forever), daemon=True).start()
    print(f"preview: serving {args.site.resolve()} at http://{args.host}:{server.server_address[1]}/ "
          "(rebuilt and reloaded when conf/, papers/ or docs/ change; Ctrl-C stops)", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
