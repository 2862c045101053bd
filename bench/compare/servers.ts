// The servers the benchmarks drive, each alone in its own process on SERVER_CPU: the floors, which
// answer the bytes captured from our server for the operation measured, and our server itself.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../server/spec.js';
import { spawnNodeServer, type ServerProcess } from '../../test/support/servers/server-process.js';
import { SERVER_CPU, spawnServerUnderLoad } from '../support.js';
import type { Operation } from './operations.js';

export type Kind = 'a' | 'b' | 'c' | 'd';
export const KINDS: Kind[] = ['a', 'b', 'c', 'd'];
export const NAMES: Record<Kind, string> = {
  a: '(a) node:http, the runtime limit',
  b: '(b) bare Express 5',
  c: '(c) Express 5 + express-openapi-validator, the floor',
  d: '(d) our server on SQLite',
};
const FLOOR_SCRIPTS: Record<Exclude<Kind, 'd'>, string> = { a: 'bare-node', b: 'bare-express', c: 'validated-express' };

/**
 * Starts a server: ours on the SQLite file, or a floor answering the body in `bodyFile` (see
 * captureBody). `nodeArgs` go to node, e.g. the CPU profiler's.
 */
export function startServer(kind: Kind, target: { dbPath: string; bodyFile: string }, nodeArgs: string[] = []): Promise<ServerProcess> {
  if (kind === 'd') return spawnServerUnderLoad(target.dbPath, nodeArgs);
  const script = join(PACKAGE_ROOT, 'dist', 'bench', 'servers', `${FLOOR_SCRIPTS[kind]}.js`);
  return spawnNodeServer(script, { FLOOR_BODY_FILE: target.bodyFile }, { cpu: SERVER_CPU, nodeArgs });
}

/** Sends the operation's next request to our server and writes its 200 body where a floor reads it. */
export async function captureBody(ours: ServerProcess, operation: Operation, bodyFile: string): Promise<number> {
  const { path, headers, body } = operation.next();
  const response = await fetch(`${ours.url}${path}`, { method: operation.method, headers, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) throw new Error(`${operation.key}: ${response.status} ${bytes}`);
  writeFileSync(bodyFile, bytes);
  return bytes.length;
}
