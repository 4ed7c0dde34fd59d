"""Same umask, different results: files are requested as 0666, directories as 0777."""

import os
import stat
import tempfile

old = os.umask(0)
try:
    with tempfile.TemporaryDirectory() as d:
        for umask in (0o022, 0o002, 0o027, 0o077):
            os.umask(umask)
            f = os.path.join(d, f"file{umask:o}")
            os.close(os.open(f, os.O_CREAT | os.O_WRONLY, 0o666))  # like touch
            sub = os.path.join(d, f"dir{umask:o}")
            os.mkdir(sub, 0o777)  # like mkdir(1)
            f_mode = stat.filemode(os.stat(f).st_mode)
            d_mode = stat.filemode(os.stat(sub).st_mode)
            print(f"umask {umask:04o}: file {f_mode}  dir {d_mode}")
            #> umask 0022: file -rw-r--r--  dir drwxr-xr-x
            #> umask 0002: file -rw-rw-r--  dir drwxrwxr-x
            #> umask 0027: file -rw-r-----  dir drwxr-x---
            #> umask 0077: file -rw-------  dir drwx------
finally:
    os.umask(old)
