#!/usr/bin/env bash
set -euo pipefail
# A team directory: setgid keeps the group, a default ACL keeps group write.
# Nobody needs umask 0002 (or 0000) for this.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
mkdir shared
chgrp 100 shared  # gid 100 is "users" on Debian; use your team's group
chmod 2770 shared
setfacl -d -m u::rwx,g::rwx,o::--- shared
umask 0022  # an ordinary umask
touch shared/report.txt
mkdir shared/sub
stat -c '%a %A gid=%g %n' shared shared/report.txt shared/sub
#> 2770 drwxrws--- gid=100 shared
#> 660 -rw-rw---- gid=100 shared/report.txt
#> 2770 drwxrws--- gid=100 shared/sub
