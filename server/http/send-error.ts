// Writes the documented error envelope. It uses res.send, not res.json, so an error is never fed
// back through response validation: a failure there would otherwise loop into the error handler.
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';

export function errorEnvelope(status: number, message: string, requestId: string) {
  return { status: { code: status, text: STATUS_CODES[status] ?? 'Error', message }, meta: { requestId } };
}

export function sendError(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).type('application/json');
  res.send(JSON.stringify(errorEnvelope(status, message, res.locals.requestId)));
}
