// Parameters are checked in the form they arrived in, before anything coerces or normalises them:
// a router has already split or refused `a/b`, `..` and `%ZZ` by the time it matches a path, and
// the validator's type coercion would read `1e2`, `0x10` or ` 1` as integers. Ranges, unknown
// parameters and everything else are left to express-openapi-validator.
import type { RequestHandler } from 'express';
import { ApiError } from './api-error.js';
import { decodePathParameter, ruleFor } from './field-rules.js';

const DECIMAL_INTEGER = /^-?\d+$/;

export const checkRawParameters: RequestHandler = (req, res, next) => {
  const operation = res.locals.operation!;
  const decoded: Record<string, string> = {};
  for (const parameter of operation.parameters) {
    const fail = () => new ApiError(400, ruleFor(parameter.name, parameter.schema));
    if (parameter.in === 'path') {
      const value = decodePathParameter(parameter, res.locals.pathParams?.[parameter.name] ?? '');
      if (value === null) throw fail();
      decoded[parameter.name] = value;
    } else if (parameter.in === 'query' && parameter.schema.type === 'integer' && parameter.name in req.query) {
      const value = req.query[parameter.name];
      if (typeof value !== 'string' || !DECIMAL_INTEGER.test(value)) throw fail();
    }
  }
  res.locals.pathParams = decoded;
  next();
};
