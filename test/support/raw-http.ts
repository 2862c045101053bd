// Sends bytes exactly as given, the way a client that does not encode its paths would, and reads
// back one HTTP/1.1 response. fetch and curl would encode or normalise the very things under test.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  text: string;
}

export function rawRequest(baseUrl: string, requestTarget: string | Buffer, options: { method?: string; token?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const headerLines = Object.entries({ Host: `${hostname}:${port}`, Connection: 'close', ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}), ...options.headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const request = Buffer.concat([
    Buffer.from(`${options.method ?? 'DELETE'} `),
    Buffer.isBuffer(requestTarget) ? requestTarget : Buffer.from(requestTarget, 'utf8'),
    Buffer.from(` HTTP/1.1\r\n${headerLines}\r\n`),
  ]);
  return new Promise((resolve, reject) => {
    // Written, not ended: a server that answers after a round trip to its database would see the
    // half-close first, and Node's HTTP server drops a request whose client has stopped sending.
    // Connection: close makes the server end the socket once it has answered.
    const socket = connect(Number(port), hostname, () => socket.write(request));
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
