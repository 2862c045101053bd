// Calling searchProperties in tests: the body as JSON, the response checked against the spec.
import { syntheticProperties } from '../../server/properties/synthetic.js';
import type { NewProperty } from '../../server/store/store.js';
import { expectMatchesSpec } from './spec-contract.js';
import type { ApiResponse } from './servers/test-server.js';

export const SEARCH_PATH = '/api/v1/property/search';

export async function search(url: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const response = await fetch(`${url}${SEARCH_PATH}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const result = { status: response.status, headers: response.headers, body: await response.json() };
  expectMatchesSpec('searchProperties', result);
  return result;
}

/** The ids a response delivered. */
export const idsOf = (response: ApiResponse): number[] => response.body.results.properties.map((p: { id: number }) => p.id);

/** The synthetic set as a list, to import and to compute expectations from. */
export async function syntheticList(count: number, seed: number): Promise<NewProperty[]> {
  const all: NewProperty[] = [];
  for await (const batch of syntheticProperties(count, seed)) all.push(...batch);
  return all;
}

export async function* batchesOf(properties: NewProperty[], size = 1_000): AsyncGenerator<NewProperty[]> {
  for (let i = 0; i < properties.length; i += size) yield properties.slice(i, i + size);
}
