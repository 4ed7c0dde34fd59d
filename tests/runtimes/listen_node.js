// Listen the way Node.js does with a configured backlog; print Send-Q (or the error code).
// node listen_node.js [VALUE]
const net = require('net');
const { execFileSync } = require('child_process');
const arg = process.argv[2];
const options = { port: 0, host: '127.0.0.1' };
if (arg !== undefined) options.backlog = Number(arg);
const server = net.createServer();
server.on('error', (e) => { console.log(e.code || e.message); });
server.listen(options, () => {
  const out = execFileSync('ss', ['-Hlnt', 'sport = :' + server.address().port]).toString();
  console.log(out.trim().split(/\s+/)[2]);
  server.close();
});
