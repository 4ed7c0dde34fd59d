"""Serve the built site at http://127.0.0.1:8000/ and rebuild when sources change.

Both languages are separate MkDocs sites in one tree (site/ and site/zh/), which
`mkdocs serve` cannot serve together; this small server can, with the MIME types
Pyodide needs (.mjs, .wasm).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

from opsnotes_site import build, paths

WATCHED = [paths.DOCS, paths.SNIPPETS, paths.ROOT / "src", paths.CONFIGS["en"], paths.CONFIGS["zh"]]


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript",
                      ".wasm": "application/wasm", ".json": "application/json"}

    def log_message(self, format, *args):  # noqa: A002 - keep the terminal for build messages
        pass


def make_server(host: str, port: int, directory: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(Handler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


def snapshot() -> dict[Path, float]:
    files = {}
    for base in WATCHED:
        for p in ([base] if base.is_file() else base.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts:
                files[p] = p.stat().st_mtime
    return files


def watch(interval: float = 1.0) -> None:
    before = snapshot()
    while True:
        time.sleep(interval)
        now = snapshot()
        if now == before:
            continue
        changed = {p for p in set(now) | set(before) if now.get(p) != before.get(p)}
        src_changed = any(p.is_relative_to(paths.ROOT / "src" / "opsnotes") for p in changed)
        try:
            if src_changed:  # the browser runs the wheel, so rebuild it first
                subprocess.run(["make", "-s", "wheel"], cwd=paths.ROOT, check=True)
            build.build(strict=False)
            print("rebuilt", flush=True)
        except (subprocess.CalledProcessError, SystemExit) as err:
            print(f"rebuild failed: {err}", file=sys.stderr, flush=True)
        before = snapshot()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-watch", action="store_true")
    args = parser.parse_args()
    server = make_server(args.host, args.port, paths.SITE)
    if not args.no_watch:
        threading.Thread(target=watch, daemon=True).start()
    print(f"Serving both languages at http://{args.host}:{args.port}/ (中文: /zh/). Ctrl-C stops.",
          flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
