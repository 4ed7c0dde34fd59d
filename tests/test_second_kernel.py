"""Every kernel-measuring test again, on Debian 12's own kernel, in a throwaway virtual machine.

The host's kernel is whatever this machine runs (6.18 here); readers run RHEL's 3.10 to 5.14,
Debian's 6.1 and Ubuntu's. Tests marked ``@pytest.mark.kernel`` therefore also run inside
QEMU booting ``linux-image-amd64`` (Debian 12: 6.1) with virtme-ng, which shares this
machine's root filesystem read-only, so the same checkout, virtual environment and tools run
there. KVM is used where it starts; this machine exposes no VMX, so it falls back to software
emulation (about 35-45 s to boot). The VM's results are recorded in the evidence ledger next
to the host's, so a page can say on which kernels a claim was measured.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from opsnotes_site import paths
from tests import evidence_plugin
from tests.conftest import require_root

VM_TIMEOUT = 2100  # s: boot plus the 135 kernel tests under software emulation took 1019 s here
KVM_PROBE_TIMEOUT = 60  # s
pytestmark = [pytest.mark.real, pytest.mark.vm,
              pytest.mark.skipif(evidence_plugin.IN_VM, reason="this is the VM: no VM inside it"),
              # the module's VM run (its fixture) counts against its first test's bound
              pytest.mark.timeout(KVM_PROBE_TIMEOUT + VM_TIMEOUT + 120)]
KVM_FAILURES = ("failed to set MSR", "Could not access KVM", "failed to initialize kvm",
                "KVM is not available", "kvm: ")


def debian_kernel() -> str:
    images = sorted(glob.glob("/boot/vmlinuz-6.1.*"))
    if not images:
        pytest.fail("Debian 12's kernel is not installed: `make test` installs linux-image-amd64")
    return images[-1]


def vng() -> str:
    found = Path(sys.executable).parent / "vng"
    if not found.exists():
        pytest.fail("virtme-ng is not installed in .venv: `make test` installs requirements.lock")
    return str(found)


def boot(command: str, out: Path, kvm: bool, timeout: float) -> subprocess.CompletedProcess:
    argv = [vng(), "-r", debian_kernel(), "--memory", "2G", "--cpus", "2", "--rwdir", str(out),
            "--cwd", str(paths.ROOT)]
    if not kvm:
        argv.append("--disable-kvm")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    # vng starts a shell, virtme-run and QEMU: on a timeout the whole group must go, or an
    # orphaned QEMU keeps both cores busy long after the test has failed.
    with subprocess.Popen([*argv, "--", command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, text=True, env=env,
                          start_new_session=True) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def run_in_vm(pytest_args: str, timeout: float = VM_TIMEOUT) -> tuple[subprocess.CompletedProcess, Path]:
    require_root("the kernel tests create network namespaces inside the VM")
    if not shutil.which("qemu-system-x86_64"):
        pytest.fail("qemu-system-x86 is not installed: `make test` installs it")
    out = Path(tempfile.mkdtemp(prefix="opsnotes-vm-"))
    command = (f"export OPSNOTES_IN_VM=1 OPSNOTES_LEDGER={out}/ledger.json PYTHONDONTWRITEBYTECODE=1; "
               f"uname -r > {out}/uname; {sys.executable} -m pytest -p no:cacheprovider -q "
               f"--durations=20 --junitxml={out}/junit.xml {pytest_args} > {out}/pytest.log 2>&1; "
               f"echo $? > {out}/status")
    done = boot(command, out, kvm_works(out), timeout)
    return done, out


def kvm_works(out: Path) -> bool:
    """/dev/kvm can be listed and still fail: here QEMU either aborts ("failed to set MSR")
    or hangs without a word. A short boot that only runs `true` tells; software emulation
    boots in about 30 s, KVM in a few."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK) or not cpu_virtualises():
        return False
    try:
        probe = boot("true", out, True, KVM_PROBE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return False
    return probe.returncode == 0 and not any(s in probe.stderr for s in KVM_FAILURES)


def cpu_virtualises() -> bool:
    """Without VMX or SVM in the CPU flags KVM cannot run a guest, whatever /dev/kvm says."""
    flags = Path("/proc/cpuinfo").read_text(errors="replace")
    return re.search(r"^flags\s*:.*\b(vmx|svm)\b", flags, re.M) is not None


@pytest.fixture(scope="module")
def vm_run():
    started = time.monotonic()
    done, out = run_in_vm("-m kernel tests")
    try:
        yield done, out, time.monotonic() - started
    finally:
        shutil.rmtree(out, ignore_errors=True)


def test_vm_boots_the_debian_kernel(vm_run) -> None:
    done, out, _ = vm_run
    assert (out / "uname").exists(), f"the VM did not run the command:\n{done.stderr[-3000:]}"
    release = (out / "uname").read_text().strip()
    assert re.fullmatch(r"6\.1\.\d+-\d+-amd64", release), release
    assert release != os.uname().release


def test_kernel_tests_pass_on_the_debian_12_kernel(vm_run, request) -> None:
    done, out, seconds = vm_run
    log = (out / "pytest.log").read_text(errors="replace") if (out / "pytest.log").exists() else ""
    kept = paths.ROOT / ".cache" / "second-kernel-pytest.log"  # the VM's whole log, for reading
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(log, encoding="utf-8")
    assert (out / "junit.xml").exists(), (
        f"pytest did not finish in the VM:\n{log[-3000:]}\n{done.stderr[-2000:]}")
    suite = ET.parse(out / "junit.xml").getroot()
    cases = suite.iter("testcase")
    failed, passed = [], 0
    for case in cases:
        name = f"{case.get('classname', '').replace('.', '/')}.py::{case.get('name')}"
        problem = case.find("failure") if case.find("failure") is not None else case.find("error")
        if problem is not None:
            failed.append(f"{name}\n    {(problem.get('message') or '')[:600]}")
        elif case.find("skipped") is None:
            passed += 1
    assert passed > 0, f"no kernel test ran in the VM:\n{log[-3000:]}"
    # What passed there is evidence even when something else failed.
    ledger = request.config.pluginmanager.get_plugin("opsnotes-ledger")
    for fid, entry in evidence_plugin.evidence.load_ledger(out / "ledger.json").items():
        for env in entry["ran_on"]:
            ledger.add_external(fid, env)
    assert not failed, f"failed on {(out / 'uname').read_text().strip()} (whole log: {kept}):\n" \
        + "\n".join(failed)
    print(f"{passed} kernel tests passed in the VM in {seconds:.0f} s")
    assert (out / "status").read_text().strip() == "0", log[-3000:]
