"""Serve the built site at http://127.0.0.1:8000/ and rebuild when sources change.

Both languages are separate MkDocs sites in one tree (site/ and site/zh/), which
`mkdocs serve` cannot serve together; this small server can, with the MIME types
Pyodide needs (.mjs, .wasm). While watching, a change to one language's pages rebuilds only
that language (the first language's build empties the whole tree, so it rebuilds all), and
every open page reloads itself after a rebuild: the server adds a small script to the HTML it
sends (never to the files on disk) that asks for the build number.

It answers as GitHub Pages does, so that byte counts and cache behaviour measured against it
(the bench, the browser tests) are what readers get: text, JavaScript, JSON and WebAssembly
gzipped when the browser accepts it, an ETag and Last-Modified with 304 answers, and
`Cache-Control: max-age=600` (the developer's watching server revalidates every time instead),
and the site's 404.html for any path that is not there.
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import gzip
import hashlib
import http.server
import io
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from opsnotes_site import build, paths

WATCHED = [paths.DOCS, paths.SNIPPETS, paths.ROOT / "src", paths.CONFIGS["en"], paths.CONFIGS["zh"]]


BUILD = {"number": 0}
BUILD_PATH = "/__opsnotes_build__"
RELOAD = ("<script>(()=>{let seen;setInterval(async()=>{try{const n=await (await fetch("
          f"'{BUILD_PATH}',{{cache:'no-store'}})).text();if(seen!==undefined&&n!==seen)location.reload();"
          "seen=n}catch(e){}},1500)})()</script>")


# What Pages compresses: text formats and WebAssembly, not images or zip archives that are
# compressed already.
COMPRESSED = ("text/", "application/javascript", "application/json", "application/wasm",
              "image/svg+xml", "application/xml")
PAGES_CACHE = "max-age=600"


@functools.lru_cache(maxsize=256)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    # mtime in the key: a rebuilt file is compressed again
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class Handler(http.server.SimpleHTTPRequestHandler):
    reload = False  # set by `main` when watching: only the developer's server reloads pages

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.reload and self.path == BUILD_PATH:
            return self._send(str(BUILD["number"]).encode(), "text/plain")
        if self.reload and (self.path.endswith("/") or self.path.split("?")[0].endswith(".html")):
            target = Path(self.translate_path(self.path))
            target = target / "index.html" if target.is_dir() else target
            if target.is_file():
                body = target.read_bytes().replace(b"</body>", RELOAD.encode() + b"</body>", 1)
                return self._send(body, "text/html; charset=utf-8")
        return super().do_GET()

    def send_head(self):
        """Files as Pages sends them; directories without index.html and misses as before."""
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the slash
            target = target / "index.html"
        status = 200
        if not target.is_file():
            # Pages answers any miss with the site's own 404.html (the root one, for every
            # language), status 404.
            target = Path(self.directory) / "404.html"
            if not target.is_file():
                return super().send_head()
            status = 404
        stat = target.stat()
        kind = self.guess_type(str(target))
        digest = hashlib.sha1(f"{stat.st_mtime_ns}-{stat.st_size}".encode()).hexdigest()[:16]
        etag = f'"{digest}"'
        zipped = kind.startswith(COMPRESSED) and "gzip" in self.headers.get("Accept-Encoding", "")
        if zipped:
            etag = etag[:-1] + '-gz"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self._cache_headers(etag, stat.st_mtime)
            self.end_headers()
            return None
        body = _gzipped(str(target), stat.st_mtime_ns) if zipped else target.read_bytes()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self._cache_headers(etag, stat.st_mtime)
        self.end_headers()
        return io.BytesIO(body)

    def _cache_headers(self, etag: str, mtime: float) -> None:
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(mtime, usegmt=True))
        self.send_header("Cache-Control", "no-cache" if self.reload else PAGES_CACHE)

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

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


def languages_to_rebuild(changed: set[Path]) -> tuple[str, ...]:
    """Only one language's pages changed: rebuild that language; anything shared: all."""
    own = set()
    for p in changed:
        lang = next((lang for lang in paths.LANGS if p.is_relative_to(paths.DOCS / lang)), None)
        if lang is None:
            return paths.LANGS
        own.add(lang)
    return tuple(lang for lang in paths.LANGS if lang in own)


def watch(interval: float = 1.0) -> None:
    before = snapshot()
    while True:
        time.sleep(interval)
        now = snapshot()
        if now == before:
            continue
        changed = {p for p in set(now) | set(before) if now.get(p) != before.get(p)}
        src_changed = any(p.is_relative_to(paths.ROOT / "src" / "opsnotes") for p in changed)
        langs = languages_to_rebuild(changed)
        try:
            if src_changed:  # the browser runs the wheel, so rebuild it first
                subprocess.run(["make", "-s", "wheel"], cwd=paths.ROOT, check=True)
            build.build(strict=False, langs=langs)
            BUILD["number"] += 1
            print("rebuilt " + ", ".join(langs), flush=True)
        except (subprocess.CalledProcessError, SystemExit) as err:
            print(f"rebuild failed: {err}", file=sys.stderr, flush=True)
        before = snapshot()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    built_for = urlparse(paths.site_url())  # instant navigation needs the address it was built for
    parser.add_argument("--host", default=built_for.hostname)
    parser.add_argument("--port", type=int, default=built_for.port or 80)
    parser.add_argument("--no-watch", action="store_true")
    args = parser.parse_args()
    server = make_server(args.host, args.port, paths.SITE)
    Handler.reload = not args.no_watch
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
