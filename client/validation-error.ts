// A request the SDK refused to send. It carries the same message the server would have answered
// with, so callers see one wording whether the SDK or the API caught the mistake.
import { BatchDataError } from './batchdata-error.js';

/** The parameter or body field at fault, named as the server names it (`options.take`). */
export type ValidatedParameter =
  | 'searchSessionId'
  | 'skip'
  | 'take'
  | 'Idempotency-Key'
  | 'body'
  | 'searchCriteria'
  | 'searchCriteria.query'
  | 'options'
  | 'options.take'
  | 'options.skip'
  | 'options.searchSession'
  | 'options.useCursorPagination'
  | 'options.pageCursor'
  // An unknown body field, by its path.
  | (string & {});

export class BatchDataValidationError extends BatchDataError {
  // Set explicitly: minifiers rename classes, and `name` is what logs show.
  override readonly name = 'BatchDataValidationError';
  readonly kind = 'validation';

  constructor(
    readonly parameter: ValidatedParameter,
    message: string,
  ) {
    super(message);
  }
}
