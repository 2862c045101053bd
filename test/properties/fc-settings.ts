// One seed for every property in a run, fixed unless FC_SEED says otherwise, and printed, so a
// failure seen anywhere can be replayed exactly:
//   FC_SEED=<seed> npx vitest run test/properties                     the same cases again
//   FC_SEED=<seed> FC_PATH=<path> npx vitest run test/properties/<file>   straight to the counterexample
// (fast-check prints both values with a failure). FC_SEED=random draws a new seed, to explore;
// FC_RUNS scales the number of cases.
import fc from 'fast-check';

const DEFAULT_SEED = 20_261_129;

function seedFromEnvironment(): number {
  const requested = process.env.FC_SEED;
  if (requested === undefined || requested === '') return DEFAULT_SEED;
  if (requested === 'random') return Date.now() ^ (Math.random() * 0x7fffffff);
  const seed = Number(requested);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer or "random" (got "${requested}")`);
  return seed;
}

export const SEED = seedFromEnvironment();
export const PROPERTY_TIME_LIMIT_MS = 50_000;
/** For the `it` running a property: room for the property's own limit, so that one reports. */
export const PROPERTY_TEST_TIMEOUT_MS = PROPERTY_TIME_LIMIT_MS + 30_000;
const RUN_SCALE = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 1;

/** fast-check parameters for one property of `numRuns` cases (before FC_RUNS scaling). */
export function propertyParameters<T>(name: string, numRuns: number): fc.Parameters<T> {
  const runs = Math.max(1, Math.round(numRuns * RUN_SCALE));
  console.log(`[fast-check] ${name}: seed ${SEED}, ${runs} runs. Replay: FC_SEED=${SEED} npx vitest run test/properties`);
  return {
    seed: SEED,
    numRuns: runs,
    ...(process.env.FC_PATH ? { path: process.env.FC_PATH, endOnFailure: true } : {}),
    // Cases and the shrinking of a failure both run against a live server: bounded, and a run cut
    // short fails rather than passing on fewer cases than it claims.
    interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS,
    markInterruptAsFailure: true,
  };
}
