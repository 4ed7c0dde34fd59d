"""The hashes the calculators' worker checks every runtime file against before the first answer.

The build writes them to ``integrity.json`` in the wheel's folder, whose name is already a hash
of everything the worker loads (stdlib.runtime_digest): a page never meets the manifest of
another build. The Pyodide folder itself is not versioned, so a browser or proxy that keeps an
older ``pyodide.asm.wasm`` after a deploy, or a download cut short, would otherwise start a
mixture that fails in ways no reader can act on, or answers from files nobody tested.

The format is Subresource Integrity's (``sha256-`` and base64), the one ``fetch(url,
{integrity})`` and ``<script integrity>`` use.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

NAME = "integrity.json"


def sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def manifest(files: list[Path]) -> dict[str, str]:
    """File name -> its hash. Names, not paths: the worker knows each file's folder."""
    names = [f.name for f in files]
    if len(set(names)) != len(names):
        raise ValueError(f"two runtime files share a name: {sorted(names)}")
    return {f.name: sri(f.read_bytes()) for f in sorted(files)}


def write(folder: Path, files: list[Path]) -> Path:
    target = folder / NAME
    target.write_text(json.dumps(manifest(files), indent=1, sort_keys=True) + "\n")
    return target
