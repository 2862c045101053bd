// Where the CPU went during a load, from Linux's own accounting: each process's user + system time
// (/proc/<pid>/stat) and how busy one core was (/proc/stat), read before and after.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // gone
  }
}

/** Milliseconds of CPU (user + system) the process has used so far, or null once it has exited. */
export function cpuMs(pid: number): number | null {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND : null;
}

export function parentOf(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? Number(fields[1]) : null;
}

/** The process and its direct children (a postmaster's backends and workers). */
export function withChildren(pid: number): number[] {
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((child) => parentOf(child) === pid);
  return [pid, ...children];
}

/** Milliseconds the core spent busy and in all, so far (idle and iowait count as not busy). */
export function coreMs(cpu: number): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith(`cpu${cpu} `));
  if (!line) throw new Error(`/proc/stat has no cpu${cpu}`);
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3]! + ticks[4]!;
  return { busy: ((total - idle) * 1000) / TICKS_PER_SECOND, total: (total * 1000) / TICKS_PER_SECOND };
}

/**
 * CPU milliseconds a group of processes used between start() and stop(). `pids` is asked again at
 * stop, so processes born in between (new database backends) count in full; one that both started
 * and ended in between is missed (a pool keeps its connections, so under load there are none).
 */
export function cpuMeter(pids: () => number[]): { stop(): number } {
  const before = new Map(pids().map((pid) => [pid, cpuMs(pid) ?? 0]));
  return {
    stop() {
      let used = 0;
      for (const pid of new Set([...before.keys(), ...pids()])) {
        const now = cpuMs(pid);
        if (now !== null) used += now - (before.get(pid) ?? 0);
      }
      return used;
    },
  };
}
