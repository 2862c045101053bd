// Node's HTTP parser refuses a request line holding a raw space, tab, control byte or non-ASCII
// byte, and by default answers with an empty 400. A client that does not encode its path sends
// exactly that for a session id like `a b` or `é`. The contract wants the same JSON answer as for
// the encoded form, after the same checks (a request without a token is still a 401 first).
//
// So the refused request line is repaired: each byte the parser refused is percent-encoded, and the
// rest of the connection, from the refused request on, is handed to a new parser of the same
// server. It then takes the one path every request takes.
//
// The refusal comes with the whole chunk the parser was reading, and a client that pipelines sends
// several requests in one chunk: those before the refused one were already parsed and dispatched.
// Replaying them would run each twice (a session page delivered and billed again, a delete run
// twice) and their answers would be lost. So the refused request is located exactly: the chunk is
// framed request by request, and the framing must agree with the requests Node dispatched from that
// chunk (same count, same method and target). When it does not, nothing is replayed and the
// connection gets a JSON 400. Anything the new parser writes waits until the answers to the requests
// dispatched before it are written, so pipelined answers keep their order.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { badRequest } from './validation.js';
import { rawErrorResponse } from './errors.js';

const HEAD_END = Buffer.from('\r\n\r\n');
const VERSION_MARK = Buffer.from(' HTTP/');
const CR = 0x0d;
const LF = 0x0a;

/** The request with its target's refused bytes percent-encoded, or null if it is no request line. */
export function repairRequestLine(raw: Buffer): Buffer | null {
  const lineEnd = raw.indexOf('\r\n');
  if (lineEnd === -1 || raw.indexOf(HEAD_END) === -1) return null;
  const line = raw.subarray(0, lineEnd);
  const targetStart = line.indexOf(0x20) + 1;
  const targetEnd = line.lastIndexOf(VERSION_MARK);
  if (targetStart === 0 || targetEnd < targetStart) return null;
  let target = '';
  for (const byte of line.subarray(targetStart, targetEnd)) {
    target += byte > 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return Buffer.concat([line.subarray(0, targetStart), Buffer.from(target, 'latin1'), line.subarray(targetEnd), raw.subarray(lineEnd)]);
}

interface DispatchedRequest {
  method: string;
  url: string;
}

/** Where the body of a request whose head ends at `bodyStart` ends, or null if not in `raw`. */
function bodyEnd(raw: Buffer, head: string, bodyStart: number): number | null {
  if (/^transfer-encoding:[^\r]*chunked/im.test(head)) {
    let at = bodyStart;
    for (;;) {
      const sizeEnd = raw.indexOf('\r\n', at);
      if (sizeEnd === -1) return null;
      const size = Number.parseInt(raw.toString('latin1', at, sizeEnd).split(';')[0]!.trim(), 16);
      if (Number.isNaN(size)) return null;
      if (size === 0) {
        // The last chunk, then trailer fields, then an empty line.
        const trailersEnd = raw.subarray(sizeEnd, sizeEnd + 4).equals(HEAD_END) ? sizeEnd : raw.indexOf(HEAD_END, sizeEnd + 2);
        return trailersEnd === -1 ? null : trailersEnd + 4;
      }
      at = sizeEnd + 2 + size + 2;
      if (at > raw.length) return null;
    }
  }
  const length = /^content-length:\s*(\d+)\s*$/im.exec(head);
  const end = bodyStart + (length ? Number(length[1]) : 0);
  return end <= raw.length ? end : null;
}

/**
 * Where the refused request starts in the chunk, given where the parser stopped and the requests
 * it dispatched from that chunk; null when the chunk cannot be framed to agree with them.
 */
export function refusedRequestStart(raw: Buffer, errorAt: number, dispatched: readonly DispatchedRequest[]): number | null {
  let at = 0;
  for (let index = 0; ; index++) {
    // The parser skips empty lines between requests.
    while (raw[at] === CR || raw[at] === LF) at++;
    const lineEnd = raw.indexOf(LF, at);
    if (errorAt >= at && (lineEnd === -1 || errorAt < lineEnd)) return index === dispatched.length ? at : null;
    const expected = dispatched[index];
    const headEnd = raw.indexOf(HEAD_END, at);
    if (!expected || headEnd === -1) return null;
    const head = raw.toString('latin1', at, headEnd);
    if (!head.startsWith(`${expected.method} ${expected.url} HTTP/`)) return null;
    const next = bodyEnd(raw, head, headEnd + 4);
    if (next === null) return null;
    at = next;
  }
}

/** What this module knows about one connection; kept on the connection itself. */
interface Ledger {
  /** The connection's bytesRead while the requests below were dispatched: one chunk's worth. */
  chunkMark: number;
  chunkRequests: DispatchedRequest[];
  /** The answer to the latest request dispatched; answers on a connection finish in order. */
  lastResponse: ServerResponse | null;
  /** Set once this connection's parser has refused a request: it reads nothing more. */
  spent: boolean;
}

const LEDGER = Symbol('refused-request-ledger');
type Connection = Duplex & { bytesRead: number; [LEDGER]?: Ledger };

function ledgerOf(connection: Connection): Ledger {
  return (connection[LEDGER] ??= { chunkMark: -1, chunkRequests: [], lastResponse: null, spent: false });
}

/** Runs `then` once the answers to every request already dispatched on the connection are written. */
function afterDispatchedAnswers(ledger: Ledger, then: () => void): void {
  const last = ledger.lastResponse;
  if (!last || last.writableFinished || last.destroyed) return then();
  last.once('close', then);
}

/**
 * The rest of a connection after a refused request, read by a new parser of the same server: the
 * repaired bytes first, then whatever the client sends next. Writes, ends and timeouts go to the
 * original socket.
 */
class ContinuedConnection extends Duplex {
  bytesRead = 0;
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly remoteFamily: string | undefined;

  constructor(private readonly socket: Connection) {
    super({ allowHalfOpen: true });
    this.remoteAddress = (socket as Socket).remoteAddress;
    this.remotePort = (socket as Socket).remotePort;
    this.remoteFamily = (socket as Socket).remoteFamily;
    socket.on('timeout', () => this.emit('timeout'));
    socket.once('close', () => this.destroy());
  }

  feed(bytes: Buffer | null): void {
    if (bytes) this.bytesRead += bytes.length;
    this.push(bytes);
  }

  setTimeout(ms: number): this {
    (this.socket as Socket).setTimeout?.(ms);
    return this;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, callback);
  }

  override _final(callback: () => void): void {
    this.socket.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}

function continueConnection(server: Server, socket: Connection, repaired: Buffer, ledger: Ledger): void {
  const continued = new ContinuedConnection(socket);
  continued.feed(repaired);
  // Adding a data listener takes the socket's bytes away from its spent parser.
  socket.on('data', (chunk: Buffer) => continued.feed(chunk));
  socket.once('end', () => continued.feed(null));
  afterDispatchedAnswers(ledger, () => {
    // The spent parser set the keep-alive timeout after its last answer; the continuation sets its own.
    (socket as Socket).setTimeout?.(0);
    server.emit('connection', continued);
  });
}

const REPAIRABLE = new Set(['HPE_INVALID_URL', 'HPE_INVALID_CONSTANT']);
/** Refusals another module answers. */
const NOT_OURS = new Set(['ERR_HTTP_REQUEST_TIMEOUT']);

type ParseError = Error & { code?: string; rawPacket?: Buffer; bytesParsed?: number };

/** The rest of the chunk from the refused request on, its request line repaired; or null. */
function repairedRest(error: ParseError, connection: Connection, ledger: Ledger): Buffer | null {
  const raw = error.rawPacket;
  if (!raw || !REPAIRABLE.has(error.code ?? '') || error.bytesParsed === undefined) return null;
  const dispatched = ledger.chunkMark === connection.bytesRead ? ledger.chunkRequests : [];
  const start = refusedRequestStart(raw, error.bytesParsed, dispatched);
  if (start === null) return null;
  const refused = raw.subarray(start);
  const repaired = repairRequestLine(refused);
  // A line the repair leaves unchanged would be refused again, for ever.
  return repaired && !repaired.equals(refused) ? repaired : null;
}

/** Whether the connection's parser refused a request: its later timeouts are not the client's. */
export function parserSpent(connection: Duplex): boolean {
  return (connection as Connection)[LEDGER]?.spent === true;
}

export function repairRefusedRequests(server: Server): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const connection = req.socket as Connection;
    const ledger = ledgerOf(connection);
    if (ledger.chunkMark !== connection.bytesRead) {
      ledger.chunkMark = connection.bytesRead;
      ledger.chunkRequests = [];
    }
    ledger.chunkRequests.push({ method: req.method!, url: req.url! });
    ledger.lastResponse = res;
  });

  server.on('clientError', (error: ParseError, socket: Socket) => {
    if (NOT_OURS.has(error.code ?? '')) return;
    const connection = socket as unknown as Connection;
    const ledger = ledgerOf(connection);
    // A spent parser refuses every later chunk too; those bytes now belong to the continuation.
    if (ledger.spent) return;
    ledger.spent = true;
    if (!socket.writable) return void socket.destroy();
    const repaired = repairedRest(error, connection, ledger);
    if (repaired) return continueConnection(server, connection, repaired, ledger);
    afterDispatchedAnswers(ledger, () => socket.end(rawErrorResponse(400, badRequest.malformedRequest)));
  });
}
