#!/usr/bin/env bash
set -euo pipefail
# tar and unzip restore the modes stored in the archive; only tar, and only
# for a non-root user, applies the umask to them. Run as root; needs zip and unzip.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d" && chmod 755 .
mkdir src && printf 'x\n' > src/run.sh && chmod 775 src/run.sh
tar -cf a.tar src && zip -qr a.zip src
mkdir out && chmod 777 out && cd out
umask 0077
tar -xf ../a.tar && stat -c 'root tar:    %a %n' src/run.sh && rm -r src
unzip -q ../a.zip && stat -c 'root unzip:  %a %n' src/run.sh && rm -r src
# The same as uid 65534 (nobody), with the same umask:
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups sh -c "umask 0077 && $1"; }
as_nobody 'tar -xf ../a.tar' && stat -c 'user tar:    %a %n' src/run.sh && rm -r src
as_nobody 'tar -xpf ../a.tar' && stat -c 'user tar -p: %a %n' src/run.sh && rm -r src
as_nobody 'unzip -q ../a.zip' && stat -c 'user unzip:  %a %n' src/run.sh && rm -r src
#> root tar:    775 src/run.sh
#> root unzip:  775 src/run.sh
#> user tar:    700 src/run.sh
#> user tar -p: 775 src/run.sh
#> user unzip:  775 src/run.sh
