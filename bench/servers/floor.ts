// What every floor server shares: the exact bytes our server answered one real request with (the
// benchmark captures them first and passes the file in FLOOR_BODY_FILE), the API's three routes
// answering them, and the announcement our server makes once it listens. The body is read once, so
// the floors measure the framework, not JSON serialisation.
import { readFileSync } from 'node:fs';
import type { Express } from 'express';

const file = process.env.FLOOR_BODY_FILE;
if (!file) throw new Error('FLOOR_BODY_FILE must name the captured body this floor answers with');
export const FLOOR_BODY = readFileSync(file);

/** The API's routes, each answering FLOOR_BODY: the floors answer whichever operation is measured. */
export function answerEveryOperation(app: Express): void {
  const answer = (_req: unknown, res: { type(t: string): { send(body: Buffer): void } }) => res.type('application/json').send(FLOOR_BODY);
  app.get('/api/v2/property/search-sessions', answer);
  app.delete('/api/v2/property/search-sessions/:searchSessionId', answer);
  app.post('/api/v1/property/search', answer);
}

/** Every floor prints its URL as its first stdout line, like our server's "listening". */
export function announce(port: number): void {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, msg: 'listening' })}\n`);
}
