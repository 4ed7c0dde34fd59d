#!/usr/bin/env bash
set -euo pipefail
# Why didn't my log rotate? Each stanza below is skipped for a different reason, and
# logrotate -v says which. Run as root; everything lives in a temporary directory.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
chmod 755 "$d"
mkdir "$d/conf.d"
echo line > "$d/app.log"
: > "$d/empty.log"
echo line > "$d/small.log"
cat > "$d/logrotate.conf" <<CONF
include $d/conf.d
$d/app.log {
    daily
}
$d/empty.log {
    daily
    notifempty
}
$d/small.log {
    size 1M
}
$d/missing.log {
    daily
}
CONF
# A file that package managers leave behind: skipped by tabooext.
printf '%s {\n    daily\n}\n' "$d/app.log" > "$d/conf.d/app.rpmsave"
chmod 644 "$d/logrotate.conf" "$d/conf.d/app.rpmsave"
run() {  # keep the lines that say why, and the exit status
  set +e
  logrotate -v "$@" -s "$d/state" "$d/logrotate.conf" > "$d/out" 2>&1
  echo "exit status $?"
  set -e
  sed "s|$d|TMP|g" "$d/out" | grep -E 'Ignoring|considering|need|error' | sed 's/^  //'
}
echo "== run 1"
run
echo "== run 2, the same day, with -f"
run -f
#> == run 1
#> exit status 1
#> Ignoring app.rpmsave, because of *.rpmsave pattern match
#> considering log TMP/app.log
#> log does not need rotating (log has already been rotated)
#> considering log TMP/empty.log
#> log does not need rotating (log has already been rotated)
#> considering log TMP/small.log
#> log does not need rotating (log size is below the 'size' threshold)
#> considering log TMP/missing.log
#> error: stat of TMP/missing.log failed: No such file or directory
#> == run 2, the same day, with -f
#> exit status 1
#> Ignoring app.rpmsave, because of *.rpmsave pattern match
#> considering log TMP/app.log
#> log needs rotating
#> considering log TMP/empty.log
#> log does not need rotating (log is empty)
#> considering log TMP/small.log
#> log needs rotating
#> considering log TMP/missing.log
#> error: stat of TMP/missing.log failed: No such file or directory
