import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config';
import { checkReadiness, readinessResponse } from '../../src/platform/readiness';

describe('readiness', () => {
  it('is ready when every check answers in time', async () => {
    const readiness = await checkReadiness({ redis: async () => 'PONG', postgres: async () => 1 }, 50);

    expect(readiness).toEqual({ ready: true, checks: { redis: 'ok', postgres: 'ok' } });
    expect(readinessResponse(readiness)).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('names a check that fails and one that does not answer in time, as a 503 problem', async () => {
    const readiness = await checkReadiness(
      { redis: () => new Promise(() => undefined), postgres: async () => Promise.reject(new Error('connect ECONNREFUSED')) },
      50,
    );
    const answer = readinessResponse(readiness);

    expect(readiness.checks).toEqual({ redis: 'no answer within 50 ms', postgres: 'connect ECONNREFUSED' });
    expect(answer.status).toBe(503);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ code: 'NOT_READY', detail: 'Not ready: redis (no answer within 50 ms), postgres (connect ECONNREFUSED).' });
  });
});

describe('operations settings in the environment', () => {
  it('defaults the worker metrics port to 9091 and admin access to none', () => {
    expect(loadConfig({}, 'worker')).toMatchObject({ metricsPort: 9091, adminCredentials: null });
  });

  it('takes ADMIN_USER and ADMIN_PASSWORD together', () => {
    const config = loadConfig({ ADMIN_USER: 'ops', ADMIN_PASSWORD: 'long enough password' }, 'api');

    expect(config.adminCredentials).toEqual({ user: 'ops', password: 'long enough password' });
  });

  it.each([
    [{ ADMIN_USER: 'ops' }, /ADMIN_USER and ADMIN_PASSWORD go together/],
    [{ ADMIN_USER: 'ops', ADMIN_PASSWORD: 'short' }, /ADMIN_PASSWORD/],
    [{ ADMIN_EMAILS: 'ann@example.com' }, /ADMIN_EMAILS is no longer read.*grant-admin/],
    [{ METRICS_PORT: '70000' }, /METRICS_PORT/],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => loadConfig(env, 'api')).toThrow(message);
  });
});
