// The one property every operation is held to: for generated credentials and requests, sent raw
// to the real server, the answer is documented for the operation (status, body schema, headers)
// and is one of the statuses the contract owes that credential and request.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RawResponse } from '../support/servers/raw-http.js';
import { expectMatchesSpec } from '../support/spec-contract.js';
import { send, type OutgoingRequest } from '../checks/support/send.js';
import { authorizationHeaders, credentials, type Credential } from './credentials.js';
import { PROPERTY_TEST_TIMEOUT_MS, propertyParameters } from './fc-settings.js';
import { startFuzzTarget, type FuzzTarget } from './fuzz-target.js';

/** Starts a fuzz target for the file's tests and stops it after them. */
export function useFuzzTarget(options: Parameters<typeof startFuzzTarget>[0]): () => FuzzTarget {
  let target: FuzzTarget | undefined;
  beforeAll(async () => {
    target = await startFuzzTarget(options);
  });
  afterAll(() => target?.close());
  return () => target!;
}

export interface OperationProperty<T> {
  operationId: string;
  target: () => FuzzTarget;
  inputs: fc.Arbitrary<T>;
  runs: number;
  /** The request for an input, without its credential. */
  request(input: T): OutgoingRequest;
  owed(credential: Credential, input: T): number[];
  /** Anything more the answer to this input must hold. */
  alsoCheck?(response: RawResponse, input: T): void;
  /** Counterexamples found before, tried first on every run whatever the seed. */
  examples?: Array<[Credential, T]>;
}

export function itAnswersAsSpecified<T>(property: OperationProperty<T>): void {
  it(
    `answers every generated ${property.operationId} request as the spec and the contract say`,
    async () => {
      await fc.assert(
        fc.asyncProperty(credentials, property.inputs, async (credential, input) => {
          const request = property.request(input);
          const headers = { ...authorizationHeaders(credential, property.target().tokens), ...request.headers };
          const response = await send(property.target().url, { ...request, headers });
          expectMatchesSpec(property.operationId, response);
          expect(property.owed(credential, input), response.text).toContain(response.status);
          property.alsoCheck?.(response, input);
        }),
        { ...propertyParameters<[Credential, T]>(property.operationId, property.runs), examples: property.examples ?? [] },
      );
    },
    PROPERTY_TEST_TIMEOUT_MS,
  );
}
