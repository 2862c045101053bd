// Bearer authentication. Every failure, whatever its cause, is the same 401, so the answer says
// nothing about which tokens exist.
import type { RequestHandler } from 'express';
import { hashToken } from '../auth/tokens.js';
import type { Store } from '../store/store.js';
import { ApiError } from './api-error.js';
import { messages } from './messages.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

export function authenticate(store: Store): RequestHandler {
  return async (req, res, next) => {
    const token = BEARER.exec(req.headers.authorization ?? '')?.[1];
    const principal = token === undefined ? null : await store.findPrincipal(hashToken(token));
    if (!principal) throw new ApiError(401, messages.invalidToken, { 'WWW-Authenticate': 'Bearer' });
    res.locals.principal = principal;
    next();
  };
}
