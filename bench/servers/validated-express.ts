// (c) A validated Express service doing nothing: the JSON body parsed, express-openapi-validator
// checking each request against openapi.yaml, then the captured body — each operation's floor.
import type { AddressInfo } from 'node:net';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { SPEC_PATH } from '../../server/spec.js';
import { announce, answerEveryOperation } from './floor.js';

const app = express();
app.use(express.json({ limit: 65_536 }));
app.use(OpenApiValidator.middleware({ apiSpec: SPEC_PATH, validateRequests: true, validateResponses: false, validateSecurity: false }));
answerEveryOperation(app);
const server = app.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
