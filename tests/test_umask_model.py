"""The umask model: parsing checked against real bash, arithmetic against known cases."""

from __future__ import annotations

import subprocess

import pytest

from opsnotes import mode as m
from opsnotes import umask as model
from opsnotes.errors import OpsnotesError


def bash_umask(text: str, start: str = "022") -> str | None:
    """What bash makes of `umask TEXT` (starting from START), or None if it refuses."""
    script = f'umask {start}; umask "$1" 2>/dev/null || exit 3; umask'
    proc = subprocess.run(["bash", "-c", script, "bash", text], capture_output=True, text=True,
                          timeout=10)
    return proc.stdout.strip() if proc.returncode == 0 else None


BASH_CASES = [
    "0", "2", "22", "022", "0022", "00000022", "027", "077", "777", "0777", "1777", "07777",
    "8", "08", "0o22", "22222", "1a",
    "u=rwx,g=rx,o=", "u=rwx,g=rx,o=rx", "g-w", "o+r", "a=rx", "=rx", "+w", "-w", "go-rwx",
    "ug=rw", "u=r,u+w", "uu=r", "aug=r", "u=rr", "u+", "u-", "u=", "a=", "o=rwx", "g+w,o-rwx",
    "u=rwxs", "u=rwX", "u=r+w", "ug+rw-x", "U=r", "x=r", "u", "u=rwx,,g=", "u=rw,g=r,o=r,",
    ",u=r", "g=t",
]


@pytest.mark.real
@pytest.mark.parametrize("start", ["022", "077", "000"])
@pytest.mark.parametrize("text", BASH_CASES)
def test_parse_agrees_with_bash(text: str, start: str) -> None:
    expected = bash_umask(text, start)
    try:
        got = model.parse_umask(text, current=int(start, 8)).octal
    except OpsnotesError:
        got = None
    assert got == expected, f"umask {text!r} from {start}: bash {expected}, model {got}"


@pytest.mark.real
def test_umask_dash_S_matches_bash() -> None:
    for value in range(0o1000):
        if value % 7:  # a spread of masks, without running bash 512 times
            continue
        out = subprocess.run(["bash", "-c", f"umask {value:o}; umask -S"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
        assert model.Umask(value).symbolic == out


def test_high_bits_are_accepted_and_ignored_like_bash() -> None:
    u = model.parse_umask("1777")
    assert u.value == 0o777 and u.notes == ("umask_high_bits_ignored",)


@pytest.mark.parametrize("value, key", [
    ("", "empty"), ("   ", "empty"), ("8", "not_octal_digit"), ("0x1", "not_octal_digit"),
    ("22222", "umask_out_of_range"), ("u=rwxs", "symbolic_bad_permission"),
    ("x=r", "symbolic_bad_operator"), ("u", "symbolic_missing_operator"),
    ("u=r,", "symbolic_missing_operator"), (None, "wrong_type"), (22.0, "wrong_type"),
    (True, "wrong_type"), (-1, "umask_out_of_range"), (0o1000, "umask_out_of_range"),
])
def test_bad_umask_raises_typed_error_in_both_languages(value, key) -> None:
    with pytest.raises(OpsnotesError) as info:
        model.parse_umask(value)
    assert info.value.key == key
    en, zh = info.value.message("en"), info.value.message("zh")
    assert en and zh and en != zh


@pytest.mark.parametrize("umask, kind, requested, expected", [
    (0o022, "file", None, 0o644),
    (0o022, "dir", None, 0o755),
    (0o027, "file", None, 0o640),
    (0o027, "dir", None, 0o750),
    (0o077, "file", None, 0o600),
    (0o002, "dir", None, 0o775),
    (0o033, "file", None, 0o644),  # not 0633: AND NOT, not subtraction
    (0o022, "file", 0o7777, 0o7755),  # open() keeps setuid, setgid, sticky
    (0o022, "dir", 0o7777, 0o1755),  # mkdir() drops setuid and setgid, keeps sticky
    (0o000, "file", 0o4755, 0o4755),
])
def test_create(umask, kind, requested, expected) -> None:
    assert model.create(umask, kind, requested).mode == expected


def test_setgid_parent_makes_new_dirs_setgid_not_files() -> None:
    assert model.create(0o022, "dir", parent_setgid=True).mode == 0o2755
    assert model.create(0o022, "dir", parent_setgid=True).inherited_setgid
    assert model.create(0o022, "file", parent_setgid=True).mode == 0o644


def test_default_acl_replaces_umask() -> None:
    acl = model.parse_default_acl("u::rwx,g::rwx,o::---")
    c = model.create(0o077, "file", default_acl=acl)
    assert c.mode == 0o660 and c.removed_by_umask == 0 and c.removed_by_acl == 0o006
    with_mask = model.parse_default_acl("u::rwx,g::rwx,m::r-x,o::r-x")
    assert model.create(0o077, "dir", default_acl=with_mask).mode == 0o755


@pytest.mark.parametrize("text, key", [
    ("u::rwx", "acl_missing_entry"), (" u::rwx,g::r,o::-", "acl_bad_entry"),
    ("u::rwq,g::r,o::-", "acl_bad_permission"), ("x::r", "acl_bad_entry"), ("u:rwx", "acl_bad_entry"),
])
def test_bad_default_acl(text, key) -> None:
    with pytest.raises(OpsnotesError) as info:
        model.parse_default_acl(text)
    assert info.value.key == key


def test_subtraction_is_reported_only_when_it_differs() -> None:
    assert model.create(0o022, "file").subtraction is None  # 0666 - 0022 happens to agree
    assert model.create(0o033, "file").subtraction == 0o633
    assert model.create(0o027, "file").subtraction == -1  # 6 - 7 is not a digit


@pytest.mark.parametrize("mode, kind, ls", [
    (0o644, "file", "-rw-r--r--"), (0o4755, "file", "-rwsr-xr-x"), (0o4644, "file", "-rwSr--r--"),
    (0o2775, "dir", "drwxrwsr-x"), (0o1777, "dir", "drwxrwxrwt"), (0o1776, "dir", "drwxrwxrwT"),
])
def test_ls_l(mode, kind, ls) -> None:
    assert m.ls_l(mode, kind) == ls


@pytest.mark.real
def test_symbolic_round_trips_through_chmod(tmp_path) -> None:
    target = tmp_path / "f"
    target.touch()
    for value in range(0, 0o10000, 0o123):
        subprocess.run(["chmod", m.symbolic(value), str(target)], check=True, timeout=10)
        assert target.stat().st_mode & 0o7777 == value, m.symbolic(value)
