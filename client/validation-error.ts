// A request the SDK refused to send. It carries the same message the server would have answered
// with, so callers see one wording whether the SDK or the API caught the mistake.

export type ValidatedParameter = 'searchSessionId' | 'skip' | 'take';

export class BatchDataValidationError extends Error {
  readonly parameter: ValidatedParameter;

  constructor(parameter: ValidatedParameter, message: string) {
    super(message);
    this.name = new.target.name;
    this.parameter = parameter;
  }
}
