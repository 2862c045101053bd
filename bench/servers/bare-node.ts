// (a) The runtime's limit: node:http answering every request with the captured body.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announce, FLOOR_BODY } from './floor.js';

const server = createServer((req, res) => {
  req.resume(); // a POST's body is read, as every other server reads it
  req.once('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': FLOOR_BODY.length });
    res.end(FLOOR_BODY);
  });
});
server.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
