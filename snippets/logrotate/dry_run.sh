#!/usr/bin/env bash
set -euo pipefail
# Test a stanza without touching the system: -d only prints what would happen
# (nothing is renamed, the state file is not written), and a private state file
# (-s) keeps the system's /var/lib/logrotate/status out of it. Run as root.
here=$(cd "$(dirname "$0")" && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
chmod 755 "$d"
mkdir "$d/nginx"
echo "GET /" > "$d/nginx/access.log"
sed "s|/var/log/nginx|$d/nginx|" "$here/nginx.logrotate" > "$d/nginx.conf"
chmod 644 "$d/nginx.conf"  # logrotate skips configs that are not root-owned 0644 or stricter
logrotate -d -f -s "$d/state" "$d/nginx.conf" 2>&1 | sed "s|$d|TMP|g" \
  | grep -E '^(renaming TMP/nginx/access.log to|creating|running postrotate|error)' || true
ls "$d/nginx"
test ! -e "$d/state" && echo "state file untouched"
#> renaming TMP/nginx/access.log to TMP/nginx/access.log.1
#> creating new TMP/nginx/access.log mode = 0640 uid = 33 gid = 4
#> running postrotate script
#> access.log
#> state file untouched
