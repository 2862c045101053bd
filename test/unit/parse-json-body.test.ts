// The body step on a request whose body Node's parser has already buffered whole (it came in the
// packet of its head, or arrived while an earlier check awaited the store): it is taken from the
// buffer at once, and the size limit holds there too. A request still arriving is read from the
// stream, as the contract tests on a real server show.
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES, parseJsonBody } from '../../server/http/parse-json-body.js';

/** A POST whose body has arrived, as Node's parser leaves it, in the chunks given; complete, unless told. */
function arrived(headers: Record<string, string>, ...chunks: string[]): Request {
  const req = buffered(headers, ...chunks);
  req.push(null);
  req.complete = true;
  return req;
}

/** The body's bytes buffered, before the parser has marked the message complete (it does at the next turn). */
function buffered(headers: Record<string, string>, ...chunks: string[]): Request {
  const req = new IncomingMessage(new Socket());
  req.method = 'POST';
  req.headers = { 'content-type': 'application/json', ...headers };
  for (const chunk of chunks) req.push(Buffer.from(chunk));
  return req as Request;
}

/** Runs the step and resolves with what it handed on, and the response's locals. */
function run(req: Request): Promise<{ handedOn: unknown; locals: Response['locals'] }> {
  const res = { locals: { operation: { requestBodySchema: { type: 'object' } } } } as unknown as Response;
  return new Promise((resolve) => parseJsonBody(req, res, ((error?: unknown) => resolve({ handedOn: error, locals: res.locals })) as NextFunction));
}

describe('parseJsonBody on a body already buffered', () => {
  it('parses it at once, however many chunks it came in', async () => {
    const req = arrived({ 'content-length': '33' }, '{"searchCriteria":', '{"query":"AZ"}}');
    const { handedOn, locals } = await run(req);
    expect(handedOn).toBeUndefined();
    expect(locals.bodyError).toBeUndefined();
    expect(req.body).toEqual({ searchCriteria: { query: 'AZ' } });
  });

  it('parses a body of its declared length before the message is marked complete, and the request still ends', async () => {
    const req = buffered({ 'content-length': '33' }, '{"searchCriteria":{"query":"AZ"}}');
    const { handedOn } = await run(req);
    expect(handedOn).toBeUndefined();
    expect(req.body).toEqual({ searchCriteria: { query: 'AZ' } });
    const ended = new Promise((resolve) => req.once('end', resolve));
    req.push(null);
    req.complete = true;
    await ended;
  });

  it('keeps text that is not JSON for the validation step to report', async () => {
    const { handedOn, locals } = await run(arrived({ 'content-length': '5' }, '{"a":'));
    expect(handedOn).toBeUndefined();
    expect(locals.bodyError).toMatchObject({ status: 400 });
  });

  it('answers a chunked body over the limit with 413, though all of it is there', async () => {
    const json = '{"searchCriteria":{"query":"AZ"}}';
    const req = arrived({ 'transfer-encoding': 'chunked' }, json, ' '.repeat(BODY_LIMIT_BYTES + 1 - json.length));
    const { handedOn } = await run(req);
    expect(handedOn).toMatchObject({ status: 413 });
    expect(req.body).toBeUndefined();
  });
});
