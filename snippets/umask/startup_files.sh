#!/usr/bin/env bash
set -euo pipefail
# Which bash reads ~/.bashrc: interactive shells, and on Debian also the
# non-interactive shell sshd starts for `ssh host command`; scripts do not.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
printf 'umask 0077\n' > "$d/.bashrc"
umask 0022
HOME=$d bash -c 'umask'                      # a script: no .bashrc
HOME=$d bash -i -c 'umask' 2>/dev/null </dev/null  # interactive: reads it
# What sshd runs for `ssh host umask`: a top-level bash with SSH_CLIENT set.
env -u SHLVL HOME="$d" SSH_CLIENT='192.0.2.1 50000 22' bash -c 'umask'
#> 0022
#> 0077
#> 0077
