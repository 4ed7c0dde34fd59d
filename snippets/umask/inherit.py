"""A child process inherits the umask across fork and exec; it cannot change the parent's."""

import os
import subprocess

old = os.umask(0o027)
try:
    # A child shell started from here reports the umask it inherited.
    out = subprocess.run(["sh", "-c", "umask"], capture_output=True, text=True)
    print(out.stdout.strip())
    #> 0027

    # The child changes its own umask; ours is untouched.
    subprocess.run(["sh", "-c", "umask 077"], check=True)
    print(f"{os.umask(0o027):04o}")
    #> 0027

    # Python can set a different umask just for the child (between fork and exec).
    child = subprocess.Popen(["sleep", "30"], umask=0o077)
    try:
        # Read a running process's umask from /proc (Linux 4.7 and later).
        with open(f"/proc/{child.pid}/status") as f:
            line = next(line for line in f if line.startswith("Umask:"))
        print(line.split())
        #> ['Umask:', '0077']
    finally:
        child.kill()
        child.wait()
finally:
    os.umask(old)
