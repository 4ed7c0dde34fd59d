#!/usr/bin/env bash
set -euo pipefail
# The umask only shapes files as they are created: existing files, chmod,
# and tools that chmod after creating (mkdir -m, install -m) ignore it.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
umask 0022
touch old
umask 0077
touch new
touch chmodded
chmod 0666 chmodded
mkdir -m 0777 mkdir-m
install -m 0777 /dev/null install-m
mkdir -p parent/child
stat -c '%a %A %n' old new chmodded mkdir-m install-m parent parent/child
# mkdir -p gives the parents it creates at least u+wx, even under umask 0777.
umask 0777
mkdir -p p1/p2
umask 0022
stat -c '%a %A %n' p1 p1/p2
chmod 0700 p1 p1/p2  # so that cleanup works without root
#> 644 -rw-r--r-- old
#> 600 -rw------- new
#> 666 -rw-rw-rw- chmodded
#> 777 drwxrwxrwx mkdir-m
#> 777 -rwxrwxrwx install-m
#> 700 drwx------ parent
#> 700 drwx------ parent/child
#> 300 d-wx------ p1
#> 0 d--------- p1/p2
