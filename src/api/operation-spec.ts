import type { z } from 'zod';

/**
 * How a feature folder declares its REST operations for the OpenAPI document (src/api/docs/openapi.ts),
 * next to its routes, with the very zod schemas those routes parse and answer with.
 */

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 503;
export type Tag = 'system' | 'auth' | 'rooms' | 'games' | 'questions' | 'leaderboards' | 'web' | 'internal';

/** Who may call: `host` is the host token of the room in the path. */
export type Auth = 'user' | 'host' | 'optional-user' | 'webhook';

/** One schema under its component name, written `{ RoomSettings }`. */
export type Named = Readonly<Record<string, z.ZodType>>;

export interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI form: `{code}` where Express has `:code`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: Tag;
  auth?: Auth;
  /** The schema the route parses the body with, documented as its input. */
  body?: Named;
  /** The query string, as the schema the route parses `req.query` with; each field becomes a parameter. */
  query?: z.ZodObject;
  /** The body may also be text/csv, described so. */
  csvBody?: string;
  /** A JSON answer by its schema (documented as its output), another media type, or (204) nothing. */
  answer:
    | ({ status: 200 | 201; description: string } & ({ schema: Named } | { mediaType: 'text/plain' | 'image/svg+xml' | 'text/csv' }))
    | { status: 204; description: string };
  /**
   * Each error status the operation can answer, with the codes it carries and why. An operation with a body
   * also answers 413 and 415 (`BODY_ERRORS`) unless it says otherwise here.
   */
  errors: Partial<Record<ErrorStatus, string>>;
}

/** Error texts that several features answer alike. */
export const COMMON_ERRORS = {
  badBody: '`BAD_REQUEST`: the body is not JSON or breaks the schema; `errors` names every bad field.',
  badCode: '`BAD_REQUEST`: the path does not hold a room code.',
  noRoom: '`ROOM_NOT_FOUND`: no such room, or it has expired.',
  noToken: '`UNAUTHORIZED`: no token, or one that is malformed, expired or signed otherwise.',
  /** For routes that read or write the token's account in PostgreSQL (auth.middleware.ts, `requireUser`). */
  noAccount:
    "`UNAUTHORIZED`: no token, one that is malformed, expired or signed otherwise, one whose account no longer exists (deleted, or the server's data reset), or one issued before the account's password changed: sign in again.",
  userOnly: '`FORBIDDEN`: a host or player token; this needs a user token.',
  badId: '`BAD_REQUEST`: the id is not a whole number from 1.',
  noGame: '`NOT_FOUND`: no saved game with this id (yet).',
  deleted: '`ROOM_DELETED`: the host or an admin deleted the room.',
  /** For routes that look a room up by a code from anyone (rooms.service.ts, `lookUp`). */
  codeMisses:
    '`RATE_LIMITED`: too many room codes that name no room from this address (RATE_LIMIT_ROOM_MISSES_ADDRESS); every lookup by code waits, see `Retry-After`.',
} as const;

/** What every operation with a body may answer besides its own errors (body-types.ts, the body parsers). */
export const BODY_ERRORS: Partial<Record<ErrorStatus, string>> = {
  413: '`BAD_REQUEST`: the body is larger than this route takes (JSON_BODY_LIMIT_KB, 64 KB by default).',
  415: '`UNSUPPORTED_MEDIA_TYPE`: the body is not `application/json`.',
};
