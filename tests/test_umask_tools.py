"""What real tools request, and where sessions and jobs get their umask, measured on this machine.

Each test runs the Debian tool the page names (GNU ld via gcc, cp, tar, unzip, OpenSSH's
sftp-server, bash's startup files, Linux-PAM with cron's and systemd's configuration) and
asserts what the page says it does; strace shows the mode a tool passes to open(2).
"""

from __future__ import annotations

import os
import re
import runpy
import subprocess
import tempfile
from pathlib import Path

import pytest

from opsnotes import umask as model
from opsnotes_site import paths
from tests.conftest import require_root, require_tool

pytestmark = pytest.mark.real
SNIPPETS = paths.SNIPPETS / "umask"


def run(cmd: str, cwd: Path, umask: str = "0022", **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", f"umask {umask} && {cmd}"], cwd=cwd, capture_output=True,
                          text=True, timeout=60, check=True, **kw)


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o7777


def opens(trace: str, name: str) -> list[str]:
    return re.findall(rf'open(?:at)?\(AT_FDCWD, "{re.escape(name)}", [^)]*O_CREAT[^)]*, (0\d+)\)', trace)


@pytest.mark.tools("gcc", "binutils", "strace")
def test_ld_opens_0666_then_chmods_execute_bits_the_umask_allows(tmp_path: Path) -> None:
    require_tool("gcc")
    (tmp_path / "h.c").write_text("int main(void) { return 0; }\n")
    run("gcc -c h.c -o h.o", tmp_path)
    trace = tmp_path / "trace"
    run(f"strace -f -o {trace} -e trace=openat,chmod gcc -o prog h.o", tmp_path, "0000")
    text = trace.read_text()
    assert opens(text, "prog") == ["0666"]
    assert re.search(r'chmod\("prog", 0777\)', text)
    for umask, expected in (("0000", 0o777), ("0022", 0o755), ("0077", 0o700)):
        run(f"gcc -o p{umask} h.o", tmp_path, umask)
        assert mode(tmp_path / f"p{umask}") == expected
    # In a default-ACL directory the file is created under the ACL (0660), and the chmod then
    # adds the execute bits the *umask* allows: 0760, which neither rule alone predicts.
    (tmp_path / "acl").mkdir()
    subprocess.run(["setfacl", "-d", "-m", "u::rwx,g::rwx,o::---", str(tmp_path / "acl")], check=True)
    run("gcc -o acl/prog h.o && touch acl/data", tmp_path, "0077")
    assert mode(tmp_path / "acl" / "data") == 0o660
    assert mode(tmp_path / "acl" / "prog") == 0o760


@pytest.mark.tools("coreutils", "strace")
def test_cp_requests_the_source_mode(tmp_path: Path) -> None:
    (tmp_path / "src").write_text("x\n")
    (tmp_path / "src").chmod(0o750)
    trace = tmp_path / "trace"
    run(f"strace -o {trace} -e trace=openat cp src dst", tmp_path, "0000")
    assert opens(trace.read_text(), "dst") == ["0750"]
    run("cp src dst2", tmp_path, "0077")
    assert mode(tmp_path / "dst2") == 0o700


def _archive(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    (src / "run.sh").write_text("x\n")
    (src / "run.sh").chmod(0o775)
    (src / "data").write_text("y\n")
    (src / "data").chmod(0o666)
    src.chmod(0o777)
    run("tar -cf a.tar src && zip -qr a.zip src", tmp_path)
    tmp_path.chmod(0o755)
    return tmp_path


def _extract(tmp_path: Path, tool: str, umask: str, as_nobody: bool, extra: str = "") -> tuple:
    out = Path(tempfile.mkdtemp(dir="/tmp"))  # reachable by uid 65534
    try:
        out.chmod(0o777)
        cmd = {"tar": f"tar {extra} -xf {tmp_path}/a.tar", "unzip": f"unzip -q {tmp_path}/a.zip"}[tool]
        script = f"cd {out} && umask {umask} && {cmd}"
        argv = ["bash", "-c", script]
        if as_nobody:
            argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=60)
        return tuple(mode(out / p) for p in ("src", "src/run.sh", "src/data"))
    finally:
        subprocess.run(["rm", "-rf", str(out)], check=True)


@pytest.mark.tools("tar", "unzip", "zip")
def test_tar_and_unzip_and_the_umask(tmp_path: Path) -> None:
    require_root("extracting as root and as uid 65534")
    require_tool("unzip")
    require_tool("zip")
    with tempfile.TemporaryDirectory() as name:  # /tmp: uid 65534 can read the archives
        _check_extractions(_archive(Path(name)))


def _check_extractions(base: Path) -> None:
    archived = (0o777, 0o775, 0o666)
    # GNU tar as root restores the archived modes (--same-permissions is the default for root).
    assert _extract(base, "tar", "0077", as_nobody=False) == archived
    assert _extract(base, "tar", "0077", False, "--no-same-permissions") == (0o700, 0o700, 0o600)
    # As an ordinary user tar applies the umask to the archived modes.
    assert _extract(base, "tar", "0022", as_nobody=True) == (0o755, 0o755, 0o644)
    assert _extract(base, "tar", "0077", as_nobody=True) == (0o700, 0o700, 0o600)
    assert _extract(base, "tar", "0077", True, "-p") == archived
    # Info-ZIP unzip 6.0 restores the archived modes whatever the umask, root or not.
    for umask in ("0022", "0077"):
        assert _extract(base, "unzip", umask, as_nobody=False) == archived
        assert _extract(base, "unzip", umask, as_nobody=True) == archived


@pytest.mark.tools("openssh-client", "openssh-sftp-server")
def test_sftp_server_u_sets_the_umask_for_uploads(tmp_path: Path) -> None:
    server = "/usr/lib/openssh/sftp-server"
    require_tool("sftp")
    assert os.path.exists(server), "openssh-sftp-server is not installed; run `make test`"
    for name, m in (("exec.sh", 0o755), ("data", 0o666), ("secret", 0o600)):
        (tmp_path / name).write_text(name)
        (tmp_path / name).chmod(m)
    batch = tmp_path / "batch"
    batch.write_text("put exec.sh up/exec.sh\nput data up/data\nput secret up/secret\n"
                     "mkdir up/newdir\n")

    def upload(flags: str, batch_file: Path = batch) -> dict[str, int]:
        up = tmp_path / "up"
        subprocess.run(["rm", "-rf", str(up)], check=True)
        up.mkdir()
        # sftp -D talks to a local sftp-server over a pipe: no sshd, no network.
        run(f"sftp -q -D '{server} {flags}' -b {batch_file}", tmp_path, "0022",
            stdin=subprocess.DEVNULL)
        return {p.name: mode(p) for p in up.iterdir()}

    # The client sends the local file's mode (0777 for mkdir); the server applies its umask.
    assert upload("") == {"exec.sh": 0o755, "data": 0o644, "secret": 0o600, "newdir": 0o755}
    assert upload("-u 027") == {"exec.sh": 0o750, "data": 0o640, "secret": 0o600, "newdir": 0o750}
    assert upload("-u 0") == {"exec.sh": 0o755, "data": 0o666, "secret": 0o600, "newdir": 0o777}
    # put -p sets the local mode afterwards (SETSTAT), so the umask does not apply.
    keep = tmp_path / "batch-p"
    keep.write_text("put -p data up/data\n")
    assert upload("-u 077", keep) == {"data": 0o666}


@pytest.mark.tools("bash")
@pytest.mark.parametrize("how, expected", [
    ("script", "0022"), ("script-file", "0022"), ("shebang", "0022"), ("bash-env", "0077"),
    ("interactive", "0077"), ("ssh-env", "0077"), ("socket-stdin", "0077"),
    ("login-debian-profile", "0077"), ("nested-ssh-env", "0022"),
])
def test_who_reads_bashrc(tmp_path: Path, how: str, expected: str) -> None:
    """~/.bashrc is read by interactive shells and also by non-interactive ones started by sshd.
    A script (`bash -c`, `bash script.sh`, an executable #!/bin/bash file) reads none, unless
    BASH_ENV names a file: a non-interactive bash runs that first (bash(1), INVOCATION)."""
    (tmp_path / ".bashrc").write_text("umask 0077\n")
    (tmp_path / ".profile").write_text(Path("/etc/skel/.profile").read_text())  # Debian's
    env = {k: v for k, v in os.environ.items() if k not in ("SHLVL", "SSH_CLIENT", "SSH2_CLIENT",
                                                            "BASH_ENV", "ENV")}
    env["HOME"] = str(tmp_path)
    stdin = subprocess.DEVNULL
    argv = ["bash", "-c", "umask"]
    if how == "interactive":
        argv = ["bash", "-i", "-c", "umask"]
    elif how == "ssh-env":
        env["SSH_CLIENT"] = "192.0.2.1 50000 22"  # what sshd sets; Debian's bash checks it
    elif how == "nested-ssh-env":
        env["SSH_CLIENT"], env["SHLVL"] = "192.0.2.1 50000 22", "1"  # not a top-level shell
    elif how == "login-debian-profile":
        argv = ["bash", "-l", "-c", "umask"]
    elif how in ("script-file", "bash-env"):
        (tmp_path / "script.sh").write_text("umask\n")
        argv = ["bash", str(tmp_path / "script.sh")]
        if how == "bash-env":
            env["BASH_ENV"] = str(tmp_path / ".bashrc")
    elif how == "shebang":
        script = tmp_path / "script"
        script.write_text("#!/bin/bash\numask\n")
        script.chmod(0o755)
        argv = [str(script)]
    if how == "socket-stdin":
        import socket

        a, b = socket.socketpair()  # rshd/sshd-style stdin: bash reads .bashrc (upstream rule)
        with a, b:
            proc = subprocess.run(argv, stdin=a, capture_output=True, text=True, env=env,
                                  timeout=30, cwd=tmp_path, preexec_fn=lambda: os.umask(0o022))
    else:
        proc = subprocess.run(argv, stdin=stdin, capture_output=True, text=True, env=env,
                              timeout=30, cwd=tmp_path, preexec_fn=lambda: os.umask(0o022))
    assert proc.stdout.strip().splitlines()[-1] == expected, proc.stderr


# --- PAM: cron's stack, and the generated configuration --------------------------------------

def pam_check():
    require_root("pam_start_confdir reads a private PAM configuration as root")
    return runpy.run_path(str(SNIPPETS / "pam_umask_check.py"))


def expand_includes(service: str, confdir: Path = Path("/etc/pam.d")) -> list[str]:
    lines = []
    for line in (confdir / service).read_text().splitlines():
        line = line.strip()
        if line.startswith("@include"):
            lines += expand_includes(line.split()[1], confdir)
        elif line and not line.startswith("#"):
            lines.append(line)
    return lines


@pytest.mark.tools("cron", "libpam-modules", "libpam-runtime")
def test_debian_cron_stack_has_no_pam_umask_unless_noninteractive_session_has_it(tmp_path) -> None:
    assert Path("/etc/pam.d/cron").exists(), "cron is not installed; run `make test`"
    stack = expand_includes("cron")
    assert "@include common-session-noninteractive" in Path("/etc/pam.d/cron").read_text()
    assert not [ln for ln in stack if "pam_umask" in ln]
    # The session part of cron's stack, run for real: it leaves the umask alone...
    check = pam_check()["umask_after_session"]
    session = [ln for ln in stack if ln.split()[0] in ("session", "-session")
               and "pam_loginuid" not in ln and "pam_systemd" not in ln]
    assert check("root", "\n".join(session), start=0o027) == "0027"
    # ...and a pam_umask line added to common-session-noninteractive takes effect.
    assert check("root", "\n".join([*session, "session optional pam_umask.so umask=0077"]),
                 start=0o027) == "0077"


@pytest.mark.parametrize("umask", [0o000, 0o002, 0o007, 0o022, 0o027, 0o077, 0o277, 0o777])
def test_generated_pam_line_and_login_defs_set_that_umask(tmp_path: Path, umask: int) -> None:
    check = pam_check()["umask_after_session"]
    files = model.config_for(umask)
    assert check("root", files.pam_line.strip(), start=0o022 if umask != 0o022 else 0o077) \
        == model.Umask(umask).octal
    # login.defs: pam_umask reads /etc/login.defs itself, so give it ours in a mount namespace.
    defs = tmp_path / "login.defs"
    defs.write_text(Path("/etc/login.defs").read_text().replace("\nUMASK", "\n#UMASK")
                    + files.login_defs)
    code = ("import runpy,sys; f=runpy.run_path(sys.argv[1])['umask_after_session'];"
            "print(f('root', 'session optional pam_umask.so', start=0o123))")
    script = (f"mount --bind {defs} /etc/login.defs && "
              f"python3 -c \"{code}\" {SNIPPETS / 'pam_umask_check.py'}")
    proc = subprocess.run(["unshare", "--mount", "sh", "-c", script], capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == model.Umask(umask).octal


@pytest.mark.tools("systemd")
@pytest.mark.parametrize("umask", [0o000, 0o002, 0o022, 0o027, 0o077, 0o777])
def test_generated_systemd_dropin_verifies(tmp_path: Path, umask: int) -> None:
    from tests.test_configs import systemd_verify

    proc = systemd_verify(tmp_path, model.config_for(umask).systemd_dropin)
    assert proc.returncode == 0 and proc.stderr.strip() == "", proc.stderr


@pytest.mark.tools("coreutils", "strace")
def test_mkdir_m_clears_its_umask_and_install_chmods(tmp_path: Path) -> None:
    trace = tmp_path / "trace"
    run(f"strace -f -o {trace} -e trace=umask,mkdir,openat,fchmodat,chmod "
        "sh -c 'mkdir -m 0777 mm; install -m 0777 /dev/null ii'", tmp_path, "0077")
    text = trace.read_text()
    assert re.search(r"umask\(0?00\).*\n(?:.*\n)*?.*mkdir\(\"mm\", 0777\)", text), text
    assert opens(text, "ii") == ["0600"]
    assert re.search(r'(fchmodat\(AT_FDCWD, |chmod\()"ii", 0777\)', text), text
    assert mode(tmp_path / "mm") == 0o777 and mode(tmp_path / "ii") == 0o777


@pytest.mark.tools("coreutils")
def test_chmod_plain_symbolic_mode_leaves_out_what_the_umask_masks(tmp_path: Path) -> None:
    """chmod(1): with no u/g/o/a, +x and friends skip the bits the umask masks; a+x and an
    octal mode do not look at it."""
    for name in ("plain", "all", "octal"):
        (tmp_path / name).touch()
        (tmp_path / name).chmod(0o644)
    run("chmod +x plain && chmod a+x all && chmod 0755 octal", tmp_path, "0077")
    assert [mode(tmp_path / n) for n in ("plain", "all", "octal")] == [0o744, 0o755, 0o755]


@pytest.mark.tools("libpam-modules", "libpam-runtime")
def test_debian_defaults_pam_umask_not_in_common_session_and_usergroups_only_as_option() -> None:
    session = expand_includes("common-session")
    assert not [ln for ln in session if "pam_umask" in ln]
    for startup in ("/etc/profile", "/etc/bash.bashrc"):  # no shell-level default either
        lines = [ln for ln in Path(startup).read_text().splitlines() if not ln.lstrip().startswith("#")]
        assert not [ln for ln in lines if re.search(r"\bumask\b", ln)], startup
    check = pam_check()["umask_after_session"]
    # /etc/login.defs says USERGROUPS_ENAB yes, but pam_umask 1.5.2 ignores it: only the option counts.
    assert re.search(r"^USERGROUPS_ENAB\s+yes", Path("/etc/login.defs").read_text(), re.M)
    assert check("daemon", "session optional pam_umask.so", start=0o077) == "0022"
    assert check("daemon", "session optional pam_umask.so usergroups", start=0o077) == "0002"
