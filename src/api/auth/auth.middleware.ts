import type { Request } from 'express';
import { type TokenClaims, verifyToken } from '../../shared/tokens';
import type { UsersRepo } from '../../store/repos/users.repo';
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
 * The claims of a user token whose account exists, for routes that write the account into the question
 * bank: else the write fails on a foreign key. 401, as for an expired token: the client signs in again.
 * Rooms never ask (they run on Redis alone; a game of a deleted account is saved without it).
 */
export async function requireUser(req: Request, secret: string, users: Pick<UsersRepo, 'exists'>): Promise<UserClaims> {
  const claims = requireClaims(req, secret, ['user']);
  if (!(await users.exists(claims.sub))) {
    throw AppError.unauthorized('The account of this token no longer exists on this server (deleted, or its data was reset); sign in again.');
  }
  return claims;
}
