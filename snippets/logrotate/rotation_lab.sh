#!/usr/bin/env bash
set -euo pipefail
# Run the real logrotate against a real writer in a temporary directory, with a
# private state file: lines 1-3 before the rotation, 4-5 after it, 6-7 after the
# writer acted on SIGHUP. Run as root (logrotate wants root-owned 0644 configs).
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

try() {  # try KIND "DIRECTIVES" [hup]
  local kind=$1 directives=$2 hup=${3:-}
  local d
  d=$(mktemp -d -p "$work")
  coproc W { exec python3 "$here/writer.py" "$kind" "$d/app.log"; }
  local post=""
  [ -n "$hup" ] && post="postrotate
    kill -HUP $W_PID
  endscript"
  printf '%s {\n  rotate 2\n  %s\n  %s\n}\n' "$d/app.log" "${directives//;/$'\n'  }" "$post" \
    > "$d/lr.conf"
  chmod 644 "$d/lr.conf"
  say() { echo "$1" >&"${W[1]}"; read -r _ _ <&"${W[0]}"; }
  say "w 3"
  logrotate -s "$d/state" -f "$d/lr.conf"
  say "w 2"
  say "h"
  say "w 2"
  echo q >&"${W[1]}"
  wait "$W_PID"
  rm "$d/lr.conf" "$d/state"
  echo "== $kind: ${directives//;/ }${hup:+, postrotate kill -HUP}"
  python3 "$here/checker.py" "$d" before=1-3 after=4-5 after-hup=6-7
}

try reopen "create 0640" hup
try append "create 0640"
try append "create 0640;compress"
try append "create 0640;compress;delaycompress"
try append copytruncate
try offset copytruncate
try append copy
try per-write nocreate
#> == reopen: create 0640, postrotate kill -HUP
#> before: app.log.1
#> after: app.log.1
#> after-hup: app.log
#> lost=0 duplicated=0 nul_bytes=0
#> == append: create 0640
#> before: app.log.1
#> after: app.log.1
#> after-hup: app.log.1
#> lost=0 duplicated=0 nul_bytes=0
#> == append: create 0640 compress
#> before: app.log.1.gz
#> after: LOST
#> after-hup: LOST
#> lost=4 duplicated=0 nul_bytes=0
#> == append: create 0640 compress delaycompress
#> before: app.log.1
#> after: app.log.1
#> after-hup: app.log.1
#> lost=0 duplicated=0 nul_bytes=0
#> == append: copytruncate
#> before: app.log.1
#> after: app.log
#> after-hup: app.log
#> lost=0 duplicated=0 nul_bytes=0
#> == offset: copytruncate
#> before: app.log.1
#> after: app.log
#> after-hup: app.log
#> lost=0 duplicated=0 nul_bytes=21
#> == append: copy
#> before: app.log app.log.1
#> after: app.log
#> after-hup: app.log
#> lost=0 duplicated=3 nul_bytes=0
#> == per-write: nocreate
#> before: app.log.1
#> after: app.log
#> after-hup: app.log
#> lost=0 duplicated=0 nul_bytes=0
