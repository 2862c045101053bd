// Liveness and readiness for load balancers and orchestrators, outside the API and its spec.
// Readiness asks every dependency the server needs to answer (the store, and Redis when the rate
// limit is shared) and names the ones that cannot, so an operator sees which is down.
import type { OperationalRoutes } from './operational-routes.js';
import { StoreUnavailableError } from './store/store-unavailable.js';

export interface ReadinessCheck {
  name: string;
  /** Throws when the dependency cannot answer. */
  ping(): Promise<void>;
}

// "unreachable" unless the store knows better (e.g. its file was deleted): the operator reads why.
const describeFailure = (error: unknown) => (error instanceof StoreUnavailableError && error.detail) || 'unreachable';

export function healthRoutes(checks: readonly ReadinessCheck[]): OperationalRoutes {
  return {
    '/healthz': (_req, res) => {
      res.json({ status: 'ok' });
    },
    '/readyz': async (_req, res) => {
      const results = await Promise.all(
        checks.map(async (check) => [check.name, await check.ping().then(() => 'ok', describeFailure)] as const),
      );
      const ready = results.every(([, state]) => state === 'ok');
      if (!ready) res.status(503).set('Retry-After', '5');
      res.json({ status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) });
    },
  };
}
