// (b) Bare Express 5 answering the API's routes with the captured body; a POST's JSON is parsed.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { announce, answerEveryOperation } from './floor.js';

const app = express();
app.use(express.json({ limit: 65_536 }));
answerEveryOperation(app);
const server = app.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
