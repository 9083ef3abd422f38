import type { Request } from 'express';
import { type TokenClaims, isRevokedHostToken, revokedHostTokenMessage, verifyToken } from '../../shared/tokens';
import type { UserRow, UsersRepo } from '../../store/repos/users.repo';
import type { RoomStore } from '../../store/room-store';
import { AppError } from '../app-error';

/** The claims of the request's bearer token; null when there is no Authorization header. */
export function optionalClaims(req: Request, secret: string): TokenClaims | null {
  const header = req.get('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw AppError.unauthorized('The Authorization header must be "Bearer <token>".');
  const claims = verifyToken(secret, match[1]);
  if (!claims) throw AppError.unauthorized('The token is invalid or has expired; sign in again.');
  return claims;
}

export function requireClaims<K extends TokenClaims['kind']>(req: Request, secret: string, kinds: readonly K[]): Extract<TokenClaims, { kind: K }> {
  const claims = optionalClaims(req, secret);
  if (!claims) throw AppError.unauthorized();
  if (!(kinds as readonly string[]).includes(claims.kind)) {
    throw AppError.forbidden(`This needs a ${kinds.join(' or ')} token, not a ${claims.kind} token.`);
  }
  return claims as Extract<TokenClaims, { kind: K }>;
}

export type UserClaims = Extract<TokenClaims, { kind: 'user' }>;

/**
 * The account a verified token stands for, or the 401 the routes and room creation answer when it no longer
 * does. `tokenVersion`: a user token's `ver`; null for a host token, which carries none (only the account's existence counts).
 */
export function accountOf<U extends Pick<UserRow, 'token_version'>>(user: U | null, tokenVersion: number | null): U {
  if (!user) throw AppError.unauthorized('The account of this token no longer exists on this server (deleted, or its data was reset); sign in again.');
  if (tokenVersion !== null && user.token_version !== tokenVersion) {
    throw AppError.unauthorized("This token was issued before the account's password changed; sign in again.");
  }
  return user;
}

/**
 * A user token and its account, as PostgreSQL has it now: 401, as for an expired token, when the account
 * is gone or its password changed after the token was issued (`ver`). Every route that reads or writes
 * the account's data in PostgreSQL asks; rooms run on Redis alone and ask only at creation and at a join with a user
 * token, going ahead unchecked when PostgreSQL is slow (rooms.service.ts).
 */
export async function requireAccount(req: Request, secret: string, users: Pick<UsersRepo, 'byId'>): Promise<{ claims: UserClaims; user: UserRow }> {
  const claims = requireClaims(req, secret, ['user']);
  return { claims, user: accountOf(await users.byId(claims.sub), claims.ver) };
}

export async function requireUser(req: Request, secret: string, users: Pick<UsersRepo, 'byId'>): Promise<UserClaims> {
  return (await requireAccount(req, secret, users)).claims;
}

/** `optionalClaims`, with a user token's account checked as `requireAccount` does; host and player tokens are the room's. */
export async function optionalAccountClaims(req: Request, secret: string, users: Pick<UsersRepo, 'byId'>): Promise<TokenClaims | null> {
  const claims = optionalClaims(req, secret);
  if (claims?.kind !== 'user') return claims;
  accountOf(await users.byId(claims.sub), claims.ver);
  return claims;
}

/**
 * 401 for a host token issued before its account's password changed (`isRevokedHostToken`). Read from Redis, not
 * PostgreSQL, so that host controls work while PostgreSQL is away.
 */
export async function checkHostToken(claims: Extract<TokenClaims, { kind: 'host' }>, rooms: Pick<RoomStore, 'hostTokenVersion'>): Promise<void> {
  if (isRevokedHostToken(claims, await rooms.hostTokenVersion(claims.sub))) throw AppError.unauthorized(revokedHostTokenMessage(claims.room));
}
