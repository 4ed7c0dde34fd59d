"""The local server answers as GitHub Pages does, so byte counts measured against it are real."""

from __future__ import annotations

import gzip
import threading
import urllib.request
from pathlib import Path

import pytest

from opsnotes_site import serve


@pytest.fixture
def site(tmp_path: Path):
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<html><body>" + "x" * 4000 + "</body></html>")
    (tmp_path / "a.wasm").write_bytes(b"\0asm" + b"\0" * 4000)
    (tmp_path / "img.png").write_bytes(b"\x89PNG" + b"\0" * 4000)
    server = serve.make_server("127.0.0.1", 0, tmp_path)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_text_and_wasm_are_gzipped_when_accepted(site: str) -> None:
    for path, start in (("/page/", b"<html>"), ("/a.wasm", b"\0asm")):
        status, headers, body = get(site + path, **{"Accept-Encoding": "gzip, br"})
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert int(headers["Content-Length"]) == len(body) < 1000
        assert gzip.decompress(body).startswith(start)
        status, headers, body = get(site + path)
        assert status == 200 and "Content-Encoding" not in headers and body.startswith(start)


def test_images_are_sent_as_they_are(site: str) -> None:
    status, headers, body = get(site + "/img.png", **{"Accept-Encoding": "gzip"})
    assert status == 200 and "Content-Encoding" not in headers and len(body) == 4004


def test_cache_headers_and_revalidation_like_pages(site: str) -> None:
    status, headers, _ = get(site + "/page/", **{"Accept-Encoding": "gzip"})
    assert headers["Cache-Control"] == "max-age=600" and headers["Last-Modified"]
    status, _, body = get(site + "/page/", **{"Accept-Encoding": "gzip", "If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    # the identity and the gzipped body are different representations
    status, _, _ = get(site + "/page/", **{"If-None-Match": headers["ETag"]})
    assert status == 200


def test_misses_and_directory_redirects_still_work(site: str) -> None:
    assert get(site + "/nope.html")[0] == 404
    request = urllib.request.Request(site + "/page")
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a, **k: None}))
    with pytest.raises(urllib.error.HTTPError) as error:
        opener.open(request, timeout=10)
    assert error.value.code == 301 and error.value.headers["Location"] == "/page/"


def test_a_miss_gets_the_sites_own_404_page(site: str, tmp_path: Path) -> None:
    (tmp_path / "404.html").write_text("<html><body>not here</body></html>")
    for path in ("/nope.html", "/zh/nope/", "/deep/er/"):
        status, headers, body = get(site + path)
        assert status == 404 and b"not here" in body and headers["Content-Type"].startswith("text/html")
