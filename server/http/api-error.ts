// The one way a request fails. Every middleware and handler throws (or passes to next) an ApiError,
// and the error handler turns it into the documented envelope; `status` is what it switches on.
export class ApiError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}
