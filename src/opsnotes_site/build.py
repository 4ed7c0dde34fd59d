"""Build the whole published tree: both language sites, Pyodide and the browser wheel.

    site/            English site (mkdocs.yml)
    site/zh/         Chinese site (mkdocs.zh.yml)
    site/pyodide/    the pinned npm package's runtime files, shared by both; its standard
                     library trimmed to what the calculators import (opsnotes_site.stdlib)
    site/wheels/H/   opsnotes-*.whl built from src/, under its content hash H, and
                     integrity.json: the hash of every file the worker loads (integrity.py)

Run: python -m opsnotes_site.build [--no-strict]   (prints seconds per step)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time

from opsnotes_site import csp, integrity, notebooks, paths, stdlib


def build(strict: bool = True, langs: tuple[str, ...] = paths.LANGS) -> dict[str, float]:
    notebooks.check_or_write(write=True)
    timings: dict[str, float] = {}
    if paths.LANGS[0] in langs:  # its build empties the whole tree, the others' with it
        langs = paths.LANGS
    for lang in langs:
        started = time.perf_counter()
        cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(paths.CONFIGS[lang])]
        if strict:
            cmd.append("--strict")
        subprocess.run(cmd, cwd=paths.ROOT, check=True)
        timings[lang] = time.perf_counter() - started
    publish_runtime()
    csp.apply(paths.SITE)
    return timings


def publish_runtime() -> None:
    target = paths.SITE / "pyodide"
    target.mkdir(parents=True, exist_ok=True)
    for name in paths.PYODIDE_FILES:
        source = paths.NODE_MODULES / "pyodide" / name
        if not source.exists():
            raise SystemExit(f"{source} is missing: run `npm ci` (make does it for you)")
        shutil.copy2(source, target / name)
    stdlib.publish(target)  # replaces python_stdlib.zip with what the calculators import
    wheel = paths.wheel()
    wheel_dir = paths.SITE / "wheels" / stdlib.runtime_digest(wheel)
    wheel_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(wheel, wheel_dir / wheel.name)
    # every file the worker loads, as published (the trimmed library, not the npm one)
    runtime = [target / name for name in (*paths.PYODIDE_FILES, stdlib.FULL_NAME)]
    integrity.write(wheel_dir, [*runtime, wheel_dir / wheel.name])
    (paths.SITE / ".nojekyll").touch()  # GitHub Pages: publish files as they are


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-strict", action="store_true")
    args = parser.parse_args()
    timings = build(strict=not args.no_strict)
    print("built " + ", ".join(f"{lang} in {s:.1f} s" for lang, s in timings.items())
          + f" -> {paths.SITE}")


if __name__ == "__main__":
    main()
