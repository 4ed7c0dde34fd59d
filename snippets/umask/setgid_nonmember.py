"""Linux 6.x strips setgid from a new file when the creator is not in its group.

Run as root: a child process drops to uid/gid 65534 (nobody/nogroup) and creates
files in a setgid directory owned by group 0, which nobody is not a member of.
"""

import os
import tempfile

requests = {"f2777": 0o2777, "f2666": 0o2666, "f4777": 0o4777}


def create_all(prefix, d):
    for name, mode in requests.items():
        os.close(os.open(os.path.join(d, prefix + name), os.O_CREAT | os.O_WRONLY, mode))


old = os.umask(0)
try:
    with tempfile.TemporaryDirectory() as d:
        os.chmod(d, 0o2777)  # setgid directory, group root, writable by everyone
        create_all("root-", d)
        pid = os.fork()
        if pid == 0:  # child: become an unprivileged user who is not in group 0
            os.setgroups([])
            os.setresgid(65534, 65534, 65534)
            os.setresuid(65534, 65534, 65534)
            create_all("nobody-", d)
            os._exit(0)
        os.waitpid(pid, 0)
        for name in sorted(os.listdir(d)):
            st = os.stat(os.path.join(d, name))
            print(f"{name:13} {st.st_mode & 0o7777:04o} gid={st.st_gid}")
            #> nobody-f2666  2666 gid=0
            #> nobody-f2777  0777 gid=0
            #> nobody-f4777  4777 gid=0
            #> root-f2666    2666 gid=0
            #> root-f2777    2777 gid=0
            #> root-f4777    4777 gid=0
finally:
    os.umask(old)
