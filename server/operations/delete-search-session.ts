import { ApiError } from '../http/errors.js';
import { messages } from '../http/messages.js';
import type { Store } from '../store/store.js';
import { operationHandler } from './operation-handler.js';

export function deleteSearchSession(store: Store) {
  return operationHandler<'deleteSearchSession'>(async ({ principal, requestId, path }) => {
    const id = path.searchSessionId;
    // One team-scoped statement: another team's session and no session at all are the same 404.
    if (!(await store.deleteSession(principal.teamId, id))) throw new ApiError(404, messages.sessionNotFound(id));
    return { status: { code: 200, text: 'OK' }, results: { deleted: true, id, meta: { requestId } } };
  });
}
