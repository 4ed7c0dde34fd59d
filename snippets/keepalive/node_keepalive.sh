#!/usr/bin/env bash
set -euo pipefail
# What Node.js's socket.setKeepAlive(true, delay) asks the kernel for (needs node and strace).
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cat > "$d/ka.js" <<'JS'
const net = require('net');
const args = process.argv.slice(2).map(Number);
const srv = net.createServer((c) => c.end()).listen(0, '127.0.0.1', () => {
  const s = net.connect(srv.address().port, '127.0.0.1', () => {
    s.setKeepAlive(true, ...args);
    s.destroy();
    srv.close();
  });
});
JS
# The last, empty delay calls setKeepAlive(true) with no delay at all.
for delay in 600000 0 999 ''; do
  echo "setKeepAlive(true${delay:+, $delay}):"
  strace -f -e trace=setsockopt -o "$d/trace" node "$d/ka.js" ${delay:+"$delay"}
  # Keep each call's option, value and result (= 0, or the error name).
  grep -o 'setsockopt([0-9]*, SOL_[A-Z]*, [A-Z_]*KEEP[A-Z]*, \[[0-9]*\], [0-9]*) = .*' "$d/trace" |
    sed -E 's/^setsockopt\([0-9]+, /  /; s/\], [0-9]+\) = /] = /; s/ \(.*\)$//'
done
# A delay under 1000 ms, or none, is 0 s, which the kernel refuses: interval and count are
# never set, so that socket uses the sysctls (7200 s idle, 75 s apart, 9 probes by default).
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
