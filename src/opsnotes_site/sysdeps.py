"""Check the Debian packages the tests need; install them when running as root.

Anyone else gets the exact command to run and a non-zero exit, never a silent skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys

from opsnotes_site import topics

# Packages every part of the suite needs, each with how we know it is there (a command on PATH
# or a file). Each topic adds its own in docs/topics/TOPIC.yml (`packages:`).
SITE_WIDE: dict[str, str] = {
    "chromium": "chromium",  # browser tests, benchmark
    "fonts-wqy-zenhei": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # Chinese in screenshots
    "iproute2": "ss",  # ip netns, ss, nstat: the kernel tests' namespaces and readings
    "strace": "strace",
    # A second kernel: Debian 12's own, booted in QEMU by virtme-ng (tests/test_second_kernel.py).
    "linux-image-amd64": "/boot/vmlinuz-6.1.*",
    "qemu-system-x86": "qemu-system-x86_64",
    "busybox-static": "/bin/busybox",  # virtme-ng's init in the VM
}


def needed() -> dict[str, str]:
    return {**SITE_WIDE, **topics.packages()}


def present(probe: str) -> bool:
    if probe.startswith("/"):
        return bool(glob.glob(probe))
    return shutil.which(probe) is not None


def missing() -> list[str]:
    return [name for name, probe in needed().items() if not present(probe)]


def main() -> int:
    todo = missing()
    if not todo:
        return 0
    command = ["apt-get", "install", "-y", "--no-install-recommends", *todo]
    if os.geteuid() != 0:
        print("The tests need Debian packages that are not installed: " + ", ".join(todo),
              file=sys.stderr)
        print("Install them, then run the command again:\n\n    sudo apt-get update && sudo "
              + " ".join(command) + "\n", file=sys.stderr)
        return 1
    print("installing " + " ".join(todo), flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*command, "-qq"], check=True, env=env)
    still = missing()
    if still:
        print("still missing after apt-get install: " + ", ".join(still), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
