// Writes the documented error envelope. It uses res.send, not res.json, so an error is never fed
// back through response validation: a failure there would otherwise loop into the error handler.
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import { newRequestId } from './request-id.js';

export function errorEnvelope(status: number, message: string, requestId: string) {
  return { status: { code: status, text: STATUS_CODES[status] ?? 'Error', message }, meta: { requestId } };
}

export function sendError(res: Response, status: number, message: string, headers: Record<string, string> = {}): void {
  res.status(status).set(headers).type('application/json');
  res.send(JSON.stringify(errorEnvelope(status, message, res.locals.requestId)));
}

/** Sent with every response, so no browser second-guesses a JSON answer's content type. */
export const NO_SNIFF = { 'X-Content-Type-Options': 'nosniff' } as const;

/**
 * A complete error response written straight to a socket, for what is answered before (or instead
 * of) Express: a request the parser refused, one that timed out, a connection over the cap. The
 * connection closes after it.
 */
export function rawErrorResponse(status: number, message: string, headers: Record<string, string> = {}): string {
  const requestId = newRequestId();
  const body = JSON.stringify(errorEnvelope(status, message, requestId));
  const fields = {
    'Content-Type': 'application/json; charset=utf-8',
    'X-Request-Id': requestId,
    ...NO_SNIFF,
    ...headers,
    'Content-Length': String(Buffer.byteLength(body)),
    Connection: 'close',
  };
  const head = Object.entries(fields).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n${head}\r\n${body}`;
}
