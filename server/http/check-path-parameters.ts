// Path parameters are checked on their raw form, because by the time a router has matched them,
// `a/b`, `..` and `%ZZ` have already been split, normalised or refused in ways the contract forbids.
import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';
import { decodePathParameter, parameterRule } from './parameter-rules.js';

export const checkPathParameters: RequestHandler = (_req, res, next) => {
  const operation = res.locals.operation!;
  const decoded: Record<string, string> = {};
  for (const parameter of operation.parameters.filter((p) => p.in === 'path')) {
    const value = decodePathParameter(parameter, res.locals.pathParams?.[parameter.name] ?? '');
    if (value === null) throw new ApiError(400, parameterRule(parameter.name, parameter.schema));
    decoded[parameter.name] = value;
  }
  res.locals.pathParams = decoded;
  next();
};
