"""Try pam_umask lines without touching /etc/pam.d (needs libpam 1.4+, run as root).

pam_start_confdir() reads the PAM service file from a directory of our choice;
pam_open_session() then runs pam_umask, which sets the umask of this process.
"""

import ctypes
import os
import tempfile

libpam = ctypes.CDLL("libpam.so.0")
CONV_FUNC = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p
)


class PamConv(ctypes.Structure):
    _fields_ = [("conv", CONV_FUNC), ("appdata_ptr", ctypes.c_void_p)]


conv = PamConv(CONV_FUNC(lambda *args: 0), None)  # pam_umask asks no questions


def umask_after_session(user, line, start=0):
    with tempfile.TemporaryDirectory() as confdir:
        with open(os.path.join(confdir, "demo"), "w") as f:
            f.write(line + "\n")
        old = os.umask(start)
        handle = ctypes.c_void_p()
        libpam.pam_start_confdir(
            b"demo", user.encode(), ctypes.byref(conv), confdir.encode(), ctypes.byref(handle)
        )
        libpam.pam_open_session(handle, 0)
        libpam.pam_end(handle, 0)
        return f"{os.umask(old):04o}"


print(umask_after_session("root", "session optional pam_umask.so umask=0027"))
#> 0027
# No umask= argument: the UMASK line of /etc/login.defs (022 on Debian).
print(umask_after_session("root", "session optional pam_umask.so"))
#> 0022
# usergroups: user "daemon" has a group "daemon", so group bits copy owner bits.
print(umask_after_session("daemon", "session optional pam_umask.so usergroups"))
#> 0002
