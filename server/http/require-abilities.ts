// The abilities an operation needs are the roles on its bearerAuth requirement in openapi.yaml.
import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';
import { messages } from './messages.js';

export const requireAbilities: RequestHandler = (_req, res, next) => {
  const granted: readonly string[] = res.locals.principal!.abilities;
  const missing = res.locals.operation!.requiredAbilities.filter((ability) => !granted.includes(ability));
  if (missing.length > 0) throw new ApiError(403, messages.forbidden);
  next();
};
