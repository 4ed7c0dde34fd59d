"""Shared fixtures: the repository paths and helpers for tests that need a tool."""

from __future__ import annotations

import os
import shutil

import pytest

from opsnotes_site import paths

ROOT = paths.ROOT


def require_root(reason: str) -> None:
    if os.geteuid() != 0:
        pytest.skip(f"needs root: {reason}")


def require_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        # `make test` installs every tool the tests need (opsnotes_site.sysdeps);
        # reaching this means the tests were started some other way.
        pytest.fail(f"{name} is not installed; run `make test`, which installs it")
    return found
