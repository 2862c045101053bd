// Every non-2xx answer becomes one of these. `status` is the discriminant: a richer hierarchy can
// add a subclass per status (`class NotFoundError extends BatchDataApiError<404>`) and callers that
// catch or narrow on the base class keep working.

export interface BatchDataApiErrorInit<S extends number> {
  status: S;
  /** The reason phrase, e.g. `Not Found`. */
  text: string;
  message: string;
  /** The request's ULID, to quote to support; absent only when the answer carried none. */
  requestId: string | undefined;
  response: Response;
}

export class BatchDataApiError<S extends number = number> extends Error {
  readonly status: S;
  readonly text: string;
  readonly requestId: string | undefined;
  /** The answer itself, for headers such as `Retry-After`. Its body has already been read. */
  readonly response: Response;

  constructor(init: BatchDataApiErrorInit<S>) {
    super(init.message);
    this.name = new.target.name;
    this.status = init.status;
    this.text = init.text;
    this.requestId = init.requestId;
    this.response = init.response;
  }
}
