import bcrypt from 'bcryptjs';
import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '../shared/error-codes';
import { signToken } from '../shared/tokens';
import { AppError } from './app-error';
import type { ApiDeps } from './deps';
import { parse } from './validation';

const BCRYPT_COST = 10;
const Email = z.string().trim().toLowerCase().pipe(z.email());
const Register = z.object({
  email: Email,
  password: z.string().min(8, 'password must be at least 8 characters').max(200),
  displayName: z.string().trim().min(1).max(40),
});
const Login = z.object({ email: Email, password: z.string().min(1).max(200) });

export function authRoutes({ users, config }: ApiDeps): Router {
  const router = Router();
  const tokenFor = (u: { id: string; display_name: string; role: 'player' | 'admin' }) =>
    signToken(config.jwtSecret, { kind: 'user', sub: u.id, name: u.display_name, role: u.role });
  const publicUser = (u: { id: string; email: string; display_name: string; role: string }) => ({
    id: u.id, email: u.email, displayName: u.display_name, role: u.role,
  });

  router.post('/auth/register', async (req, res) => {
    const body = parse(Register, req.body);
    const passwordHash = await bcrypt.hash(body.password, BCRYPT_COST);
    const user = await users.insert({ email: body.email, displayName: body.displayName, passwordHash });
    if (!user) throw AppError.conflict(ErrorCode.EmailTaken, 'An account with this email exists; sign in instead.');
    res.status(201).json({ token: tokenFor(user), user: publicUser(user) });
  });

  router.post('/auth/login', async (req, res) => {
    const body = parse(Login, req.body);
    const user = await users.byEmail(body.email);
    // Compare even when there is no such user, so the answer time does not reveal which emails exist.
    const ok = await bcrypt.compare(body.password, user?.password_hash ?? '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva');
    if (!user || !ok) throw new AppError(ErrorCode.InvalidCredentials, 401, 'Wrong email or password.');
    res.json({ token: tokenFor(user), user: publicUser(user) });
  });

  return router;
}
