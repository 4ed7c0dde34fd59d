#!/usr/bin/env bash
set -euo pipefail
# What Node.js's socket.setKeepAlive(true, 600000) asks the kernel for (needs node and strace).
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
cat > "$d/ka.js" <<'JS'
const net = require('net');
const srv = net.createServer((c) => c.end()).listen(0, '127.0.0.1', () => {
  const s = net.connect(srv.address().port, '127.0.0.1', () => {
    s.setKeepAlive(true, 600000);
    s.destroy();
    srv.close();
  });
});
JS
strace -f -e trace=setsockopt -o "$d/trace" node "$d/ka.js"
grep -o 'setsockopt([0-9]*, SOL_[A-Z]*, [A-Z_]*KEEP[A-Z]*, \[[0-9]*\]' "$d/trace" | sed 's/^setsockopt([0-9]*, //'
#> SOL_SOCKET, SO_KEEPALIVE, [1]
#> SOL_TCP, TCP_KEEPIDLE, [600]
#> SOL_TCP, TCP_KEEPINTVL, [1]
#> SOL_TCP, TCP_KEEPCNT, [10]
