// One JSON line per request. It names the route template, never the raw URL's secrets, and never
// a header: the Authorization header (the token) must not reach a log.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** Hears about every finished response, with the same operation, status and latency as the log. */
export type ResponseObserver = (operationId: string | undefined, status: number, seconds: number) => void;

export function accessLog(logger: Logger, observe?: ResponseObserver): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // As received: a HEAD is handled as the GET it mirrors, and logged as what it was.
    const method = req.method;
    // 'finish' comes once per response: on(), not once(), spares a wrapper per request.
    res.on('finish', () => {
      const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({
        requestId: res.locals.requestId,
        method,
        route: res.locals.operation?.pathTemplate ?? null,
        status: res.statusCode,
        latencyMs,
      }, 'request');
      observe?.(res.locals.operation?.operationId, res.statusCode, latencyMs / 1000);
    });
    next();
  };
}
