#!/usr/bin/env bash
set -euo pipefail
# sftp-server applies its own umask (-u) to the mode the client sends, which is
# the local file's mode (0777 for mkdir). sftp -D runs the server locally, no sshd.
# Needs openssh-client and openssh-sftp-server.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
printf 'a\n' > run.sh && chmod 755 run.sh
printf 'b\n' > data && chmod 666 data
printf 'put run.sh up/run.sh\nput data up/data\nmkdir up/dir\n' > batch
for flags in "" "-u 027"; do
  rm -rf up && mkdir up
  (umask 0022 && sftp -q -D "/usr/lib/openssh/sftp-server $flags" -b batch > /dev/null)
  echo "${flags:-no -u}: $(stat -c '%a %n' up/* | paste -sd ' ')"
done
#> no -u: 644 up/data 755 up/dir 755 up/run.sh
#> -u 027: 640 up/data 750 up/dir 750 up/run.sh
