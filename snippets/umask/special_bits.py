"""setuid, setgid and sticky on new files and directories (run as root)."""

import os
import stat
import tempfile


def mode_of(path):
    st = os.stat(path)
    return f"{stat.S_IMODE(st.st_mode):04o} {stat.filemode(st.st_mode)}"


old = os.umask(0o022)
try:
    with tempfile.TemporaryDirectory() as d:
        # open(2) keeps all 12 bits of the requested mode, minus the umask.
        f = os.path.join(d, "file")
        os.close(os.open(f, os.O_CREAT | os.O_WRONLY, 0o7777))
        print("open  0o7777 ->", mode_of(f))
        #> open  0o7777 -> 7755 -rwsr-sr-t

        # mkdir(2) ignores setuid and setgid in its argument; sticky stays.
        sub = os.path.join(d, "dir")
        os.mkdir(sub, 0o7777)
        print("mkdir 0o7777 ->", mode_of(sub))
        #> mkdir 0o7777 -> 1755 drwxr-xr-t

        # A setgid directory passes setgid to new subdirectories, not to files.
        shared = os.path.join(d, "shared")
        os.mkdir(shared)
        os.chmod(shared, 0o2775)
        os.mkdir(os.path.join(shared, "sub"))
        os.close(os.open(os.path.join(shared, "f"), os.O_CREAT | os.O_WRONLY, 0o666))
        for name in ("sub", "f"):
            print(f"in setgid dir: {name:3} ->", mode_of(os.path.join(shared, name)))
            #> in setgid dir: sub -> 2755 drwxr-sr-x
            #> in setgid dir: f   -> 0644 -rw-r--r--
finally:
    os.umask(old)
