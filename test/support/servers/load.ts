// Steady traffic for fault tests: a few workers send requests back to back until told to stop (or
// until a hard cap, so a test that fails half-way still ends). Every outcome is recorded with its
// timing, a request that gets no answer within the deadline included, so a test can prove that
// nothing hung and that every failure was a documented one.

export interface Outcome {
  /** 0 when no HTTP response came: the connection failed, or the deadline passed. */
  status: number;
  headers: Headers | null;
  body: any;
  /** What went wrong when there was no response. */
  failure?: string;
  startedAt: number;
  ms: number;
  /** Free-form tag of what was asked, for the test's own bookkeeping. */
  label: string;
  url: string;
}

export interface LoadRequest {
  url: string;
  init?: RequestInit;
  label: string;
}

export interface Load {
  outcomes: Outcome[];
  /** Outcomes that started at or after `since` (performance.now() milliseconds). */
  since(since: number): Outcome[];
  stop(): Promise<void>;
}

export const REQUEST_DEADLINE_MS = 10_000;
const HARD_CAP_MS = 120_000;

export async function send({ url, init, label }: LoadRequest): Promise<Outcome> {
  const startedAt = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // kept as text: an assertion will show it
    }
    return { status: response.status, headers: response.headers, body, startedAt, ms: performance.now() - startedAt, label, url };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const failure = `${(error as Error).name}: ${(error as Error).message}${cause?.code ? ` (${cause.code})` : ''}`;
    return { status: 0, headers: null, body: null, failure, startedAt, ms: performance.now() - startedAt, label, url };
  }
}

/** Starts `workers` loops, each sending `next(i)` for i = 0, 1, 2, … */
export function startLoad(workers: number, next: (worker: number, i: number) => LoadRequest): Load {
  const outcomes: Outcome[] = [];
  let stopped = false;
  const capped = setTimeout(() => (stopped = true), HARD_CAP_MS);
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let i = 0; !stopped; i++) {
      outcomes.push(await send(next(worker, i)));
      // A refused connection fails at once; a short pause keeps a dead instance from spinning the loop.
      if (outcomes.at(-1)!.status === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  return {
    outcomes,
    since: (since) => outcomes.filter((outcome) => outcome.startedAt >= since),
    async stop() {
      stopped = true;
      clearTimeout(capped);
      await Promise.all(loops);
    },
  };
}
