// What a script can branch on after running the CLI. Documented in the README's SDK section.
export const EXIT = Object.freeze({
  ok: 0,
  /** A bug in the CLI or the SDK: the message says what; please report it. */
  internal: 1,
  /** Bad arguments, a missing BATCHDATA_TOKEN, or a value the SDK refused before sending. */
  usage: 2,
  /** The API answered with an error status (or a body that is not the documented one). */
  api: 3,
  /** No answer: the connection failed, or the API did not answer in time. */
  network: 4,
});

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
