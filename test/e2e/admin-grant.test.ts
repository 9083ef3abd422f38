import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stack, printLogsOnFailure } from '../helpers/stack';

type Auth = { token: string; user: { role: string } };
const PASSWORD = 'correct horse battery';

describe('who becomes admin', () => {
  let stack: Stack;
  const email = `ops-${randomBytes(5).toString('hex')}@quizloop.test`;
  const signIn = () => stack.api.request<Auth>('POST', '/auth/login', { body: { email, password: PASSWORD } });
  const board = (token: string) => fetch(`${stack.apiUrl}/admin/queues`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });

  beforeAll(async () => {
    stack = await Stack.start('admin-grant', ['api']);
  }, 60_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    await stack?.stop();
  });

  it('nobody, by registering an address: every new account is a player, kept out of the queue dashboard', async () => {
    const { token } = await stack.api.registerHost('Squatter', email);

    expect((await signIn()).body.user.role).toBe('player');
    expect((await board(token)).status).toBe(403);
  });

  it('an account an operator names with grant-admin, from its next sign-in', async () => {
    const output = await stack.grantAdmin(email);
    const after = await signIn();

    expect(output).toMatch(/is now an admin/);
    expect(after.body.user.role).toBe('admin');
    expect((await board(after.body.token)).status).toBe(200);
  });

  it("an admin's token issued before a password change, sent as Bearer or from the session cookie, is refused with 401", async () => {
    const { token } = (await signIn()).body;
    const session = await fetch(`${stack.apiUrl}/admin/queues?token=${token}`, { redirect: 'manual' });
    const cookie = session.headers.get('set-cookie')?.split(';')[0] ?? '';
    const changed = await stack.api.request('POST', '/me/password', { token, body: { currentPassword: PASSWORD, newPassword: 'another long secret' } });
    const byCookie = await fetch(`${stack.apiUrl}/admin/queues/api/queues`, { headers: { cookie }, redirect: 'manual' });

    expect(session.status).toBe(303);
    expect(changed.status).toBe(200);
    expect((await board(token)).status).toBe(401);
    expect(byCookie.status).toBe(401);
    const fresh = await stack.api.request<Auth>('POST', '/auth/login', { body: { email, password: 'another long secret' } });
    expect((await board(fresh.body.token)).status).toBe(200);
  });

  it('grant-admin for an email with no account fails and says so', async () => {
    await expect(stack.grantAdmin('nobody-here@quizloop.test')).rejects.toThrow(/no account has the email/);
  });
});
