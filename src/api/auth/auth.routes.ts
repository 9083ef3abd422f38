import bcrypt from 'bcryptjs';
import { Router } from 'express';
import { ErrorCode } from '../../shared/error-codes';
import { signToken } from '../../shared/tokens';
import { addressGroup } from '../../platform/client-address';
import type { UserRow } from '../../store/repos/users.repo';
import { AppError } from '../app-error';
import type { ApiDeps } from '../deps';
import { type AuthAnswer, Login, Register } from '../schemas';
import { parse } from '../validation';

const BCRYPT_COST = 10;

export function authRoutes({ users, config, rateLimits }: ApiDeps): Router {
  const router = Router();
  // The role is the account's own, which only an operator changes (`grant-admin`): no role ever follows
  // from an email address, which nobody proved to own. A token keeps the role it was signed with until it expires.
  const roleOf = (u: UserRow) => u.role;
  const tokenFor = (u: UserRow) => signToken(config.jwtSecret, { kind: 'user', sub: u.id, name: u.display_name, role: roleOf(u) });
  const publicUser = (u: UserRow) => ({
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    role: roleOf(u),
  });

  router.post('/auth/register', async (req, res) => {
    await rateLimits.consume('registerPerAddress', addressGroup(req.ip));
    const body = parse(Register, req.body);
    const passwordHash = await bcrypt.hash(body.password, BCRYPT_COST);
    const user = await users.insert({ email: body.email, displayName: body.displayName, passwordHash });
    if (!user) throw AppError.conflict(ErrorCode.EmailTaken, 'An account with this email exists; sign in instead.');
    res.status(201).json({ token: tokenFor(user), user: publicUser(user) } satisfies AuthAnswer);
  });

  router.post('/auth/login', async (req, res) => {
    const body = parse(Login, req.body);
    const address = addressGroup(req.ip);
    // Failed attempts are counted, per account and per address; once either is spent, even a right password waits.
    // Each attempt takes its point before the slow compare, so parallel guesses cannot all slip past one count.
    await rateLimits.consume('loginPerAddress', address);
    try {
      await rateLimits.consume('loginPerAccount', body.email);
    } catch (err) {
      await rateLimits.reward('loginPerAddress', address);
      throw err;
    }
    const user = await users.byEmail(body.email);
    // Compare even when there is no such user, so the answer time does not reveal which emails exist.
    const ok = await bcrypt.compare(body.password, user?.password_hash ?? '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva');
    if (!user || !ok) throw new AppError(ErrorCode.InvalidCredentials, 401, 'Wrong email or password.');
    // A right password gives its address point back and clears the account's failures.
    await Promise.all([rateLimits.reward('loginPerAddress', address), rateLimits.reset('loginPerAccount', body.email)]);
    res.json({ token: tokenFor(user), user: publicUser(user) } satisfies AuthAnswer);
  });

  return router;
}
