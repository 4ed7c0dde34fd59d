#!/usr/bin/env bash
set -euo pipefail
# What Node.js's socket.setKeepAlive(true, delay) asks the kernel for (needs node and strace).
# node_keepalive.js (above) in the same directory opens the connection.
js="$(dirname "$0")/node_keepalive.js"
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
show() {  # each call's option, value and result (= 0, or the error name)
  echo "$1:"
  strace -f -e trace=setsockopt -o "$d/trace" node "$js" "${@:2}"
  grep -o 'setsockopt([0-9]*, SOL_[A-Z]*, [A-Z_]*KEEP[A-Z]*, \[[0-9]*\], [0-9]*) = .*' "$d/trace" |
    sed -E 's/^setsockopt\([0-9]+, /  /; s/\], [0-9]+\) = /] = /; s/ \(.*\)$//'
}
# On the connected socket (in the 'connect' callback, or a socket a server accepted):
show "setKeepAlive(true, 600000)" connected 600000
show "setKeepAlive(true, 0)" connected 0
show "setKeepAlive(true, 999)" connected 999
show "setKeepAlive(true)" connected
# Right after net.connect(), before the socket exists: libuv creates it with 60 s, 1 s, 10.
show "setKeepAlive(true) before connecting" early
# Under 1000 ms (or no delay) is 0 s, which the kernel refuses (Node 22's libuv refuses it
# itself, so its trace lacks those TCP_KEEPIDLE [0] lines): the interval and count are not
# set either, and the socket keeps what it had: the sysctls, or libuv's 60/1/10.
#> setKeepAlive(true, 600000):
#>   SOL_SOCKET, SO_KEEPALIVE, [1] = 0
#>   SOL_TCP, TCP_KEEPIDLE, [600] = 0
#>   SOL_TCP, TCP_KEEPINTVL, [1] = 0
#>   SOL_TCP, TCP_KEEPCNT, [10] = 0
#> setKeepAlive(true, 0):
#>   SOL_SOCKET, SO_KEEPALIVE, [1] = 0
#>   SOL_TCP, TCP_KEEPIDLE, [0] = -1 EINVAL
#> setKeepAlive(true, 999):
#>   SOL_SOCKET, SO_KEEPALIVE, [1] = 0
#>   SOL_TCP, TCP_KEEPIDLE, [0] = -1 EINVAL
#> setKeepAlive(true):
#>   SOL_SOCKET, SO_KEEPALIVE, [1] = 0
#>   SOL_TCP, TCP_KEEPIDLE, [0] = -1 EINVAL
#> setKeepAlive(true) before connecting:
#>   SOL_SOCKET, SO_KEEPALIVE, [1] = 0
#>   SOL_TCP, TCP_KEEPIDLE, [60] = 0
#>   SOL_TCP, TCP_KEEPINTVL, [1] = 0
#>   SOL_TCP, TCP_KEEPCNT, [10] = 0
#>   SOL_SOCKET, SO_KEEPALIVE, [1] = 0
#>   SOL_TCP, TCP_KEEPIDLE, [0] = -1 EINVAL
