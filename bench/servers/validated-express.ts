// (c) What a typical validated Express service costs doing nothing: express-openapi-validator
// checking each request against openapi.yaml, then the same body.
import type { AddressInfo } from 'node:net';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { SPEC_PATH } from '../../server/spec.js';
import { announce, DELETE_200_BODY } from './reference-body.js';

const app = express();
app.use(OpenApiValidator.middleware({ apiSpec: SPEC_PATH, validateRequests: true, validateResponses: false, validateSecurity: false }));
app.delete('/api/v2/property/search-sessions/:searchSessionId', (_req, res) => {
  res.type('application/json').send(DELETE_200_BODY);
});
const server = app.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
