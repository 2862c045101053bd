// What one client can hold of the server: how long it may take to send a request, how long an idle
// connection stays open, and how many connections it (and everyone together) may have. Without
// these, idle connections pile up until the process runs out of file descriptors, and then every
// client is refused, not only the one holding them.
//
// - A request's headers must arrive within `headersTimeoutMs`, the whole request (body included)
//   within `requestTimeoutMs`; a keep-alive connection idle for `keepAliveTimeoutMs` is closed.
//   Node checks these every second.
// - A connection that timed out without sending a byte is closed quietly: there is no request to
//   answer, and a client pool that opened it ahead of time would take an answer for the reply to
//   its next request. One that timed out part-way through a request gets a 408 in the envelope.
// - At most `maxConnections` are open at once, and at most `maxConnectionsPerAddress` from one
//   client address (0 turns that cap off, e.g. behind a proxy that is the only address). A
//   connection over either cap is answered at once with a 503, `Retry-After: 1`, and closed.
import { createServer, type RequestListener, type Server } from 'node:http';
import { Socket } from 'node:net';
import type { Logger } from 'pino';
import { messages } from './messages.js';
import { parserSpent } from './raw-request-repair.js';
import { rawErrorResponse } from './errors.js';

export interface ConnectionLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  /** 0: no cap per address. */
  maxConnectionsPerAddress: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 10_000,
  maxConnectionsPerAddress: 256,
};

const CHECK_INTERVAL_MS = 1_000;
/** A refused connection is given this long to read its answer before it is closed for good… */
const REFUSED_LINGER_MS = 1_000;
/** …but only so many at once: past that, one is closed as soon as its answer is written. */
export const MAX_LINGERING_REFUSALS = 64;
/** Refusals are logged as one line per interval, so a flood cannot flood the log too. */
const REFUSAL_LOG_INTERVAL_MS = 10_000;

let lingering = 0;

/** Writes a closing answer, then frees the descriptor even if the client never reads or closes. */
function answerAndClose(socket: Socket, response: string): void {
  socket.on('error', () => undefined);
  // Reading what the client sent keeps the kernel from resetting the connection over unread bytes.
  socket.resume();
  if (lingering >= MAX_LINGERING_REFUSALS) return void socket.end(response, () => socket.destroy());
  lingering++;
  socket.once('close', () => lingering--);
  socket.end(response);
  setTimeout(() => socket.destroy(), REFUSED_LINGER_MS).unref();
}

function answerTimeouts(server: Server, limits: ConnectionLimits): void {
  const message = messages.requestTimeout(limits.headersTimeoutMs / 1000, limits.requestTimeoutMs / 1000);
  server.on('clientError', (error: Error & { code?: string }, socket: Socket) => {
    if (error.code !== 'ERR_HTTP_REQUEST_TIMEOUT' || parserSpent(socket)) return;
    const answerStarted = (socket as Socket & { _httpMessage?: { headersSent: boolean } })._httpMessage?.headersSent;
    if (socket.bytesRead === 0 || answerStarted || !socket.writable) return void socket.destroy();
    answerAndClose(socket, rawErrorResponse(408, message));
  });
}

function capConnections(server: Server, limits: ConnectionLimits, logger: Logger): void {
  const perAddress = new Map<string, number>();
  let open = 0;
  let refusedSinceLog = 0;
  const overall = rawErrorResponse(503, messages.tooManyConnections(limits.maxConnections), { 'Retry-After': '1' });
  const fromOneAddress = rawErrorResponse(503, messages.tooManyConnectionsFromAddress(limits.maxConnectionsPerAddress), { 'Retry-After': '1' });

  const refuse = (socket: Socket, response: string) => {
    answerAndClose(socket, response);
    if (refusedSinceLog++ > 0) return;
    setTimeout(() => {
      logger.warn({ refused: refusedSinceLog, open, maxConnections: limits.maxConnections, maxConnectionsPerAddress: limits.maxConnectionsPerAddress }, 'refused connections over the cap');
      refusedSinceLog = 0;
    }, REFUSAL_LOG_INTERVAL_MS).unref();
  };

  const admit = (socket: unknown): boolean => {
    // A connection continued after a repaired request is a socket already let in.
    if (!(socket instanceof Socket)) return true;
    const address = socket.remoteAddress ?? '';
    const fromAddress = perAddress.get(address) ?? 0;
    const overCap = open >= limits.maxConnections ? overall : limits.maxConnectionsPerAddress > 0 && fromAddress >= limits.maxConnectionsPerAddress ? fromOneAddress : null;
    if (overCap) {
      refuse(socket, overCap);
      return false;
    }
    open++;
    perAddress.set(address, fromAddress + 1);
    socket.once('close', () => {
      open--;
      const left = perAddress.get(address)! - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    });
    return true;
  };
  // Node's own 'connection' listener sets up HTTP on a connection; it hears only of those let in.
  // (Taking that listener out and calling it from ours instead broke the Redis-freeze fault test:
  // connections reset mid-request. Filtering the event leaves Node's listener as it was.)
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = ((event: string | symbol, ...args: unknown[]) => (event === 'connection' && !admit(args[0]) ? true : emit(event, ...args))) as typeof server.emit;
}

/** An HTTP server for `app` that holds every connection to the limits. */
export function createLimitedServer(app: RequestListener, limits: ConnectionLimits, logger: Logger): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: CHECK_INTERVAL_MS,
    },
    app,
  );
  answerTimeouts(server, limits);
  capConnections(server, limits, logger);
  return server;
}
