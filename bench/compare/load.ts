// One autocannon run against a URL: throughput and latency, and how many answers were not the
// status the scenario expects (a run whose requests failed measures nothing, so it is refused).
import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  /** How long the run took, as timed here. */
  seconds: number;
  p50: number;
  p99: number;
  requests: number;
  unexpected: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  method: 'GET' | 'POST' | 'DELETE';
  /** Called for every request: its path and headers (and body), e.g. a fresh session to delete. */
  next: () => { path: string; headers?: Record<string, string>; body?: string };
  expectedStatus: number;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  let unexpected = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        requests: [{ method: options.method, setupRequest: (request) => ({ ...request, ...options.next() }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        const seconds = (performance.now() - started) / 1000;
        resolve({
          // Over the whole run, as timed here: autocannon's per-second average leaves out a part second.
          requestsPerSecond: result.requests.total / seconds,
          seconds,
          p50: result.latency.p50,
          p99: result.latency.p99,
          requests: result.requests.total,
          unexpected: unexpected + result.errors + result.timeouts,
        });
      },
    );
    instance.on('response', (_client, statusCode) => {
      if (statusCode !== options.expectedStatus) unexpected++;
    });
  });
}
