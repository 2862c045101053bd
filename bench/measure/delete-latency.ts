// Delete latency through HTTP: an empty session against one with N delivered ids, and the two
// 404s (an id that exists nowhere, one that exists for another team), interleaved. The server must
// run in its own process: its background purge starts right after a delete has answered and must
// never be charged to this client's clock.
import type { Store } from '../../server/store/store.js';
import { checkpoint, fillDelivered, purgeQueue } from '../../test/support/databases/sqlite-fixtures.js';
import { waitFor } from '../../test/support/servers/loopback.js';
import { timedFetch } from '../support.js';

/** Longer than the purge's wake delay and the drain's polling step, so it covers both. */
const QUIET_PAUSE_MS = 150;
const WARM_UPS = 3;

export type DeleteKind = 'empty' | 'full' | 'missing' | 'foreign';

export interface DeleteLatencyOptions {
  url: string;
  token: string;
  store: Store;
  dbPath: string;
  teamId: number;
  rounds: number;
  delivered: number;
}

export async function measureDeleteLatency({ url, token, store, dbPath, teamId, rounds, delivered }: DeleteLatencyOptions): Promise<Record<DeleteKind, number[]>> {
  const other = await store.createTeam(`delete-latency-other-${Date.now()}`);
  const send = (id: string, expected: number) =>
    timedFetch(`${url}/api/v2/property/search-sessions/${id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } }, expected);

  // Each figure is the delete alone: any earlier purge has finished, and an untimed request has
  // absorbed the first read after it (after a 1,000,000-row purge that read costs about 1 ms more,
  // whichever kind of request it is). Every kind also comes after the same quiet pause: waiting
  // for a purge idles the machine, and a request right after idling is slower (about 20% here), so
  // without the pause the kinds that follow a successful delete would be charged for it.
  const timedDelete = async (id: string, expected: number) => {
    await waitFor(() => purgeQueue(dbPath).length === 0, 60_000, 'purge did not drain');
    await new Promise((resolve) => setTimeout(resolve, QUIET_PAUSE_MS));
    for (let i = 0; i < WARM_UPS; i++) await send('untimed-warm-up', 404);
    return send(id, expected);
  };

  const kinds: DeleteKind[] = ['empty', 'full', 'missing', 'foreign'];
  const samples: Record<DeleteKind, number[]> = { empty: [], full: [], missing: [], foreign: [] };
  for (let round = 0; round < rounds + 2; round++) {
    const tag = `${Date.now()}-${round}`;
    await store.createSession(teamId, `empty-${tag}`);
    await store.createSession(teamId, `full-${tag}`);
    fillDelivered(dbPath, teamId, `full-${tag}`, delivered);
    // The fixture writes its rows from outside the server in one go, leaving a WAL of tens of
    // megabytes that whichever request commits next would checkpoint. Deliveries made through the
    // server are checkpointed as they go; this cost is the fixture's, so it is paid here.
    checkpoint(dbPath);
    await store.createSession(other.id, `foreign-${tag}`);
    const expected: Record<DeleteKind, [string, number]> = {
      empty: [`empty-${tag}`, 200],
      full: [`full-${tag}`, 200],
      missing: [`missing-${tag}`, 404],
      foreign: [`foreign-${tag}`, 404],
    };
    // A different kind goes first each round, so no kind is favoured by its position.
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(round + i) % kinds.length]!;
      const ms = await timedDelete(...expected[kind]);
      if (round >= 2) samples[kind].push(ms); // the first two rounds warm up
    }
  }
  return samples;
}
