// One JSON line per request. It names the route template, never the raw URL's secrets, and never
// a header: the Authorization header (the token) must not reach a log.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    // As received: a HEAD is handled as the GET it mirrors, and logged as what it was.
    const method = req.method;
    // 'finish' comes once per response: on(), not once(), spares a wrapper per request.
    res.on('finish', () => {
      logger.info({
        requestId: res.locals.requestId,
        method,
        route: res.locals.operation?.pathTemplate ?? null,
        status: res.statusCode,
        latencyMs: Number(process.hrtime.bigint() - started) / 1e6,
      }, 'request');
    });
    next();
  };
}
