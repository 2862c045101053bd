// (b) Bare Express 5 answering the DELETE route with the same body.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { announce, DELETE_200_BODY } from './reference-body.js';

const app = express();
app.delete('/api/v2/property/search-sessions/:searchSessionId', (_req, res) => {
  res.type('application/json').send(DELETE_200_BODY);
});
const server = app.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
