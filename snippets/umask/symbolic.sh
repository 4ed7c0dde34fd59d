#!/usr/bin/env bash
set -euo pipefail
# bash's umask builtin: symbolic clauses name the permissions to KEEP.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
umask 0022
umask -S
umask u=rwx,g=rx,o=  # absolute: allow rwx, rx, nothing
umask
umask g+w  # relative to the current mask: allow group write
umask
umask o-rx,g-w  # several clauses, comma separated
umask
umask -p  # in a form you can paste into a script
umask 7777  # bash accepts it; only 0777 is kept
umask
# One operator per clause, and only r, w and x:
for bad in u+r-w g=s u=rwX; do
  umask "$bad" 2>/dev/null || echo "rejected: $bad"
done
#> u=rwx,g=rx,o=rx
#> 0027
#> 0007
#> 0027
#> umask 0027
#> 0777
#> rejected: u+r-w
#> rejected: g=s
#> rejected: u=rwX
