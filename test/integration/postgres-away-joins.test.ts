import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpResult } from '../helpers/api-client';
import { startInProcessApi } from '../helpers/in-process-api';
import { infra, waitUntil } from '../helpers/infra';
import { TcpProxy } from '../helpers/tcp-proxy';

const WAIT_MS = 500;
const RETRY_MS = 3000;
const JOINS = 20;

let proxy: TcpProxy;
let running: Awaited<ReturnType<typeof startInProcessApi>>;
let code: string;
let members: { token: string }[];
let gone: { token: string };
let goneWhileUp: HttpResult;

const join = (token: string, nickname: string) => running.client.request('POST', `/rooms/${code}/players`, { token, body: { nickname } });

beforeAll(async () => {
  const front = await TcpProxy.inFrontOf(infra().databaseUrl, 5432);
  proxy = front.proxy;
  running = await startInProcessApi('pg-away-joins', {
    DATABASE_URL: front.url,
    POSTGRES_CHECK_WAIT_MS: String(WAIT_MS),
    POSTGRES_CHECK_RETRY_MS: String(RETRY_MS),
  });
  const { client } = running;
  const host = await client.registerHost('Host');
  code = (await client.createRoom(host.token, { questionCount: 1, questionSeconds: 10, revealSeconds: 2 })).code;
  members = await Promise.all(Array.from({ length: JOINS }, (_, i) => client.registerHost(`Member ${i}`)));
  gone = await client.registerHost('Gone');
  const deleted = await client.request('DELETE', '/me', { token: gone.token, body: { password: 'correct horse battery' } });
  expect(deleted.status).toBe(204);
  goneWhileUp = await join(gone.token, 'Gone');
});

afterAll(async () => {
  // Dropping the proxy's connections first fails the queries still held in it, so the api's pool closes at once.
  await proxy?.stop();
  await running?.stop();
});

it('refuses the join of a deleted account while PostgreSQL answers', () => {
  expect(goneWhileUp.status).toBe(401);
});

describe('signed-in players joining while PostgreSQL does not answer', () => {
  let whileAway: HttpResult[];
  let awayMs = 0;
  let goneWhileAway: HttpResult;

  beforeAll(async () => {
    // PostgreSQL hangs: its replies take 20 s, past every check's wait.
    proxy.delayMs = 20_000;
    const started = Date.now();
    whileAway = [];
    for (const [i, member] of members.entries()) whileAway.push(await join(member.token, `Member ${i}`));
    awayMs = Date.now() - started;
    goneWhileAway = await join(gone.token, 'Gone');
  });

  it('lets them all in, unchecked, and only the first waits for PostgreSQL', () => {
    expect(whileAway.map((res) => res.status)).toEqual(Array(JOINS).fill(201));
    // Each waiting out POSTGRES_CHECK_WAIT_MS would take JOINS × WAIT_MS (10 s); one wait and 19 joins take far less.
    expect(awayMs).toBeLessThan(JOINS * WAIT_MS);
  });

  it('lets a deleted account in too while the checks are skipped: the trade the api makes to keep joins working', () => {
    expect(goneWhileAway.status).toBe(201);
  });

  it('refuses the deleted account again once PostgreSQL answers, within the retry time', async () => {
    proxy.delayMs = 0;
    // Replies already on their way keep their delay on the connections they hold, so the first checks after the retry may still miss.
    const refused = await waitUntil(
      'the deleted account to be refused again',
      async () => {
        const res = await join(gone.token, `Gone ${Date.now()}`);
        return res.status === 401 ? res : undefined;
      },
      RETRY_MS + 25_000,
      500,
    );

    expect(refused.contentType).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });
});
