"""The trimmed standard library the site publishes is enough, and the fallback works.

Pyodide runs under Node.js here (the pinned npm package) with only the trimmed library, so a
module the calculators need and the trace missed fails the test instead of a reader's call."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile

import pytest
from playwright.sync_api import expect

from opsnotes.calculators import REGISTRY
from opsnotes.i18n import LANGS
from opsnotes_site import integrity, paths, stdlib

pytestmark = pytest.mark.real  # starts Pyodide (about 10 s under Node.js)


@pytest.fixture(scope="module")
def trimmed_zip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stdlib")
    stdlib.publish(folder)
    return folder / "python_stdlib.zip"


def test_trimmed_library_is_a_fraction_of_the_full_one(trimmed_zip) -> None:
    with zipfile.ZipFile(trimmed_zip) as small, zipfile.ZipFile(stdlib.FULL) as full:
        assert 50 < len(small.namelist()) < len(full.namelist()) / 2
        # what Pyodide needs to start, and what the models use, is in
        for name in ("_pyodide/__init__.py", "pyodide/__init__.py", "json/__init__.py",
                     "dataclasses.py", "encodings/__init__.py"):
            assert name in small.namelist()
        assert "tkinter/__init__.py" not in small.namelist()


def test_every_example_answers_the_same_in_pyodide_with_the_trimmed_library(trimmed_zip) -> None:
    """The same script, run by CPython here and by Pyodide with only the trimmed library."""
    script = paths.ROOT / "src/opsnotes_site/stdlib_examples.py"
    answers = json.loads(stdlib.run_in_pyodide(script, stdlib=trimmed_zip).strip().splitlines()[-1])
    here = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(paths.ROOT / "src")}, timeout=120)
    expected = json.loads(here.stdout.strip().splitlines()[-1])
    assert len(expected) >= sum(len(REGISTRY[n].examples) for n in REGISTRY) * len(LANGS)
    assert answers.keys() == expected.keys()
    differ = [k for k in expected if answers[k] != expected[k]]
    assert not differ, f"Pyodide and CPython disagree on {differ[:5]}"


@pytest.mark.browser
@pytest.mark.site
def test_worker_adds_the_full_library_when_a_module_is_missing(served_site, browser) -> None:
    """Serve a library without html/ (the result builder escapes with it): the calculator
    must still answer, after fetching python_stdlib.full.zip.

    The build that published such a library would list its hash in integrity.json, so the
    manifest is served with that hash: otherwise the worker rightly refuses the altered zip and
    the fallback is never reached."""
    published = paths.SITE / "pyodide" / "python_stdlib.zip"
    broken = io.BytesIO()
    with zipfile.ZipFile(published) as small, zipfile.ZipFile(broken, "w") as out:
        for name in small.namelist():
            if not name.startswith("html/"):
                out.writestr(name, small.read(name))
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    fetched = []
    ctx.on("request", lambda r: fetched.append(r.url))
    ctx.route("**/pyodide/python_stdlib.zip",
              lambda route: route.fulfill(body=broken.getvalue(), content_type="application/zip"))

    def manifest_of_that_build(route) -> None:
        listed = json.loads(route.fetch().body())
        assert "python_stdlib.zip" in listed, listed
        listed["python_stdlib.zip"] = integrity.sri(broken.getvalue())
        route.fulfill(body=json.dumps(listed), content_type="application/json")

    ctx.route(f"**/{integrity.NAME}", manifest_of_that_build)
    page = ctx.new_page()
    page.goto(served_site + "umask/")
    page.fill("#calc-umask-umask", "027")
    expect(page.locator(".opsnotes-calc__headline")).to_contain_text("0640", timeout=90_000)
    assert any(u.endswith("/pyodide/python_stdlib.full.zip") for u in fetched), fetched
    ctx.close()
