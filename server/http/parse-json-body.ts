// The JSON body is parsed early, because whether a request needs an extra ability can depend on
// it (options.searchSession), but a body that fails to parse is only reported at the validation
// step: by the order of checks, a 403 comes before any 400.
//
// Two failures cannot wait for that step. A body in a form the API does not read (another media
// type, a charset other than UTF-8, an unknown Content-Encoding) answers 415 before a byte of it is
// read, and a body over the limit answers 413 the moment the limit is passed: the connection is
// then closed, so a client streaming a body that never ends is not read to its end.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { RequestHandler } from 'express';
import { ApiError } from './errors.js';
import { badRequest } from './validation.js';
import { messages } from './messages.js';

/** In bytes, after any Content-Encoding is undone: openapi.yaml states the same number. */
export const BODY_LIMIT_BYTES = 65_536;
/** RFC 8259 §8.1: JSON exchanged between systems is UTF-8. */
const ACCEPTED_CHARSET = 'utf-8';
/** The encodings the API undoes, with how; `identity` is no encoding at all. */
const DECOMPRESSORS: Readonly<Record<string, () => NodeJS.ReadWriteStream>> = {
  gzip: createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};
const UTF8 = new TextDecoder('utf-8', { fatal: true });

class BodyTooLarge extends Error {}

// Whether the client sent no body at all, however it said so: the parser turns an explicit
// `Content-Length: 0` into {}, which would otherwise read as an object missing every field.
function sentNoBody(headers: Record<string, string | string[] | undefined>): boolean {
  return headers['content-length'] === '0' || (headers['content-length'] === undefined && headers['transfer-encoding'] === undefined);
}

/** Why the API cannot read a body sent with these headers, or null when it can. */
export function unreadableBodyReason(contentType: string | undefined, contentEncoding: string | undefined): string | null {
  // What nearly every client sends, answered without taking the header apart.
  if (contentType === 'application/json' && contentEncoding === undefined) return null;
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim());
  if (mediaType.toLowerCase() !== 'application/json') return messages.contentTypeNotJson;
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=').map((part) => part.trim());
    const charset = value.replace(/^"(.*)"$/, '$1');
    if (name.toLowerCase() === 'charset' && charset.toLowerCase() !== ACCEPTED_CHARSET) return messages.unsupportedCharset(charset);
  }
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && !(encoding in DECOMPRESSORS)) return messages.unsupportedContentEncoding(encoding);
  return null;
}

/**
 * The body's bytes, decoded from its Content-Encoding, refused with BodyTooLarge the moment they
 * pass the limit. Not body-parser: on a body over its limit it reads the request to its end before
 * it reports, and a chunked body need never end. On refusal the request is left paused, unread.
 */
function readBody(req: IncomingMessage, encoding: string): Promise<Buffer> {
  const declaredLength = Number(req.headers['content-length']);
  if (encoding === 'identity' && declaredLength > BODY_LIMIT_BYTES) return Promise.reject(new BodyTooLarge());
  const decompressor = DECOMPRESSORS[encoding]?.();
  const source: Readable = decompressor ? (req.pipe(decompressor) as unknown as Readable) : req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const stop = (error: Error) => {
      source.removeAllListeners('data');
      if (decompressor) {
        req.unpipe(decompressor);
        source.destroy();
      }
      req.pause();
      reject(error);
    };
    source.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > BODY_LIMIT_BYTES) stop(new BodyTooLarge());
      else chunks.push(chunk);
    });
    // A small body is one chunk: no copy.
    source.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length)));
    source.once('error', stop);
    if (decompressor) req.once('error', stop);
  });
}

function parseJson(bytes: Buffer): unknown {
  // RFC 8259 §8.1: a parser may ignore a byte order mark.
  const text = UTF8.decode(bytes);
  return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

export const parseJsonBody: RequestHandler = (req, res, next) => {
  // An operation without a request body has nothing to parse: reading the stream anyway would
  // cost every DELETE and GET a turn of the event loop.
  if (!res.locals.operation?.requestBodySchema) return next();
  if (sentNoBody(req.headers)) {
    res.locals.bodyError = new ApiError(400, badRequest.bodyNotJsonObject);
    return next();
  }
  const unreadable = unreadableBodyReason(req.headers['content-type'], req.headers['content-encoding']);
  if (unreadable) throw new ApiError(415, unreadable);
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const parse = (bytes: Buffer) => {
    try {
      req.body = parseJson(bytes);
    } catch {
      res.locals.bodyError = new ApiError(400, badRequest.bodyNotJsonObject);
    }
    next();
  };
  // Most bodies arrive whole in the packet that carries the head (a search is a few hundred bytes),
  // and Node's parser has buffered all of it by the time the checks before this one have awaited
  // the token: then it is taken at once, without listeners, a promise or a turn of the event loop.
  // All of it is there when the message is complete, or, before Node has marked it so (it does at
  // the next turn), when the buffer holds the declared length: the parser never buffers more.
  const whole = req.complete || req.readableLength === Number(req.headers['content-length']);
  if (encoding === 'identity' && whole && req.readableLength <= BODY_LIMIT_BYTES) {
    const bytes = (req.read() as Buffer | null) ?? Buffer.alloc(0);
    // Flowing again, so that the request still ends (and says so) once Node marks it complete.
    if (!req.complete) req.resume();
    return parse(bytes);
  }
  readBody(req, encoding).then(
    parse,
    (error: unknown) => {
      // Closing is the only way to stop a client sending: the rest of its body is never read.
      if (error instanceof BodyTooLarge) return next(new ApiError(413, messages.bodyTooLarge(BODY_LIMIT_BYTES), { Connection: 'close' }));
      // A corrupt compressed stream: as unreadable as text that is not JSON.
      res.locals.bodyError = new ApiError(400, badRequest.bodyNotJsonObject);
      next();
    },
  );
};

export const reportBodyError: RequestHandler = (_req, res, next) => {
  if (res.locals.bodyError) throw res.locals.bodyError;
  next();
};
