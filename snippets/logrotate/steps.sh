#!/usr/bin/env bash
set -euo pipefail
# The exact order of logrotate's steps: the system calls it makes on the log files,
# for `create` and for `copytruncate` (both with compress + delaycompress, rotate 2).
# Needs root and strace; works in a temporary directory with a private state file.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
chmod 755 "$d"
for way in "create 0640" copytruncate; do
  rm -f "$d"/app.log*
  echo one > "$d/app.log"
  echo older > "$d/app.log.1"
  printf '%s {\n rotate 2\n %s\n compress\n delaycompress\n postrotate\n  true\n endscript\n}\n' \
    "$d/app.log" "$way" > "$d/conf"
  chmod 644 "$d/conf"
  echo "== $way"
  strace -f -qq -e signal=none -e trace=rename,openat,unlink,ftruncate,fchmod,fsetxattr,execve \
    logrotate -s "$d/state" -f "$d/conf" 2>&1 >/dev/null \
    | grep -E 'app\.log|"sh"|gzip"|ftruncate|fchmod\([0-9]+, 0(6[1-7]|[0-57])|fsetxattr\([0-9]+, "system.posix_acl_access"' | grep -v ENOENT \
    | sed -E "s|$d/||g; s/^\[pid +[0-9]+\] //; s/, 0x[0-9a-f]+ \/\* [0-9]+ vars \*\///; s/ = [0-9]+$//; s/ +$//; s/(acl_access\"), .*/\1)/" \
    | sed -E 's/^execve\("[^"]*", \["([^"]+)".*/run \1/; s|run /bin/gzip|run gzip|' \
    | awk '!done { print } /^run sh$/ { done = 1 }'  # then only the state file
done
#> == create 0640
#> openat(AT_FDCWD, "app.log.1", O_RDONLY|O_NOFOLLOW)
#> openat(AT_FDCWD, "app.log.1.gz", O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW, 0600)
#> fsetxattr(5, "system.posix_acl_access")
#> run gzip
#> unlink("app.log.1")
#> rename("app.log.1.gz", "app.log.2.gz")
#> rename("app.log", "app.log.1")
#> openat(AT_FDCWD, "app.log", O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW, 0600)
#> fchmod(4, 0640)
#> run sh
#> == copytruncate
#> openat(AT_FDCWD, "app.log.1", O_RDONLY|O_NOFOLLOW)
#> openat(AT_FDCWD, "app.log.1.gz", O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW, 0600)
#> fsetxattr(5, "system.posix_acl_access")
#> run gzip
#> unlink("app.log.1")
#> rename("app.log.1.gz", "app.log.2.gz")
#> openat(AT_FDCWD, "app.log", O_RDWR|O_NOFOLLOW)
#> openat(AT_FDCWD, "app.log.1", O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW, 0600)
#> fsetxattr(5, "system.posix_acl_access")
#> ftruncate(4, 0)
#> run sh
