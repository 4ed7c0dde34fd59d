#!/usr/bin/env bash
set -euo pipefail
# GNU ld opens its output 0666, then chmods in the x bits the umask allows.
# Needs gcc (and binutils).
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
printf 'int main(void) { return 0; }\n' > hello.c
for m in 0000 0022 0077; do
  (umask "$m" && gcc -o "hello-$m" hello.c)
  stat -c '%a %A %n' "hello-$m"
done
#> 777 -rwxrwxrwx hello-0000
#> 755 -rwxr-xr-x hello-0022
#> 700 -rwx------ hello-0077
