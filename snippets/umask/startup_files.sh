#!/usr/bin/env bash
set -euo pipefail
# ~/.bashrc is read by interactive shells only; scripts, cron jobs and
# services never see a umask that is set there.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
printf 'umask 0077\n' > "$d/.bashrc"
umask 0022
HOME=$d bash -c 'umask'                      # a script: no .bashrc
HOME=$d bash -i -c 'umask' 2>/dev/null </dev/null  # interactive: reads it
#> 0022
#> 0077
