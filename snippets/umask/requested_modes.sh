#!/usr/bin/env bash
set -euo pipefail
# With umask 0000 nothing is removed, so each new file shows the mode its
# program asked for. Then umask 0077 shows which programs chmod afterwards.
export LC_ALL=C
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cd "$d"
printf 'x\n' > src && chmod 0750 src  # a source file for cp and install

make_all() {
  touch "touch$1"
  : > "redirect$1"
  mkdir "mkdir$1"
  python3 -c "open('pyopen$1', 'w').close()"
  python3 -c "import os; os.mkdir('osmkdir$1')"
  python3 -c "import os, tempfile; os.close(tempfile.mkstemp(dir='.', prefix='mkstemp$1.')[0])"
  cp src "cp$1"
  install src "install$1"
}

umask 0000
make_all -0000
umask 0077
make_all -0077
stat -c '%a %A %n' -- * | grep -v ' src$' | sed 's/\.[^.]*$//' | sort -k3
#> 750 -rwxr-x--- cp-0000
#> 700 -rwx------ cp-0077
#> 755 -rwxr-xr-x install-0000
#> 755 -rwxr-xr-x install-0077
#> 777 drwxrwxrwx mkdir-0000
#> 700 drwx------ mkdir-0077
#> 600 -rw------- mkstemp-0000
#> 600 -rw------- mkstemp-0077
#> 777 drwxrwxrwx osmkdir-0000
#> 700 drwx------ osmkdir-0077
#> 666 -rw-rw-rw- pyopen-0000
#> 600 -rw------- pyopen-0077
#> 666 -rw-rw-rw- redirect-0000
#> 600 -rw------- redirect-0077
#> 666 -rw-rw-rw- touch-0000
#> 600 -rw------- touch-0077
