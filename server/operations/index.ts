import type { RequestHandler } from 'express';
import type { Store } from '../store/store.js';
import { deleteSearchSession } from './delete-search-session.js';
import { listSearchSessions } from './list-search-sessions.js';
import { searchProperties } from './search-properties.js';
import type { OperationHandlers, OperationId } from './operation-handler.js';

/** `pageCursorSecret`: the key page cursors are signed with when configured; else the store keeps one. */
export function operationHandlers(store: Store, pageCursorSecret?: string): OperationHandlers {
  return {
    deleteSearchSession: deleteSearchSession(store),
    listSearchSessions: listSearchSessions(store),
    searchProperties: searchProperties(store, cursorSecret(store, pageCursorSecret)),
  };
}

/** The key, read from the store once it is first needed; a failed read is tried again next time. */
function cursorSecret(store: Store, configured: string | undefined): () => Promise<Buffer> {
  if (configured !== undefined) {
    const secret = Promise.resolve(Buffer.from(configured, 'utf8'));
    return () => secret;
  }
  let kept: Promise<Buffer> | null = null;
  return () => (kept ??= store.pageCursorSecret().catch((error: unknown) => {
    kept = null;
    throw error;
  }));
}

/** Runs the handler of the operation the route table matched; the spec decided which, not a second router. */
export function dispatchOperation(handlers: OperationHandlers): RequestHandler {
  return (req, res, next) => handlers[res.locals.operation!.operationId as OperationId](req, res, next);
}
