"""`make test` as a normal user: a missing Debian package stops it with the exact command."""

from __future__ import annotations

from opsnotes_site import sysdeps, topics


def test_non_root_gets_the_install_command(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sysdeps, "needed", lambda: {"chromium": "/nonexistent/chromium", "acl": "sh"})
    monkeypatch.setattr(sysdeps.os, "geteuid", lambda: 1000)
    assert sysdeps.main() == 1
    err = capsys.readouterr().err
    assert "sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium\n" in err


def test_nothing_missing_is_silent(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sysdeps, "needed", lambda: {"coreutils": "sh"})
    assert sysdeps.main() == 0
    assert capsys.readouterr() == ("", "")


def test_topics_declare_their_packages() -> None:
    needed = sysdeps.needed()
    assert {"logrotate", "pcs", "acl", "linux-image-amd64"} <= set(needed)
    assert set(topics.packages()) <= set(needed)
