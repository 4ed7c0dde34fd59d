"""Read the umask without setting it: /proc/self/status has it (Linux 4.7 and later)."""

import os


def current_umask():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    raise RuntimeError("no Umask: line (kernel older than 4.7?)")


old = os.umask(0o027)
try:
    print(f"{current_umask():04o}")
    #> 0027
finally:
    os.umask(old)
