// (a) The runtime's limit: node:http answering every request with the DELETE 200 body.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { announce, DELETE_200_BODY } from './reference-body.js';

const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(DELETE_200_BODY) });
  res.end(DELETE_200_BODY);
});
server.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
