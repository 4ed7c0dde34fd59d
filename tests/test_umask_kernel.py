"""The umask model against the running kernel: every umask, special bits, setgid dirs, ACLs."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsnotes import umask as model
from tests.conftest import require_root, require_tool

pytestmark = [pytest.mark.real, pytest.mark.kernel]

REQUESTED = [0o666, 0o777, 0o644, 0o600, 0o4755, 0o2755, 0o1777, 0o7777, 0o6750, 0o0]


def kernel_mode(directory: Path, umask: int, kind: str, requested: int) -> int:
    """Create one inode under `umask` and return the mode the kernel gave it."""
    path = directory / f"{kind}-{umask:o}-{requested:o}"
    old = os.umask(umask)
    try:
        if kind == "dir":
            os.mkdir(path, requested)
        else:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, requested))
    finally:
        os.umask(old)
    return path.stat().st_mode & 0o7777


@pytest.mark.parametrize("kind", model.KINDS)
def test_every_umask_and_requested_mode(tmp_path: Path, kind: str) -> None:
    mismatches = []
    for umask in range(0o1000):
        for requested in REQUESTED:
            real = kernel_mode(tmp_path, umask, kind, requested)
            creation = model.create(umask, kind, requested)
            predicted = creation.mode
            # The printed steps are true as printed and end in what the kernel gave.
            assert creation.steps[-1].result == predicted
            if real != predicted:
                mismatches.append(f"umask {umask:04o} {kind} {requested:04o}: "
                                  f"kernel {real:04o}, model {predicted:04o}")
    assert not mismatches, "\n".join(mismatches[:20])


@pytest.mark.parametrize("kind", model.KINDS)
def test_setgid_parent(tmp_path: Path, kind: str) -> None:
    parent = tmp_path / "shared"
    parent.mkdir()
    parent.chmod(0o2775)
    for umask in (0o000, 0o002, 0o022, 0o027, 0o077):
        for requested in REQUESTED:
            real = kernel_mode(parent, umask, kind, requested)
            predicted = model.create(umask, kind, requested, parent_setgid=True).mode
            assert real == predicted, f"{kind} {umask:04o} {requested:04o}"


def set_default_acl(directory: Path, spec: str) -> None:
    setfacl = require_tool("setfacl")
    proc = subprocess.run([setfacl, "-d", "-m", spec, str(directory)], capture_output=True,
                          text=True, timeout=10)
    if proc.returncode != 0 and "not supported" in proc.stderr.lower():
        pytest.skip(f"the filesystem under {directory} has no POSIX ACLs: {proc.stderr.strip()}")
    proc.check_returncode()


@pytest.mark.parametrize("spec", [
    "u::7,g::7,o::0",
    "u::rwx,u:0:r,g::r,o::---",
    "u::rwx,g:0:rwx,g::---,o::r",
    "u::rwx,g::rwx,o::---",
    "u::rwx,g::r-x,o::r-x",
    "u::rw-,g::r--,o::---",
    "u::rwx,g::rwx,m::r-x,o::---",
    "u::rwx,g::---,m::rwx,o::rwx",
])
@pytest.mark.parametrize("kind", model.KINDS)
def test_default_acl_overrides_umask(tmp_path: Path, spec: str, kind: str) -> None:
    parent = tmp_path / "acl"
    parent.mkdir()
    set_default_acl(parent, spec)
    acl = model.parse_default_acl(spec)
    for umask in (0o000, 0o022, 0o077, 0o777):
        for requested in REQUESTED:
            real = kernel_mode(parent, umask, kind, requested)
            predicted = model.create(umask, kind, requested, default_acl=acl).mode
            assert real == predicted, f"{spec} {kind} umask {umask:04o} req {requested:04o}"


def test_umask_syscall_keeps_only_rwx_bits() -> None:
    old = os.umask(0o7777)
    try:
        assert os.umask(old) == 0o777  # umask(2): mask & S_IRWXUGO
    finally:
        os.umask(old)


def test_proc_status_shows_umask() -> None:
    proc = subprocess.run(["bash", "-c", "umask 0037; grep Umask /proc/self/status"],
                          capture_output=True, text=True, timeout=10, check=True)
    assert proc.stdout.split() == ["Umask:", "0037"]


ACL_PERMS = st.integers(min_value=0, max_value=7)


@settings(max_examples=40, deadline=None)
@given(st.tuples(ACL_PERMS, ACL_PERMS, ACL_PERMS), st.one_of(st.none(), ACL_PERMS),
       st.lists(st.tuples(st.sampled_from("ug"), ACL_PERMS), max_size=2),
       st.sampled_from(model.KINDS), st.sampled_from([0o666, 0o777, 0o7777, 0o640, 0o2750]))
def test_generated_default_acls_against_the_kernel(objs, mask, named, kind, requested) -> None:
    """setfacl sets a generated default ACL; the kernel creates; the model must agree."""
    entries = [f"u::{objs[0]}", f"g::{objs[1]}", f"o::{objs[2]}"]
    entries += [f"{tag}:{1000 + i}:{bits}" for i, (tag, bits) in enumerate(named)]
    if mask is not None:
        entries.append(f"m::{mask}")
    spec = ",".join(entries)
    with tempfile.TemporaryDirectory(dir="/var/tmp") as d:
        parent = Path(d) / "acl"
        parent.mkdir()
        set_default_acl(parent, spec)
        acl = model.parse_default_acl(spec)
        for umask in (0o000, 0o077):
            real = kernel_mode(parent, umask, kind, requested)
            c = model.create(umask, kind, requested, default_acl=acl)
            assert real == c.mode, f"{spec} {kind} umask {umask:04o} req {requested:04o}: {c.equation}"


# --- other inode kinds: sockets, FIFOs, device-less nodes, POSIX shared memory, symlinks ------

def _make_special(directory: Path, umask: int) -> dict[str, int]:
    """Create one of each kind under umask and return their permission bits."""
    old = os.umask(umask)
    try:
        sock = socket.socket(socket.AF_UNIX)
        try:
            sock.bind(str(directory / "sock"))  # unix_bind: S_IFSOCK | (0777 & ~umask)
        finally:
            sock.close()
        os.mkfifo(directory / "fifo", 0o666)
        os.mknod(directory / "node", stat.S_IFREG | 0o666)
        os.symlink("target", directory / "link")
        name = f"/opsnotes-{os.getpid()}-{umask:o}"
        import _posixshmem

        fd = _posixshmem.shm_open(name, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o666)
        try:
            shm = os.fstat(fd).st_mode & 0o7777
        finally:
            os.close(fd)
            _posixshmem.shm_unlink(name)
    finally:
        os.umask(old)
    modes = {n: os.stat(directory / n).st_mode & 0o7777 for n in ("sock", "fifo", "node")}
    modes["link"] = os.lstat(directory / "link").st_mode & 0o7777
    modes["shm"] = shm
    return modes


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o027, 0o077, 0o777])
def test_sockets_fifos_and_shm_follow_the_umask_symlinks_do_not(tmp_path: Path, umask: int) -> None:
    modes = _make_special(tmp_path, umask)
    assert modes["sock"] == 0o777 & ~umask  # a socket inode starts as 0777
    assert modes["fifo"] == 0o666 & ~umask
    assert modes["node"] == 0o666 & ~umask
    assert modes["shm"] == 0o666 & ~umask  # shm_open() is open(O_CREAT) in /dev/shm
    assert modes["link"] == 0o777  # symlinks are always 0777; their mode is never used


def test_socket_gets_umask_and_default_acl(tmp_path: Path) -> None:
    """af_unix applies the umask itself before the VFS applies the default ACL: both count."""
    parent = tmp_path / "acl"
    parent.mkdir()
    set_default_acl(parent, "u::rwx,g::rwx,o::---")
    modes = _make_special(parent, 0o077)
    assert modes["fifo"] == 0o660  # the ACL replaced the umask
    assert modes["sock"] == 0o700  # 0777 & ~0077, then limited by the ACL


# --- one umask per process, shared by its threads ---------------------------------------

def _status_umask(path: str) -> str:
    with open(path) as f:
        return next(line.split()[1] for line in f if line.startswith("Umask:"))


def test_threads_share_one_umask(tmp_path: Path) -> None:
    """umask lives in fs_struct, which threads share (CLONE_FS): a change in one shows in all."""
    old = os.umask(0o022)
    try:
        changed, checked = threading.Event(), threading.Event()
        seen = {}

        def worker() -> None:
            os.umask(0o077)
            changed.set()
            checked.wait(10)
            seen["tid"] = threading.get_native_id()

        t = threading.Thread(target=worker)
        t.start()
        changed.wait(10)
        # The main thread did not call umask, yet its file gets the worker's mask.
        path = tmp_path / "f"
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o666))
        assert path.stat().st_mode & 0o777 == 0o600
        assert _status_umask("/proc/self/status") == "0077"
        checked.set()
        t.join()
    finally:
        os.umask(old)


def test_a_thread_that_unshares_clone_fs_gets_its_own_umask(tmp_path: Path) -> None:
    """unshare(CLONE_FS) gives the calling thread a private copy of fs_struct: its umask
    changes stop reaching the rest of the process (and /proc/PID/status, the main thread's)."""
    import ctypes

    clone_fs = 0x00000200  # include/uapi/linux/sched.h
    libc = ctypes.CDLL(None, use_errno=True)
    old = os.umask(0o022)
    try:
        seen = {}

        def worker() -> None:
            seen["unshare"] = libc.unshare(clone_fs)
            os.umask(0o077)
            seen["own"] = _status_umask(f"/proc/self/task/{threading.get_native_id()}/status")

        t = threading.Thread(target=worker)
        t.start()
        t.join(10)
        assert seen == {"unshare": 0, "own": "0077"}
        path = tmp_path / "f"
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o666))
        assert path.stat().st_mode & 0o777 == 0o644
        assert _status_umask("/proc/self/status") == "0022"
    finally:
        os.umask(old)


def test_umask_round_trip_race_makes_a_world_writable_file(tmp_path: Path) -> None:
    """Reading the umask with os.umask(0) then os.umask(old) briefly sets 0 for every thread."""
    old = os.umask(0o022)
    try:
        inside, created = threading.Event(), threading.Event()

        def reader() -> None:
            saved = os.umask(0)  # the usual "read" idiom: set 0 ...
            inside.set()
            created.wait(10)
            os.umask(saved)  # ... and put it back

        t = threading.Thread(target=reader)
        t.start()
        inside.wait(10)
        path = tmp_path / "f"
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o666))  # another thread, in the window
        created.set()
        t.join()
        assert path.stat().st_mode & 0o777 == 0o666
        # /proc/self/status reads it without changing it (Linux 4.7 and later).
        assert _status_umask(f"/proc/self/task/{threading.get_native_id()}/status") == "0022"
    finally:
        os.umask(old)


# --- setgid files created by a non-member ------------------------------------------------

def _nonmember_create(directory: Path, umask: int, requested: int) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setresgid(65534, 65534, 65534)
            os.setresuid(65534, 65534, 65534)
            os.umask(umask)
            os.close(os.open(directory / f"n-{umask:o}-{requested:o}", os.O_CREAT | os.O_WRONLY,
                             requested))
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    return os.stat(directory / f"n-{umask:o}-{requested:o}").st_mode & 0o7777


def test_nonmember_setgid_strip_uses_the_requested_mode() -> None:
    """Since Linux 6.0 mode_strip_sgid() runs before the umask, on the requested mode.

    So group execute in the *request* decides, even when the umask then removes it.
    """
    require_root("only root can switch to uid 65534, the non-member creator")
    release = tuple(int(x) for x in os.uname().release.split(".")[:2])
    assert release >= (6, 0), "this test states the 6.0+ rule; older kernels check after the umask"
    import tempfile

    with tempfile.TemporaryDirectory() as name:  # /tmp: uid 65534 can reach it
        d = Path(name)
        d.chmod(0o2777)
        assert _nonmember_create(d, 0o000, 0o2777) == 0o0777  # g+x requested: setgid stripped
        assert _nonmember_create(d, 0o000, 0o2666) == 0o2666  # no g+x: kept
        assert _nonmember_create(d, 0o010, 0o2777) == 0o0767  # g+x requested, then masked
