// Self time from a V8 .cpuprofile, grouped by where the code lives: a package under node_modules,
// a module of ours, a part of Node itself, or V8's own categories ((garbage collector), (idle)).

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  /** Self time per request, in microseconds. */
  microseconds: number;
}

function placeOf({ functionName, url }: { functionName: string; url: string }): string {
  if (url === '') return functionName.startsWith('(') ? functionName : `(native) ${functionName || '(anonymous)'}`;
  const packagePath = url.split('/node_modules/').at(-1)!;
  if (packagePath !== url) return packagePath.split('/').slice(0, packagePath.startsWith('@') ? 2 : 1).join('/');
  if (url.includes('/dist/')) return `ours: ${url.split('/dist/').at(-1)!.replace(/\.js$/, '')}`;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/')[0]!;
  return url;
}

/** Self time per request for each place, largest first, over the samples taken within [from, to] µs. */
export function selfTimePerRequest(profile: CpuProfile, window: { from: number; to: number }, requests: number): SelfTime[] {
  const places = new Map(profile.nodes.map((node) => [node.id, placeOf(node.callFrame)]));
  const totals = new Map<string, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at < window.from || at > window.to) return;
    const place = places.get(id)!;
    totals.set(place, (totals.get(place) ?? 0) + delta);
  });
  return [...totals]
    .map(([name, total]) => ({ name, microseconds: total / requests }))
    .sort((a, b) => b.microseconds - a.microseconds);
}
