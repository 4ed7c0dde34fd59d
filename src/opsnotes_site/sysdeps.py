"""Check the Debian packages the tests need; install them when running as root.

Anyone else gets the exact command to run and a non-zero exit, never a silent skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

# package -> how we know it is there
NEEDED: dict[str, object] = {
    "chromium": lambda: shutil.which("chromium") is not None,  # browser tests, benchmark
    "fonts-wqy-zenhei": lambda: Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc").exists(),
    "acl": lambda: shutil.which("setfacl") is not None,  # default-ACL examples in the umask page
    "sudo": lambda: shutil.which("visudo") is not None,  # checks the sudoers snippet (visudo -cf)
    "gcc": lambda: shutil.which("gcc") is not None,  # the umask page compiles a program
    # umask: archives (tar is essential), SFTP uploads through sftp -D, cron's PAM stack.
    "unzip": lambda: shutil.which("unzip") is not None,
    "zip": lambda: shutil.which("zip") is not None,
    "openssh-client": lambda: shutil.which("sftp") is not None,
    "openssh-sftp-server": lambda: Path("/usr/lib/openssh/sftp-server").exists(),
    "cron": lambda: Path("/etc/pam.d/cron").exists(),
    "systemd": lambda: shutil.which("systemd-analyze") is not None,  # checks unit drop-ins
    "openjdk-17-jdk-headless": lambda: shutil.which("java") is not None,  # runs generated Java
    "iproute2": lambda: shutil.which("ip") is not None and shutil.which("ss") is not None,  # netns
    "logrotate": lambda: shutil.which("logrotate") is not None,  # the logrotate topic's real runs
    "strace": lambda: shutil.which("strace") is not None,  # logrotate's test windows; Node.js (keepalive)
    # Pacemaker: the scheduler offline (crm_simulate, crm_verify), pcs -f, corosync on loopback,
    # and the agents pcs validates the tutorial's resources and fence devices against.
    "pacemaker-cli-utils": lambda: shutil.which("crm_simulate") is not None,
    "pcs": lambda: shutil.which("pcs") is not None,
    "corosync": lambda: shutil.which("corosync-quorumtool") is not None,
    "pacemaker-resource-agents": lambda: Path("/usr/lib/ocf/resource.d/pacemaker/Dummy").exists(),
    "resource-agents": lambda: Path("/usr/lib/ocf/resource.d/heartbeat/IPaddr2").exists(),
    "fence-agents": lambda: shutil.which("fence_ipmilan") is not None,
}


def missing() -> list[str]:
    return [name for name, present in NEEDED.items() if not present()]


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
