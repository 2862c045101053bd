import { describe, expect, it } from 'vitest';
import { selfTimePerRequest } from '../../bench/measure/self-time.js';

const frame = (functionName: string, url: string) => ({ functionName, url });

// Samples 10 µs apart from t=1000: ids 1,2,3,4,2 at t=1010,1020,1030,1040,1050.
const profile = {
  startTime: 1000,
  nodes: [
    { id: 1, callFrame: frame('(garbage collector)', '') },
    { id: 2, callFrame: frame('next', 'file:///app/node_modules/router/index.js') },
    { id: 3, callFrame: frame('deleteSession', 'file:///app/dist/server/store/sqlite/sqlite-store.js') },
    { id: 4, callFrame: frame('validate', 'file:///app/node_modules/@scope/tool/dist/index.js') },
  ],
  samples: [1, 2, 3, 4, 2],
  timeDeltas: [10, 10, 10, 10, 10],
};

describe('selfTimePerRequest', () => {
  it('groups self time by package, scoped package, module of ours or V8 category, per request', () => {
    expect(selfTimePerRequest(profile, { from: 0, to: Infinity }, 2)).toEqual([
      { name: 'router', microseconds: 10 },
      { name: '(garbage collector)', microseconds: 5 },
      { name: 'ours: server/store/sqlite/sqlite-store', microseconds: 5 },
      { name: '@scope/tool', microseconds: 5 },
    ]);
  });

  it('counts only the samples taken within the window', () => {
    expect(selfTimePerRequest(profile, { from: 1015, to: 1045 }, 1)).toEqual([
      { name: 'router', microseconds: 10 },
      { name: 'ours: server/store/sqlite/sqlite-store', microseconds: 10 },
      { name: '@scope/tool', microseconds: 10 },
    ]);
  });
});
