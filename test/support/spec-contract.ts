// An independent reading of openapi.yaml for tests: given the operation a test called and the
// response it got, is the status documented there, does the body match that status's schema, and is
// every required header present with a valid value? Built on Ajv directly, not on the server's
// validator, so the server cannot mark its own homework.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { loadSpec, type OpenApiDocument } from '../../server/spec.js';

const spec = loadSpec();
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema(spec as object, 'openapi');
const headerAjv = new Ajv2020({ strict: false, allErrors: true, coerceTypes: true });
headerAjv.addSchema(spec as object, 'openapi');

type Node = Record<string, unknown>;

/** Follows $refs, keeping the JSON pointer of where the value really lives. */
function follow(pointer: string): { node: Node; pointer: string } {
  let node: unknown = spec;
  for (const key of pointer.replace(/^#\//, '').split('/')) {
    node = (node as Node)[key.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  const ref = (node as Node | undefined)?.$ref;
  return typeof ref === 'string' ? follow(ref) : { node: node as Node, pointer };
}

const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

function operationPointer(operationId: string): string {
  for (const [path, item] of Object.entries((spec as OpenApiDocument).paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation.operationId === operationId) return `#/paths/${escape(path)}/${method}`;
    }
  }
  throw new Error(`No operation ${operationId} in openapi.yaml`);
}

export interface ObservedResponse {
  status: number;
  headers: Headers | Record<string, string>;
  body: unknown;
}

function header(headers: ObservedResponse['headers'], name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return found ? found[1] : null;
}

/** The statuses openapi.yaml documents for an operation. */
export function documentedStatuses(operationId: string): number[] {
  return Object.keys(follow(`${operationPointer(operationId)}/responses`).node).map(Number);
}

/**
 * Asserts that a response is one the spec allows for the operation. With operationId null (a
 * path the API does not have) the body must still be the error envelope with a request id.
 */
export function expectMatchesSpec(operationId: string | null, response: ObservedResponse): void {
  const responsePointer = operationId
    ? `${operationPointer(operationId)}/responses/${response.status}`
    : '#/components/responses/InternalServerError'; // headers: X-Request-Id only
  if (operationId) {
    expect(documentedStatuses(operationId), `status ${response.status} is not documented for ${operationId}`).toContain(response.status);
  }
  const resolved = follow(responsePointer);
  const contentType = header(response.headers, 'content-type') ?? '';
  expect(contentType).toMatch(/^application\/json(;|$)/);
  const schemaPointer = operationId ? `${resolved.pointer}/content/application~1json/schema` : '#/components/schemas/ErrorEnvelope';
  const validate = ajv.getSchema(`openapi${schemaPointer}`) ?? ajv.compile({ $ref: `openapi${schemaPointer}` });
  expect(validate(response.body) ? [] : validate.errors, `body of ${response.status} against ${schemaPointer}`).toEqual([]);

  for (const [name, headerRef] of Object.entries((resolved.node.headers ?? {}) as Node)) {
    const headerObject = follow(`${resolved.pointer}/headers/${escape(name)}`);
    void headerRef;
    const value = header(response.headers, name);
    if (value === null) {
      expect(headerObject.node.required, `required header ${name} missing on ${response.status}`).not.toBe(true);
      continue;
    }
    const validateHeader = headerAjv.compile({ $ref: `openapi${headerObject.pointer}/schema` });
    expect(validateHeader(value) ? [] : validateHeader.errors, `header ${name}: ${value}`).toEqual([]);
  }
  const requestId = header(response.headers, 'x-request-id');
  const body = response.body as { meta?: { requestId?: string }; results?: { meta?: { requestId?: string } } };
  expect(requestId).toBe(body.results?.meta?.requestId ?? body.meta?.requestId);
}
