// One request, exactly as a test wrote it. node:http sends a target as given (no encoding, no
// dot-segment resolution), any body's bytes untouched, and reads any framing of the answer
// (chunked included); what it refuses to send (a raw space, a control or non-Latin-1 character in
// the target) goes out over a bare socket instead (test/support/servers/raw-http.ts).
import { request as httpRequest } from 'node:http';
import { rawRequest, type RawResponse } from '../../support/servers/raw-http.js';

export interface OutgoingRequest {
  method: string;
  /** The request target as sent: a path with its query, raw (a string goes out as UTF-8). */
  target: string | Buffer;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const RESPONSE_TIMEOUT_MS = 10_000;
// The request targets node:http agrees to write (its INVALID_PATH_REGEX is the complement).
const SENDABLE_TARGET = /^[\u0021-\u00ff]*$/;

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // the assertion that follows will say what came back
  }
}

function viaNodeHttp(baseUrl: string, { method, target, headers = {}, body }: OutgoingRequest & { target: string }): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const bytes = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const framing = bytes === undefined ? {} : { 'Content-Length': String(bytes.length) };
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: hostname, port, method, path: target, headers: { ...headers, ...framing, Connection: 'close' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const flat = Object.entries(response.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]);
        resolve({ status: response.statusCode ?? 0, headers: Object.fromEntries(flat), body: parseBody(text), text });
      });
      response.on('error', reject);
    });
    outgoing.setTimeout(RESPONSE_TIMEOUT_MS, () => outgoing.destroy(new Error(`${method} ${target} timed out`)));
    outgoing.on('error', reject);
    outgoing.end(bytes);
  });
}

export function send(baseUrl: string, request: OutgoingRequest): Promise<RawResponse> {
  const bytes = Buffer.isBuffer(request.target) ? request.target : Buffer.from(request.target, 'utf8');
  // node:http writes a request line byte for character, as Latin-1.
  const target = bytes.toString('latin1');
  if (SENDABLE_TARGET.test(target)) return viaNodeHttp(baseUrl, { ...request, target });
  if (request.body !== undefined) throw new Error(`send: a body with a raw target is not supported (${JSON.stringify(target)})`);
  return rawRequest(baseUrl, bytes, { method: request.method, headers: request.headers ?? {} });
}
