// One loopback connection; socket.setKeepAlive(true, ...) called where the first argument says:
//   node node_keepalive.js connected [DELAY]   in the 'connect' callback: the socket exists
//   node node_keepalive.js early [DELAY]       right after net.connect(): it does not yet
// With SHOW_SS=1 it prints the connection's keepalive timer as ss sees it before it closes.
const net = require('net');
const { execFileSync } = require('child_process');
const [when, ...args] = process.argv.slice(2);
const srv = net.createServer(() => {}).listen(0, '127.0.0.1', () => {
  const port = srv.address().port;
  const s = net.connect(port, '127.0.0.1', () => {
    if (when === 'connected') s.setKeepAlive(true, ...args.map(Number));
    if (process.env.SHOW_SS) {
      const ss = ['-Htnoe', 'dport', '=', String(port)];
      console.log(execFileSync('ss', ss, { timeout: 10000 }).toString());
    }
    s.destroy();
    srv.close();
  });
  if (when === 'early') s.setKeepAlive(true, ...args.map(Number));
});
