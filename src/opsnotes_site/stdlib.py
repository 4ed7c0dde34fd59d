"""The standard library the calculators need, and nothing else: Pyodide's python_stdlib.zip
is 2.5 MB gzipped, of which the models and Pyodide's own start-up import about a third.

At build time Pyodide runs under Node.js (pyodide_node.mjs) with the full library and the
site's wheel, drives every calculator over its examples and over bad input for every field
(stdlib_trace.py), and lists the files Python imported. The site publishes those files as
`pyodide/python_stdlib.zip`, where loadPyodide() looks for its library, and the full zip
beside it as `python_stdlib.full.zip`: should a path the trace missed import something else,
the worker adds the full library and runs the call again (worker.js), so a reader gets a
slower answer, never a wrong one. The trace is cached under the hashes of its inputs.

Run: python -m opsnotes_site.stdlib   (prints the sizes)
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import subprocess
import zipfile
from pathlib import Path

from opsnotes_site import paths

HERE = Path(__file__).parent
FULL = paths.NODE_MODULES / "pyodide" / "python_stdlib.zip"
ZIP_PREFIX = "/lib/python314.zip/"  # where Pyodide mounts the library
CACHE = paths.ROOT / ".cache" / "stdlib"
FULL_NAME = "python_stdlib.full.zip"


def _key(wheel: Path) -> str:
    digest = hashlib.sha256()
    for part in (FULL, wheel, HERE / "stdlib_trace.py", HERE / "pyodide_node.mjs"):
        digest.update(part.read_bytes())
    return digest.hexdigest()[:16]


def runtime_digest(wheel: Path) -> str:
    """The published wheel's folder name: a hash of everything the browser's memory snapshot
    of Python depends on (worker.js): the wheel, the Pyodide files, and what decides the
    trimmed standard library. A change to any of them gives a new URL, so a new snapshot."""
    digest = hashlib.sha256(wheel.read_bytes())
    for name in paths.PYODIDE_FILES:
        digest.update((paths.NODE_MODULES / "pyodide" / name).read_bytes())
    digest.update(_key(wheel).encode())
    return digest.hexdigest()[:12]


def run_in_pyodide(script: Path, stdlib: Path = FULL, wheel: Path | None = None,
                   timeout: float = 300) -> str:
    """What `script` prints when Pyodide runs it under Node.js with the site's wheel."""
    proc = subprocess.run(
        ["node", str(HERE / "pyodide_node.mjs"), str(paths.NODE_MODULES / "pyodide") + "/",
         str(stdlib), str(wheel or paths.wheel()), str(script)],
        capture_output=True, text=True, timeout=timeout)
    if proc.returncode:
        raise RuntimeError(f"Pyodide under Node.js failed:\n{proc.stderr[-3000:]}")
    return proc.stdout


def imported(wheel: Path | None = None) -> list[str]:
    """Files of the standard library the trace imported, as paths inside the zip."""
    wheel = wheel or paths.wheel()
    cached = CACHE / f"{_key(wheel)}.json"
    if cached.exists():
        return json.loads(cached.read_text())
    out = json.loads(run_in_pyodide(HERE / "stdlib_trace.py", wheel=wheel).strip().splitlines()[-1])
    files = sorted(f.removeprefix(ZIP_PREFIX) for f in out["files"] if f.startswith(ZIP_PREFIX))
    if not files:
        raise RuntimeError("the trace imported nothing from the standard library: "
                           f"has Pyodide moved it from {ZIP_PREFIX}?")
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(files))
    return files


def trimmed(files: list[str]) -> bytes:
    with zipfile.ZipFile(FULL) as full:
        names = set(full.namelist())
        missing = [f for f in files if f not in names]
        if missing:
            raise RuntimeError(f"not in {FULL.name}: {missing[:5]}")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for name in files:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # reproducible
                out.writestr(info, full.read(name), compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def publish(target: Path, wheel: Path | None = None) -> dict[str, int]:
    """Write the trimmed library as python_stdlib.zip and the full one beside it."""
    files = imported(wheel)
    data = trimmed(files)
    (target / "python_stdlib.zip").write_bytes(data)
    (target / FULL_NAME).write_bytes(FULL.read_bytes())
    return {"files": len(files), "bytes": len(data),
            "gzip_bytes": len(gzip.compress(data)),
            "full_gzip_bytes": len(gzip.compress(FULL.read_bytes()))}


def main() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        sizes = publish(Path(tmp))
    print(f"{sizes['files']} files, {sizes['bytes'] / 1e6:.2f} MB, "
          f"{sizes['gzip_bytes'] / 1e6:.2f} MB gzipped (full library: "
          f"{sizes['full_gzip_bytes'] / 1e6:.2f} MB gzipped)")


if __name__ == "__main__":
    main()
