import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../platform/logger';
import { ErrorCode } from '../shared/error-codes';
import { AppError } from './app-error';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
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

/**
 * The 4xx status of an http-errors style error (body-parser: malformed JSON, body too large, a
 * charset or Content-Encoding it cannot read or a body that does not inflate; the router: a path
 * parameter with malformed percent-encoding), else null.
 */
function clientErrorStatus(err: unknown): number | null {
  if (typeof err !== 'object' || err === null) return null;
  const status = 'status' in err ? err.status : 'statusCode' in err ? err.statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

function clientErrorMessage(err: Error & { type?: unknown }): string {
  if (err.type === 'entity.parse.failed') return 'The request body is not valid JSON.';
  if (err instanceof URIError) return 'The path holds malformed percent-encoding (a % not followed by the UTF-8 bytes of a character).';
  if (err.type === 'encoding.unsupported') return "The request body's Content-Encoding is not one this api reads: send identity, gzip, deflate or br.";
  if (typeof err.type !== 'string') return `The request body cannot be read as its headers say (${err.message}).`;
  return err.message;
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
    } else if (clientErrorStatus(err) !== null) {
      body = problem(clientErrorStatus(err) ?? 400, ErrorCode.BadRequest, clientErrorMessage(err as Error), req.originalUrl);
    } else {
      // req.log carries the request id; fall back to the app logger outside pino-http.
      (req.log ?? log.pino).error({ err, path: req.path }, 'unhandled error');
      body = problem(500, ErrorCode.Internal, 'Something went wrong on our side; it has been logged.', req.originalUrl);
    }
    if (err instanceof AppError && err.retryAfterSeconds !== undefined) res.set('retry-after', String(err.retryAfterSeconds));
    res.status(body.status).type('application/problem+json').json(body);
  };
}
