import { type KeyObject, createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

const ALGORITHM = 'HS256';

/**
 * What a token may stand for; a host or player token is good for one room only. A user token carries its
 * account's token version (`ver`, 0 in tokens older than it): a password change moves the account on, and
 * the api refuses tokens of an older version (auth.middleware.ts). A host token carries the version of the
 * account that made the room (none in host tokens older than it: taken as 0): the api and the socket process
 * refuse it once a password change has moved the account past it (kept in Redis for as long as a host token
 * lives, `hostTokenVersion`).
 */
export const TokenClaims = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), sub: z.string(), name: z.string(), role: z.enum(['player', 'admin']), ver: z.number().int().nonnegative().default(0) }),
  z.object({ kind: z.literal('host'), sub: z.string(), name: z.string(), room: z.string(), ver: z.number().int().nonnegative().optional() }),
  z.object({ kind: z.literal('player'), sub: z.string(), name: z.string(), room: z.string() }),
]);
export type TokenClaims = z.infer<typeof TokenClaims>;

/**
 * Whether a password change since a host token was issued revokes it: its `ver` (none: 0) behind `requiredVersion`, the
 * account's version kept in Redis (`RoomStore.hostTokenVersion`). The api and the socket process refuse such a token.
 */
export function isRevokedHostToken(claims: Extract<TokenClaims, { kind: 'host' }>, requiredVersion: number): boolean {
  return (claims.ver ?? 0) < requiredVersion;
}

/** What a revoked host token is told, by the api (401) and the socket process (`UNAUTHORIZED`). */
export const revokedHostTokenMessage = (room: string) =>
  `This host token was issued before the account's password changed. Get a new one with POST /rooms/${room}/host-token and your user token (sign in again first if it is older too).`;

/** How long a token of each kind is good for, in seconds. */
export const TOKEN_LIFETIME_SECONDS: Record<TokenClaims['kind'], number> = { user: 7 * 86_400, host: 12 * 3600, player: 12 * 3600 };

export function signToken(secret: string, claims: TokenClaims): string {
  return jwt.sign(claims, secret, {
    algorithm: ALGORITHM,
    expiresIn: TOKEN_LIFETIME_SECONDS[claims.kind],
  });
}

/**
 * The secret as a key object, made once by a caller that verifies many tokens (the socket process on
 * every connection): given a string, the library would build one on every call.
 */
export function verificationKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret));
}

/** Returns the claims, or null for any token that is malformed, expired, unsigned or signed otherwise. */
export function verifyToken(secret: string | KeyObject, token: string): TokenClaims | null {
  try {
    // The algorithm is pinned: a token claiming `none` or an asymmetric algorithm is refused.
    const payload = jwt.verify(token, secret, { algorithms: [ALGORITHM] });
    const parsed = TokenClaims.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
