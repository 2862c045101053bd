// Is a series of samples levelling off or growing? The least-squares slope says how fast it moves
// (per minute); the verdict compares the median of the last third of the run with the median of
// the middle third, so a warm-up (caches filling, the idempotency window filling) is not growth, a
// sawtooth (the heap between collections) is not either, and a straight line is.

export interface Sample {
  /** Minutes since the load started. */
  minute: number;
  value: number;
}

export function slopePerMinute(samples: readonly Sample[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const meanX = samples.reduce((sum, s) => sum + s.minute, 0) / n;
  const meanY = samples.reduce((sum, s) => sum + s.value, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const { minute, value } of samples) {
    numerator += (minute - meanX) * (value - meanY);
    denominator += (minute - meanX) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

/** true when the last third's median stays within `tolerance` (relative) plus `slack` (absolute) of the middle third's. */
export function levelsOff(samples: readonly Sample[], tolerance: number, slack: number): boolean {
  const third = Math.floor(samples.length / 3);
  if (third === 0) return true;
  const median = (part: readonly Sample[]) => [...part.map((s) => s.value)].sort((a, b) => a - b)[Math.floor(part.length / 2)]!;
  return median(samples.slice(2 * third)) <= median(samples.slice(third, 2 * third)) * (1 + tolerance) + slack;
}
