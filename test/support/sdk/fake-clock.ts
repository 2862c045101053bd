// Drives a call to its end under vi.useFakeTimers(): each turn lets pending work run, then jumps
// the fake clock to the next timer (a backoff wait, an attempt's time limit). No test sleeps.
import { vi } from 'vitest';

export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settle<T>(promise: Promise<T>, maxTurns = 200): Promise<Settled<T>> {
  let result: Settled<T> | undefined;
  promise.then(
    (value) => (result = { ok: true, value }),
    (error: unknown) => (result = { ok: false, error }),
  );
  for (let turn = 0; result === undefined; turn += 1) {
    if (turn === maxTurns) throw new Error(`settle: the call had not settled after ${maxTurns} timers`);
    await vi.advanceTimersToNextTimerAsync();
  }
  return result;
}

/** The failure of a call that must fail. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  const result = await settle(promise);
  if (result.ok) throw new Error('expected the call to fail, it succeeded');
  return result.error;
}
