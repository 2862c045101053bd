// The abilities an operation needs are the roles on its bearerAuth requirement in openapi.yaml,
// plus those its `x-abilities-when-present` asks for when the body carries a given field (a search
// naming options.searchSession also needs property-search-sessions).
import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';
import { messages } from './messages.js';

function present(body: unknown, pointer: string): boolean {
  let node = body;
  for (const key of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return node !== undefined;
}

export const requireAbilities: RequestHandler = (req, res, next) => {
  const operation = res.locals.operation!;
  const granted: readonly string[] = res.locals.principal!.abilities;
  const needed = [
    ...operation.requiredAbilities,
    ...Object.entries(operation.abilitiesWhenPresent).flatMap(([pointer, abilities]) => (present(req.body, pointer) ? abilities : [])),
  ];
  if (needed.some((ability) => !granted.includes(ability))) throw new ApiError(403, messages.forbidden);
  next();
};
