// Runs one parsed command on the SDK and returns what to print: the API's `results` as JSON for
// scripts, or tables and sentences for people.
import type { BatchDataClient } from '../client.js';
import type { SearchRequest, SearchSession } from '../types.js';
import type { CliCommand } from './args.js';
import { renderDeleted, renderSearch, renderSessions } from './render.js';

type ApiCommand = Exclude<CliCommand, { name: 'help' }>;

const asJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function listSessions(client: BatchDataClient, { skip, take }: { skip?: number; take?: number }) {
  // Either paging option asks for that one page; neither asks for every session.
  if (skip !== undefined || take !== undefined) {
    const { sessions, total } = (await client.listSearchSessions({ skip, take })).results;
    return { sessions, total };
  }
  const sessions: SearchSession[] = [];
  for await (const session of client.allSearchSessions()) sessions.push(session);
  return { sessions, total: sessions.length };
}

export async function execute(command: ApiCommand, client: BatchDataClient): Promise<string> {
  switch (command.name) {
    case 'sessions list': {
      const { sessions, total } = await listSessions(client, command);
      return command.json ? asJson({ sessions, total }) : renderSessions(sessions, total);
    }
    case 'sessions delete': {
      const { results } = await client.deleteSearchSession(command.searchSessionId);
      return command.json ? asJson(results) : renderDeleted(results.id);
    }
    case 'search': {
      const cursor = command.cursor ? { useCursorPagination: true, pageCursor: command.pageCursor } : {};
      const options = { take: command.take, skip: command.skip, searchSession: command.session, ...cursor };
      // Pairs the API refuses (--skip with --session or --cursor, --session with --cursor) may arrive
      // here; the SDK refuses them in the server's words.
      const body = { searchCriteria: { query: command.query }, options } as SearchRequest;
      const page = await client.searchProperties(body, { idempotencyKey: command.idempotencyKey });
      return command.json ? asJson(page.results) : renderSearch(page);
    }
  }
}
