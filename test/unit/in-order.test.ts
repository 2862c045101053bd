import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { inOrder } from '../../server/http/chain.js';

const req = {} as Request;
const res = {} as Response;

/** Runs the chain and resolves with what it handed on: undefined when it ran through, else the error. */
function run(chain: RequestHandler): Promise<unknown> {
  return new Promise((resolve) => chain(req, res, ((error?: unknown) => resolve(error)) as NextFunction));
}

describe('inOrder', () => {
  it('runs each step after the one before has called next, then hands on', async () => {
    const seen: string[] = [];
    const step = (name: string): RequestHandler => (_req, _res, next) => {
      seen.push(name);
      next();
    };
    const later: RequestHandler = async (_req, _res, next) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push('async');
      next();
    };
    expect(await run(inOrder(step('a'), later, step('b')))).toBeUndefined();
    expect(seen).toEqual(['a', 'async', 'b']);
  });

  it('stops at the first error, whether passed to next, thrown, or a rejected promise', async () => {
    const never: RequestHandler = () => {
      throw new Error('must not run');
    };
    const passed = new Error('passed');
    const thrown = new Error('thrown');
    const rejected = new Error('rejected');
    expect(await run(inOrder((_req, _res, next) => next(passed), never))).toBe(passed);
    expect(await run(inOrder(() => { throw thrown; }, never))).toBe(thrown);
    expect(await run(inOrder(async () => { throw rejected; }, never))).toBe(rejected);
  });

  it('treats a promise rejected without a reason as an error, as Express does', async () => {
    // eslint-disable-next-line prefer-promise-reject-errors
    const error = await run(inOrder(() => Promise.reject(undefined), () => undefined));
    expect(error).toBeInstanceOf(Error);
  });

  it('leaves the response to a step that answers without calling next', async () => {
    let handedOn = false;
    const chain = inOrder(() => undefined);
    chain(req, res, () => (handedOn = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(handedOn).toBe(false);
  });
});
