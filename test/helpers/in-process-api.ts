import { startApi } from '../../src/api/main';
import { loadConfig } from '../../src/platform/config';
import { createDb } from '../../src/platform/db';
import { createLogger } from '../../src/platform/logger';
import { ApiClient } from './api-client';
import { GENEROUS_LIMITS, deleteNamespace, infra, testNamespace } from './infra';

export type InProcessApi = Awaited<ReturnType<typeof startApi>>;

/**
 * The api in this test process on port 0, in a namespace of its own, with `env` on top of the
 * defaults (a REDIS_URL or DATABASE_URL there, e.g. a proxy's, is the one it uses); `stop()` also removes
 * its Redis keys and the accounts the client registered.
 */
export async function startInProcessApi(label: string, env: Record<string, string> = {}) {
  const redisUrl = env.REDIS_URL ?? infra().redisUrl;
  const databaseUrl = env.DATABASE_URL ?? infra().databaseUrl;
  const namespace = testNamespace(label);
  const emails: string[] = [];
  const config = loadConfig(
    { REDIS_URL: redisUrl, DATABASE_URL: databaseUrl, QUIZLOOP_NAMESPACE: namespace, LOG_LEVEL: 'silent', ...GENEROUS_LIMITS, ...env },
    'api',
  );
  const api = await startApi({ ...config, redisUrl, databaseUrl }, createLogger('api', 'silent'), 0);
  const client = new ApiClient(`http://127.0.0.1:${api.port}`, { game: () => {}, email: (e) => emails.push(e) });
  return {
    api,
    config,
    client,
    namespace,
    emails,
    async stop() {
      await api.stop();
      await deleteNamespace(redisUrl, namespace);
      const db = createDb(infra().databaseUrl);
      await db('users')
        .whereIn('email', emails)
        .delete()
        .finally(() => db.destroy());
    },
  };
}
