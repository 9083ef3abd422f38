import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../platform/logger';
import { ErrorCode } from '../shared/error-codes';
import { AppError } from './app-error';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 500: 'Internal Server Error',
};

/** Errors as RFC 9457 problem details: `type`, `title`, `status`, `detail`, plus our `code`. */
function problem(status: number, code: string, detail: string, instance: string, extra?: Record<string, unknown>) {
  return {
    type: `urn:quizloop:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    instance,
    ...extra,
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError(ErrorCode.NotFound, 404, `No route for ${req.method} ${req.path}.`));
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let body: ReturnType<typeof problem>;
    if (err instanceof AppError) {
      body = problem(err.status, err.code, err.message, req.originalUrl, err.details ? { errors: err.details } : undefined);
    } else if (err instanceof ZodError) {
      const errors = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      const detail = errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
      body = problem(400, ErrorCode.BadRequest, `Invalid request: ${detail}`, req.originalUrl, { errors });
    } else if (typeof err === 'object' && err !== null && 'type' in err && typeof err.status === 'number' && err.status < 500) {
      // body-parser's errors: malformed JSON, body too large, wrong charset.
      const message = err.type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : String(err.message);
      body = problem(err.status, ErrorCode.BadRequest, message, req.originalUrl);
    } else {
      // req.log carries the request id; fall back to the app logger outside pino-http.
      (req.log ?? log.pino).error({ err, path: req.path }, 'unhandled error');
      body = problem(500, ErrorCode.Internal, 'Something went wrong on our side; it has been logged.', req.originalUrl);
    }
    res.status(body.status).type('application/problem+json').json(body);
  };
}
