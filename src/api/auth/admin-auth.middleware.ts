import { createHash, timingSafeEqual } from 'node:crypto';
import { parse as parseBasic } from 'basic-auth';
import { parse as parseCookies } from 'cookie';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../../platform/config';
import type { UsersRepo } from '../../store/repos/users.repo';
import { verifyToken } from '../../shared/tokens';
import { AppError } from '../app-error';

const COOKIE = 'quizloop_admin';
const COOKIE_MAX_AGE_MS = 12 * 3600 * 1000;
const CHALLENGE = 'Basic realm="quizloop admin", charset="UTF-8"';

type AdminConfig = Pick<Config, 'jwtSecret' | 'adminCredentials'>;
type Users = Pick<UsersRepo, 'byId'>;
type Verdict = 'admin' | 'not-admin' | 'invalid' | 'none';

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * An admin's user token, checked against its account as every other route checks one (`accountOf`): a password change or
 * a deleted account revokes it here too. Its role is the one it was signed with, as everywhere (docs/operations.md).
 */
async function tokenVerdict(config: AdminConfig, users: Users, token: string): Promise<Verdict> {
  const claims = verifyToken(config.jwtSecret, token);
  if (!claims) return 'invalid';
  if (claims.kind !== 'user' || claims.role !== 'admin') return 'not-admin';
  const account = await users.byId(claims.sub);
  return account && account.token_version === claims.ver ? 'admin' : 'invalid';
}

function basicVerdict(config: AdminConfig, header: string): Verdict {
  const given = parseBasic(header);
  const creds = config.adminCredentials;
  if (!creds || !given) return 'invalid';
  const userOk = sameSecret(given.name, creds.user);
  const passwordOk = sameSecret(given.pass, creds.password);
  return userOk && passwordOk ? 'admin' : 'invalid';
}

/** Who the request is: Authorization header (Basic or Bearer) first, then the session cookie. */
async function verdictOf(req: Request, config: AdminConfig, users: Users): Promise<Verdict> {
  const header = req.get('authorization');
  if (header) {
    const [scheme, value] = header.split(/\s+/, 2);
    if (scheme?.toLowerCase() === 'basic' && value) return basicVerdict(config, header);
    if (scheme?.toLowerCase() === 'bearer' && value) return tokenVerdict(config, users, value);
    return 'invalid';
  }
  const token = parseCookies(req.get('cookie') ?? '')[COOKIE];
  return token ? tokenVerdict(config, users, token) : 'none';
}

/** A URL as it may be logged: the `?token=` this middleware takes is a credential. */
export function redactToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

/** Swaps a `?token=` for the session cookie and sends the browser to the same page without it. */
function startSession(req: Request, res: Response, path: string, token: string): void {
  res.cookie(COOKIE, token, { path, maxAge: COOKIE_MAX_AGE_MS, httpOnly: true, sameSite: 'strict', secure: req.secure });
  const url = new URL(req.originalUrl, 'http://localhost');
  url.searchParams.delete('token');
  res.redirect(303, url.pathname + url.search);
}

/**
 * Admins only: HTTP Basic with ADMIN_USER / ADMIN_PASSWORD, or a user token with role admin as
 * a Bearer header. A browser cannot send that header when it navigates, so `?token=` is taken
 * once, swapped for an HttpOnly SameSite=Strict cookie scoped to `basePath`, and dropped from the URL.
 */
export function requireAdmin(config: AdminConfig, users: Users, basePath: string): RequestHandler {
  return async (req, res, next) => {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : null;
    // Express 5 passes a rejection (PostgreSQL away) on to the error handler.
    const verdict = fromQuery ? await tokenVerdict(config, users, fromQuery) : await verdictOf(req, config, users);
    switch (verdict) {
      case 'admin':
        return fromQuery ? startSession(req, res, basePath, fromQuery) : next();
      case 'not-admin':
        return next(AppError.forbidden('The queue dashboard is for admins; this account is not one.'));
      case 'invalid':
      case 'none':
        res.set('www-authenticate', CHALLENGE);
        return next(
          AppError.unauthorized(
            verdict === 'none'
              ? 'The queue dashboard needs admin credentials: HTTP Basic (ADMIN_USER), or an admin token as Bearer or ?token=.'
              : 'These credentials are not an admin’s, or the token has expired or was revoked (a password change, or the account deleted).',
          ),
        );
    }
  };
}
