import type { z } from 'zod';

/**
 * How a feature folder declares its REST operations for the OpenAPI document (docs/openapi.ts),
 * next to its routes, with the very zod schemas those routes parse and answer with.
 */

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 415 | 429 | 503;
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
  /** Each error status the operation can answer, with the codes it carries and why. */
  errors: Partial<Record<ErrorStatus, string>>;
}

/** Error texts that several features answer alike. */
export const COMMON_ERRORS = {
  badBody: '`BAD_REQUEST`: the body is not JSON or breaks the schema; `errors` names every bad field.',
  badCode: '`BAD_REQUEST`: the path does not hold a room code.',
  noRoom: '`ROOM_NOT_FOUND`: no such room, or it has expired.',
  noToken: '`UNAUTHORIZED`: no token, or one that is malformed, expired or signed otherwise.',
  /** For routes that write the token's account into PostgreSQL (auth.middleware.ts, `requireUser`). */
  noAccount:
    "`UNAUTHORIZED`: no token, one that is malformed, expired or signed otherwise, or one whose account no longer exists (deleted, or the server's data reset): sign in again.",
  userOnly: '`FORBIDDEN`: a host or player token; this needs a user token.',
  badId: '`BAD_REQUEST`: the id is not a whole number from 1.',
  noGame: '`NOT_FOUND`: no saved game with this id (yet).',
} as const;
