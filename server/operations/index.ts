import type { RequestHandler } from 'express';
import type { Store } from '../store/store.js';
import { deleteSearchSession } from './delete-search-session.js';
import { listSearchSessions } from './list-search-sessions.js';
import { searchProperties } from './search-properties.js';
import type { OperationHandlers, OperationId } from './operation-handler.js';

export function operationHandlers(store: Store): OperationHandlers {
  return {
    deleteSearchSession: deleteSearchSession(store),
    listSearchSessions: listSearchSessions(store),
    searchProperties: searchProperties(store),
  };
}

/** Runs the handler of the operation the route table matched; the spec decided which, not a second router. */
export function dispatchOperation(handlers: OperationHandlers): RequestHandler {
  return (req, res, next) => handlers[res.locals.operation!.operationId as OperationId](req, res, next);
}
