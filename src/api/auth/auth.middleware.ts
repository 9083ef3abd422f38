import type { Request } from 'express';
import { type TokenClaims, verifyToken } from '../../shared/tokens';
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
