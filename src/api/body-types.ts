import type { RequestHandler } from 'express';
import { ErrorCode } from '../shared/error-codes';
import { AppError } from './app-error';

/** The body types read as JSON: what `acceptBodies` lets through is what `express.json` parses (never `{}` for a typed body). */
export const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * A request that carries a body must say it is JSON (or, on the paths in `others`, one of their
 * types): anything else is a 415, never silently read as `{}`.
 */
export function acceptBodies(others: Record<string, string[]>): RequestHandler {
  return (req, _res, next) => {
    const length = req.get('content-length');
    const hasBody = req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
    if (!hasBody) return next();
    const allowed = [...JSON_TYPES, ...(others[req.path] ?? [])];
    if (req.is(allowed)) return next();
    next(
      new AppError(
        ErrorCode.UnsupportedMediaType,
        415,
        `This request's body must be ${allowed.filter((t) => !t.includes('*')).join(' or ')}, not ${req.get('content-type') ?? 'untyped'}.`,
      ),
    );
  };
}
