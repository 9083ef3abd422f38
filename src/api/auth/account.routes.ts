import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { type Account, ChangePassword, DeleteAccount } from '../schemas';
import { parse } from '../validation';
import type { AccountService } from './account.service';
import { requireAccount } from './auth.middleware';
import { publicUser, signedIn } from './credentials';

/** The signed-in user's own account. Every route reads it afresh: a deleted account or a revoked token is a 401. */
export function accountRoutes({ config, users }: ApiDeps, service: AccountService): Router {
  const router = Router();
  const secret = config.jwtSecret;

  router.get('/me', async (req, res) => {
    const { user } = await requireAccount(req, secret, users);
    res.json({ ...publicUser(user), createdAt: user.created_at.toISOString() } satisfies Account);
  });

  router.post('/me/password', async (req, res) => {
    const { user } = await requireAccount(req, secret, users);
    const { currentPassword, newPassword } = parse(ChangePassword, req.body);
    res.json(signedIn(secret, await service.changePassword(user, currentPassword, newPassword)));
  });

  router.delete('/me', async (req, res) => {
    const { user } = await requireAccount(req, secret, users);
    const { password } = parse(DeleteAccount, req.body);
    await service.deleteAccount(user, password);
    res.status(204).end();
  });

  return router;
}
