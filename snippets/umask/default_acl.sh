#!/usr/bin/env bash
set -euo pipefail
# A default ACL on the parent replaces the umask for new files and directories.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
umask 0077  # a strict umask that would normally give 600 and 700

mkdir plain acl
setfacl -d -m u::rwx,g::rwx,o::--- acl
for dir in plain acl; do
  touch "$dir/file"
  mkdir "$dir/sub"
  python3 -c "import os; os.close(os.open('$dir/private', os.O_CREAT | os.O_WRONLY, 0o600))"
  stat -c '%a %A %n' "$dir/file" "$dir/sub" "$dir/private"
done
# New subdirectories inherit the default ACL itself as well.
getfacl -p -d acl/sub | grep -v -e '^#' -e '^$'
#> 600 -rw------- plain/file
#> 700 drwx------ plain/sub
#> 600 -rw------- plain/private
#> 660 -rw-rw---- acl/file
#> 770 drwxrwx--- acl/sub
#> 600 -rw------- acl/private
#> user::rwx
#> group::rwx
#> other::---
