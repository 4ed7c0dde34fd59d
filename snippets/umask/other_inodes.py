"""Sockets, FIFOs and POSIX shared memory follow the umask; symlinks are always 0777."""

import _posixshmem  # what multiprocessing.shared_memory uses: shm_open(3)
import os
import socket
import tempfile

old = os.umask(0o027)
try:
    with tempfile.TemporaryDirectory() as d:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(os.path.join(d, "sock"))  # the socket inode starts as 0777
        sock.close()
        os.mkfifo(os.path.join(d, "fifo"), 0o666)
        os.symlink("target", os.path.join(d, "link"))
        fd = _posixshmem.shm_open("/opsnotes-demo", os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o666)
        shm = os.fstat(fd).st_mode & 0o777
        os.close(fd)
        _posixshmem.shm_unlink("/opsnotes-demo")
        for name in ("sock", "fifo", "link"):
            st = os.lstat(os.path.join(d, name))
            print(f"{name} {st.st_mode & 0o777:04o}")
            #> sock 0750
            #> fifo 0640
            #> link 0777
        print(f"shm  {shm:04o}")
        #> shm  0640
finally:
    os.umask(old)
