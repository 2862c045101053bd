// A fetch that answers the way openapi.yaml says the API answers, with no network. It routes a
// request by the spec's paths and methods to an operation and replies with one of that operation's
// named examples, for the status a test chooses. It records every request it receives, routed or
// not, so a test can prove what left the SDK and what never did.
//
// Choosing the answer: per mock with `createSpecMock({ status, example })`, or per request with the
// header `Prefer: code=404, example=sessionNotFound` (Prism's convention), which wins. The default
// is the first named example of the 200. For retries, `answers` scripts the routed requests in
// order (a status, a lost connection, or no answer until the request is aborted); requests past
// the script are answered as above.
import { loadSpec, resolveRef, type OpenApiDocument } from '../../../server/spec.js';

type Ref<T> = T | { $ref: string };

interface SpecSchema {
  const?: unknown;
  example?: unknown;
  examples?: unknown[];
}

interface SpecHeader {
  example?: unknown;
  schema?: Ref<SpecSchema>;
}

interface SpecMediaType {
  examples?: Record<string, Ref<{ value: unknown }>>;
}

interface SpecResponse {
  headers?: Record<string, Ref<SpecHeader>>;
  content?: Record<string, SpecMediaType>;
}

interface SpecOperation {
  operationId: string;
  responses: Record<string, Ref<SpecResponse>>;
}

interface Route {
  method: string;
  pattern: RegExp;
  operation: SpecOperation;
}

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The body as sent, or undefined for none. */
  body: string | undefined;
  /** Date.now() when the request arrived: under fake timers, the fake clock's time. */
  at: number;
  /** The operation the request was routed to; undefined when the spec has no such path and method. */
  operationId: string | undefined;
}

export interface SpecExampleChoice {
  status?: number;
  /** A named example under that status's content, e.g. `invalidTake`. */
  example?: string;
}

type HeaderOverrides = Record<string, string | null>;

export type SpecMockAnswer =
  | (SpecExampleChoice & { /** Replace, add or (null) remove response headers, e.g. `Retry-After`. */ headers?: HeaderOverrides })
  /** fetch rejects as it does for a refused connection. */
  | { fail: 'network' }
  /** No answer ever: fetch settles only when the request's signal aborts. */
  | { fail: 'hang' };

export interface SpecMockOptions extends SpecExampleChoice {
  answers?: readonly SpecMockAnswer[];
}

export interface SpecMock {
  fetch: typeof fetch;
  requests: readonly RecordedRequest[];
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function routesOf(spec: OpenApiDocument): Route[] {
  return Object.entries(spec.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.has(method))
      .map(([method, operation]) => ({
        method: method.toUpperCase(),
        pattern: new RegExp(`^${template.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}$`),
        operation: operation as unknown as SpecOperation,
      })),
  );
}

function preferred(request: Request): SpecExampleChoice {
  const pairs = (request.headers.get('Prefer') ?? '')
    .split(/[,;]/)
    .map((part) => part.trim().split('='))
    .filter((pair): pair is [string, string] => pair.length === 2);
  const preferences = new Map(pairs);
  const code = preferences.get('code');
  return { status: code === undefined ? undefined : Number(code), example: preferences.get('example') };
}

function property(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

// Errors carry it in `meta`, successes in `results.meta`.
function requestIdOf(body: unknown): string {
  const meta = property(body, 'meta') ?? property(property(body, 'results'), 'meta');
  const requestId = property(meta, 'requestId');
  if (typeof requestId !== 'string') throw new Error('spec-mock: the example has no requestId');
  return requestId;
}

function headerValue(spec: OpenApiDocument, name: string, header: SpecHeader, body: unknown): string {
  if (name.toLowerCase() === 'x-request-id') return requestIdOf(body);
  const schema = header.schema === undefined ? {} : resolveRef(spec, header.schema);
  const value = header.example ?? schema.const ?? schema.example ?? schema.examples?.[0];
  if (value === undefined) throw new Error(`spec-mock: header ${name} has no example value in openapi.yaml`);
  return String(value);
}

function reply(spec: OpenApiDocument, operation: SpecOperation, status: number, exampleName?: string, overrides: HeaderOverrides = {}): Response {
  const declared = operation.responses[String(status)];
  if (declared === undefined) throw new Error(`spec-mock: ${operation.operationId} declares no ${status} response`);
  const response = resolveRef(spec, declared);
  const [mediaType, media] = Object.entries(response.content ?? {})[0] ?? [];
  const examples = media?.examples ?? {};
  const name = exampleName ?? Object.keys(examples)[0];
  const example = name === undefined ? undefined : examples[name];
  if (mediaType === undefined || example === undefined) {
    throw new Error(`spec-mock: ${operation.operationId} ${status} has no example ${name ?? ''}`.trimEnd());
  }
  const body = resolveRef(spec, example).value;
  const headers = new Headers({ 'Content-Type': mediaType });
  for (const [headerName, header] of Object.entries(response.headers ?? {})) {
    headers.set(headerName, headerValue(spec, headerName, resolveRef(spec, header), body));
  }
  for (const [headerName, value] of Object.entries(overrides)) {
    if (value === null) headers.delete(headerName);
    else headers.set(headerName, value);
  }
  return new Response(JSON.stringify(body), { status, headers });
}

function failure(kind: 'network' | 'hang', request: Request): Promise<Response> {
  if (kind === 'network') {
    return Promise.reject(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }));
  }
  return new Promise((_resolve, reject) => {
    request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
  });
}

export function createSpecMock(options: SpecMockOptions = {}): SpecMock {
  const spec = loadSpec();
  const routes = routesOf(spec);
  const requests: RecordedRequest[] = [];
  const script = [...(options.answers ?? [])];

  async function specFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    // As fetch does: an aborted request never leaves, so it is not recorded.
    request.signal.throwIfAborted();
    const at = Date.now();
    const url = new URL(request.url);
    const route = routes.find(({ method, pattern }) => method === request.method && pattern.test(url.pathname));
    requests.push({
      method: request.method,
      url,
      headers: new Headers(request.headers),
      body: request.body === null ? undefined : await request.clone().text(),
      at,
      operationId: route?.operation.operationId,
    });
    if (route === undefined) throw new Error(`spec-mock: openapi.yaml has no operation for ${request.method} ${url.pathname}`);
    const scripted = script.shift();
    if (scripted !== undefined && 'fail' in scripted) return failure(scripted.fail, request);
    if (scripted !== undefined) return reply(spec, route.operation, scripted.status ?? 200, scripted.example, scripted.headers);
    // A preferred status brings its own example choice; the mock's example belongs to the mock's status.
    const prefer = preferred(request);
    const choice = prefer.status === undefined ? { ...options, example: prefer.example ?? options.example } : prefer;
    return reply(spec, route.operation, choice.status ?? 200, choice.example);
  }

  return { fetch: specFetch, requests };
}
