// Node's HTTP parser refuses a request line holding a raw space, tab, control byte or non-ASCII
// byte, and by default answers with an empty 400. A client that does not encode its path sends
// exactly that for a session id like `a b` or `é`. The contract wants the same JSON answer as for
// the encoded form, after the same checks (a request without a token is still a 401 first).
//
// So the refused request line is repaired: each byte the parser refused is percent-encoded, and the
// repaired request is handed back to the same server as a new connection. It then takes the one
// path every request takes. What cannot be repaired gets a JSON 400 written directly.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { messages } from './messages.js';
import { newRequestId } from './request-id.js';
import { errorEnvelope } from './send-error.js';

const HEAD_END = Buffer.from('\r\n\r\n');
const VERSION_MARK = Buffer.from(' HTTP/');

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

function answerUnparseable(socket: Socket): void {
  const requestId = newRequestId();
  const body = JSON.stringify(errorEnvelope(400, messages.malformedRequest, requestId));
  socket.end(
    'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `X-Request-Id: ${requestId}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** A one-request connection that reads the repaired bytes and writes to the original socket. */
function replayConnection(socket: Socket, request: Buffer): Duplex {
  const connection = new Duplex({
    read() {},
    write(chunk, _encoding, callback) {
      socket.write(chunk, callback);
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  Object.assign(connection, { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort });
  socket.once('close', () => connection.destroy());
  connection.push(request);
  return connection;
}

const REPLAYED = Symbol('replayed');

export function repairRefusedRequests(server: Server): void {
  server.on('clientError', (error: Error & { code?: string; rawPacket?: Buffer }, socket: Socket) => {
    if (!socket.writable) return void socket.destroy();
    const repaired = error.code === 'HPE_INVALID_URL' || error.code === 'HPE_INVALID_CONSTANT'
      ? error.rawPacket && repairRequestLine(error.rawPacket)
      : null;
    // A replayed request that still fails is answered directly rather than repaired forever.
    if (!repaired || (socket as Socket & { [REPLAYED]?: true })[REPLAYED]) return answerUnparseable(socket);
    const connection = replayConnection(socket, repaired);
    Object.assign(connection, { [REPLAYED]: true });
    server.emit('connection', connection);
  });
  // The original socket's parser is spent, so a replayed request's connection closes after it.
  server.on('request', (req, res) => {
    if ((req.socket as Socket & { [REPLAYED]?: true })[REPLAYED]) res.setHeader('Connection', 'close');
  });
}
