import { Router } from 'express';
import { ErrorCode } from '../../shared/error-codes';
import { addressGroup } from '../../platform/client-address';
import { AppError } from '../app-error';
import type { ApiDeps } from '../deps';
import { Login, Register } from '../schemas';
import { parse } from '../validation';
import { hashPassword, passwordMatches, signedIn } from './credentials';

export function authRoutes({ users, config, rateLimits }: ApiDeps): Router {
  const router = Router();

  router.post('/auth/register', async (req, res) => {
    await rateLimits.consume('registerPerAddress', addressGroup(req.ip));
    const body = parse(Register, req.body);
    const passwordHash = await hashPassword(body.password);
    const user = await users.insert({ email: body.email, displayName: body.displayName, passwordHash });
    if (!user) throw AppError.conflict(ErrorCode.EmailTaken, 'An account with this email exists; sign in instead.');
    res.status(201).json(signedIn(config.jwtSecret, user));
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
    // Compared even when there is no such user, so the answer time does not reveal which emails exist.
    const ok = await passwordMatches(body.password, user);
    if (!user || !ok) throw new AppError(ErrorCode.InvalidCredentials, 401, 'Wrong email or password.');
    // A right password gives its address point back and clears the account's failures.
    await Promise.all([rateLimits.reward('loginPerAddress', address), rateLimits.reset('loginPerAccount', body.email)]);
    res.json(signedIn(config.jwtSecret, user));
  });

  return router;
}
