// Liveness and readiness for load balancers and orchestrators, outside the API and its spec.
import { Router } from 'express';
import type { Store } from './store/store.js';

export function healthRoutes(store: Store): Router {
  const router = Router({ caseSensitive: true, strict: true });
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await store.ping();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).set('Retry-After', '5').json({ status: 'unavailable', reason: 'The data store is unreachable.' });
    }
  });
  return router;
}
