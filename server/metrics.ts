// Metrics for operators at GET /metrics, in Prometheus text format (prom-client), outside the API,
// its auth and its spec, like /healthz and /readyz.
//
// Per request the server only bumps plain numbers, labelled by operationId and status, never by the
// raw path or anything that names a team: prom-client's own labelled inc() and observe() cost ~3 µs
// a request (they validate and hash the labels each time), a visible share of a DELETE. The numbers
// are turned into prom-client's samples when Prometheus scrapes. The store's totals (sessions,
// delivered rows, purge backlog) are read at the scrape too: sums over every team, never per team,
// so an unauthenticated scrape cannot enumerate tenants.
import { Counter, Gauge, Registry, collectDefaultMetrics, type MetricValue } from 'prom-client';
import type { OperationalRoutes } from './operational.js';
import type { Store } from './store/store.js';

/** Seconds; a DELETE is well under a millisecond, a large session page tens of milliseconds. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** The label of a request no operation matched (unknown path, /healthz, /docs, /metrics…). */
const NO_OPERATION = 'none';

class OperationStats {
  readonly countByStatus = new Map<number, number>();
  readonly bucketCounts = new Float64Array(LATENCY_BUCKETS.length);
  count = 0;
  sumSeconds = 0;

  observe(status: number, seconds: number): void {
    this.countByStatus.set(status, (this.countByStatus.get(status) ?? 0) + 1);
    this.count += 1;
    this.sumSeconds += seconds;
    // Counted in the first bucket that holds it; made cumulative when scraped.
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) {
      if (seconds <= LATENCY_BUCKETS[i]!) {
        this.bucketCounts[i]! += 1;
        break;
      }
    }
  }
}

/** A prom-client metric whose samples are computed at the scrape from our own numbers. */
function scrapedMetric(name: string, help: string, type: 'counter' | 'histogram', values: () => MetricValue<string>[]) {
  return {
    name,
    help,
    type,
    // What the registry reads from any metric when it writes the text format.
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
  };
}

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly operations = new Map<string, OperationStats>();
  private readonly storeErrors: Counter<'source'>;

  constructor(store: Store) {
    collectDefaultMetrics({ register: this.registry, prefix: 'batchdata_' });
    const register = (metric: ReturnType<typeof scrapedMetric>) => this.registry.registerMetric(metric as never);
    register(
      scrapedMetric('batchdata_http_requests_total', 'Requests answered, by operationId ("none": no operation matched) and status.', 'counter', () =>
        [...this.operations].flatMap(([operation, stats]) =>
          [...stats.countByStatus].map(([status, value]) => ({ labels: { operation, status: String(status) }, value })),
        ),
      ),
    );
    register(
      scrapedMetric('batchdata_http_request_duration_seconds', 'Time from the request to the end of its response, by operationId.', 'histogram', () =>
        [...this.operations].flatMap(([operation, stats]) => {
          let cumulative = 0;
          return [
            ...LATENCY_BUCKETS.map((le, i) => ({
              metricName: 'batchdata_http_request_duration_seconds_bucket',
              labels: { operation, le: String(le) },
              value: (cumulative += stats.bucketCounts[i]!),
            })),
            { metricName: 'batchdata_http_request_duration_seconds_bucket', labels: { operation, le: '+Inf' }, value: stats.count },
            { metricName: 'batchdata_http_request_duration_seconds_sum', labels: { operation }, value: stats.sumSeconds },
            { metricName: 'batchdata_http_request_duration_seconds_count', labels: { operation }, value: stats.count },
          ];
        }),
      ),
    );
    register(
      scrapedMetric('batchdata_rate_limit_refusals_total', 'Requests refused with 429: a token over its rate limit, or an address with too many failed authentications.', 'counter', () => [
        { labels: {}, value: [...this.operations.values()].reduce((sum, stats) => sum + (stats.countByStatus.get(429) ?? 0), 0) },
      ]),
    );
    this.storeErrors = new Counter({
      name: 'batchdata_store_errors_total',
      help: 'Store failures: "request" (answered 503: the database or Redis could not answer), "purge" (a purge batch failed; retried), "idle_connection" (a pooled PostgreSQL connection broke while idle), "file_lost" (the SQLite database file was deleted or replaced; writes are refused).',
      labelNames: ['source'],
      registers: [this.registry],
    });
    // Present from the start at 0, so a rate() over them works before the first failure.
    for (const source of ['request', 'purge', 'idle_connection', 'file_lost']) this.storeErrors.inc({ source }, 0);

    // One store query per scrape feeds all three gauges.
    let pending: ReturnType<Store['stats']> | null = null;
    const stats = () => (pending ??= store.stats().finally(() => setImmediate(() => (pending = null))));
    const gauge = (name: string, help: string, read: (totals: Awaited<ReturnType<Store['stats']>>) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          // A store that cannot answer leaves the gauge at its last value; /readyz reports the outage.
          await stats().then((totals) => this.set(read(totals)), () => undefined);
        },
      });
    gauge('batchdata_sessions', 'Search sessions that exist now, over every team.', (totals) => totals.sessions);
    gauge('batchdata_delivered_rows', 'Delivered-property rows held by existing sessions, over every team.', (totals) => totals.deliveredRows);
    gauge('batchdata_purge_backlog_sessions', 'Deleted sessions whose delivered rows are still waiting for the background purge.', (totals) => totals.purgeBacklog);
  }

  /** Per request, once its response has finished: a map lookup and a few additions. */
  observeRequest(operationId: string | undefined, status: number, seconds: number): void {
    const operation = operationId ?? NO_OPERATION;
    let stats = this.operations.get(operation);
    if (!stats) this.operations.set(operation, (stats = new OperationStats()));
    stats.observe(status, seconds);
    if (status === 503 && operationId) this.storeErrors.inc({ source: 'request' });
  }

  storeError(source: 'purge' | 'idle_connection' | 'file_lost'): void {
    this.storeErrors.inc({ source });
  }

  routes(): OperationalRoutes {
    return {
      '/metrics': async (_req, res) => {
        const body = await this.registry.metrics();
        res.set({ 'Content-Type': this.registry.contentType, 'Cache-Control': 'no-store' }).send(body);
      },
    };
  }
}
