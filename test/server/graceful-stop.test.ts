// Stopping the in-process server with keep-alive clients attached: it finishes what is in flight
// and then goes at once, instead of waiting for clients to drop connections they keep for reuse.
import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../support/servers/test-server.js';

/** Well below the keep-alive timeout (5 s) and the grace period (2 s in tests). */
const PROMPT_MS = 1_000;

describe('a graceful stop with keep-alive clients', () => {
  it('closes a connection that is idle when the stop begins', async () => {
    const server = await startTestServer();
    const agent = new Agent({ keepAlive: true });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        request(`${server.url}/healthz`, { agent }, (res) => res.resume().on('end', () => resolve(res.statusCode!))).on('error', reject).end();
      });
      expect(status).toBe(200);
      const started = performance.now();
      await server.close();
      expect(performance.now() - started).toBeLessThan(PROMPT_MS);
    } finally {
      agent.destroy();
    }
  });

  it('answers a request in flight when the stop begins, then closes its connection at once', async () => {
    const server = await startTestServer();
    const { token } = await server.team();
    const agent = new Agent({ keepAlive: true });
    try {
      const body = JSON.stringify({ searchCriteria: { query: 'AZ' }, options: { take: 1 } });
      let answered = 0;
      const response = new Promise<number>((resolve, reject) => {
        const req = request(
          `${server.url}/api/v1/property/search`,
          { method: 'POST', agent, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
          (res) => res.resume().on('end', () => ((answered = performance.now()), resolve(res.statusCode!))),
        );
        req.on('error', reject);
        // Headers and half the body now; the rest once the stop has begun.
        req.write(body.slice(0, 10));
        setTimeout(() => {
          stopped = server.close();
          setTimeout(() => req.end(body.slice(10)), 50);
        }, 50);
      });
      let stopped: Promise<void> | undefined;
      expect(await response).toBe(200);
      await stopped;
      expect(performance.now() - answered).toBeLessThan(PROMPT_MS);
    } finally {
      agent.destroy();
    }
  });
});
