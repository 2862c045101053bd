// Services a test starts itself on loopback: a free port to bind, and waiting for what becomes true
// by itself.

// A loopback port nobody listens on right now, for a service a test starts itself. The port is
// released before the service binds it; on a test machine the window for someone else to take it
// is small enough.
import { createServer } from 'node:net';

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

// Polling for a condition that becomes true by itself (a purge finishing, a service recovering).
/** Resolves once `condition` holds, polling; rejects with `message` after `timeoutMs`. */
export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
