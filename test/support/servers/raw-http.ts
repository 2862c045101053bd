// Sends bytes exactly as given, the way a client that does not encode its paths would, and reads
// back one HTTP/1.1 response. fetch and curl would encode or normalise the very things under test.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  text: string;
}

export function rawRequest(baseUrl: string, requestTarget: string | Buffer, options: { method?: string; token?: string; headers?: Record<string, string>; localAddress?: string; body?: string } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const headerLines = Object.entries({ Host: `${hostname}:${port}`, Connection: 'close', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}), ...options.headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const request = Buffer.concat([
    Buffer.from(`${options.method ?? 'DELETE'} `),
    Buffer.isBuffer(requestTarget) ? requestTarget : Buffer.from(requestTarget, 'utf8'),
    Buffer.from(` HTTP/1.1\r\n${headerLines}\r\n${options.body ?? ''}`),
  ]);
  return new Promise((resolve, reject) => {
    // Written, not ended: a server that answers after a round trip to its database would see the
    // half-close first, and Node's HTTP server drops a request whose client has stopped sending.
    // Connection: close makes the server end the socket once it has answered.
    const socket = connect({ port: Number(port), host: hostname, localAddress: options.localAddress }, () => socket.write(request));
    socket.on('end', () => socket.end());
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const status = Number(statusLine.split(' ')[1]);
      if (!status) return reject(new Error(`no HTTP response: ${JSON.stringify(raw)}`));
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const text = rest.join('\r\n\r\n');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // left as text: the assertion that follows will say what came back
      }
      resolve({ status, headers, body, text });
    });
  });
}

/** Splits bytes read from a connection into the complete responses they hold (Content-Length framed). */
function splitResponses(raw: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const headEnd = raw.indexOf('\r\n\r\n', at);
    if (headEnd === -1) return responses;
    const [statusLine = '', ...lines] = raw.toString('latin1', at, headEnd).split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const end = headEnd + 4 + Number(headers['content-length'] ?? 0);
    if (end > raw.length) return responses;
    const text = raw.toString('utf8', headEnd + 4, end);
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // left as text
    }
    responses.push({ status: Number(statusLine.split(' ')[1]), headers, body, text });
    at = end;
  }
}

/**
 * Writes every request in one write, as a pipelining client does, and collects the responses until
 * `expected` have come or the server closes the connection (at most 10 s).
 */
export function pipelined(baseUrl: string, requests: Buffer[], expected: number): Promise<RawResponse[]> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.write(Buffer.concat(requests)));
    const finish = () => resolve(splitResponses(Buffer.concat(chunks)));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      if (splitResponses(Buffer.concat(chunks)).length >= expected) socket.destroy();
    });
    socket.on('error', reject);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('close', finish);
  });
}

/** One request's bytes, exactly as given (the target is not encoded). */
export function requestBytes(method: string, target: string, headers: Record<string, string>, body?: string): Buffer {
  const fields = { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) }) };
  const head = Object.entries(fields).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return Buffer.concat([Buffer.from(`${method} `), Buffer.from(target, 'utf8'), Buffer.from(` HTTP/1.1\r\n${head}\r\n${body ?? ''}`)]);
}

/**
 * A connection from `localAddress` that sends nothing: what a flood or a pre-opened pool holds. It
 * resolves once connected, or once refused or reset (a flood may get that; callers count who was
 * served, not the flood).
 */
export function openIdleConnection(url: string, localAddress: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress }, () => resolve(socket));
    socket.resume();
    socket.on('error', () => resolve(socket));
  });
}
