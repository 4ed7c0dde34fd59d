"""umask is applied with AND NOT, not subtraction: compare both with the kernel."""

import os
import tempfile

requested = 0o666
umask = 0o033

print(f"{requested & ~umask:04o}")  # what the kernel computes
#> 0644
print(f"{requested - umask:04o}")  # the usual mistake
#> 0633

# Ask the real kernel: create a file with open(2) and mode 0666 under umask 0033.
old = os.umask(umask)
try:
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "f")
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, requested))
        print(f"{os.stat(path).st_mode & 0o7777:04o}")
        #> 0644
finally:
    os.umask(old)

# Bits that are not requested cannot be removed twice: 0666 has no x bits,
# so the x bits in umask 0033 have nothing to remove.
print(f"{requested & umask:04o}")  # the bits the umask actually removed
#> 0022
