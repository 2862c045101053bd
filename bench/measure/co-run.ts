// Two servers side by side on the same core, under the same load at the same moments: whatever else
// the machine is doing falls on both alike. Each one's CPU time per request is read from /proc, so
// the load generator's share is not counted; their ratio is the figure this machine's drifting speed
// (a factor of two within a minute) leaves alone, where servers measured in turn cannot promise
// that at the level of a few percent.
import type { ServerProcess } from '../../test/support/servers/server-process.js';
import { runLoad, type LoadOptions } from '../compare/load.js';
import { cpuMeter } from './process-cpu.js';

export interface CoRunSide {
  server: ServerProcess;
  next: LoadOptions['next'];
}

export interface CoRunOptions {
  method: LoadOptions['method'];
  rounds: number;
  seconds: number;
  connections: number;
}

/** CPU µs per request of each side, round by round, and `ours ÷ base` per round. */
export interface CoRunResult {
  base: number[];
  ours: number[];
  ratios: number[];
}

export async function coRun(base: CoRunSide, ours: CoRunSide, options: CoRunOptions): Promise<CoRunResult> {
  const load = (side: CoRunSide) =>
    runLoad({ url: side.server.url, connections: options.connections, durationSeconds: options.seconds, method: options.method, next: side.next, expectedStatus: 200 });
  const result: CoRunResult = { base: [], ours: [], ratios: [] };
  for (let round = 0; round < options.rounds; round++) {
    // taskset execs node: the pid is the server's own.
    const meters = [cpuMeter(() => [base.server.child.pid!]), cpuMeter(() => [ours.server.child.pid!])] as const;
    const [onBase, onOurs] = await Promise.all([load(base), load(ours)]);
    if (onBase.unexpected + onOurs.unexpected > 0 || onBase.requests === 0 || onOurs.requests === 0) {
      throw new Error(`co-run: answers that were not 200: ${onBase.unexpected} (base) and ${onOurs.unexpected} (ours), of ${onBase.requests} and ${onOurs.requests}`);
    }
    const baseUs = (meters[0].stop() * 1000) / onBase.requests;
    const oursUs = (meters[1].stop() * 1000) / onOurs.requests;
    result.base.push(baseUs);
    result.ours.push(oursUs);
    result.ratios.push(oursUs / baseUs);
  }
  return result;
}
