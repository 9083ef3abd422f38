import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/platform/db';
import type { Db } from '../../src/platform/db';
import { createKeys } from '../../src/store/keys';
import { Redis } from 'ioredis';
import type { CreatedRoom } from '../helpers/api-client';
import { infra } from '../helpers/infra';
import { type RecordingClient, RecordingClient as Client } from '../helpers/recording-client';
import { Stack, printLogsOnFailure } from '../helpers/stack';

/**
 * Generated bad input over every operation of the served OpenAPI document and every socket event,
 * against the three processes. `FUZZ_RUNS` sets the inputs per property (default: a budget that
 * keeps this file to seconds in `npm test`); e.g. `FUZZ_RUNS=10000 npx vitest run test/e2e/fuzz.test.ts`.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const TIMEOUT_MS = Math.max(60_000, RUNS * 60);

type Op = { method: string; path: string; query: string[]; hasBody: boolean };

/** Strings that have broken servers: malformed escapes, NUL, bidi, huge, look-alikes, numbers, paths. */
const NASTY = [
  '%C0%AF',
  '%',
  '%%',
  '%E0%A4%A',
  '%00',
  '%FF%FE',
  '..%2F..%2Fetc%2Fpasswd',
  '\u0000',
  '\u202Eevil',
  'a\u200Bb',
  '\uD800',
  '-1',
  '0',
  '1e309',
  'NaN',
  '9007199254740993',
  'null',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  "' OR 1=1 --",
  'A'.repeat(5000),
  'ＡＮＮ',
  'p_AAAAAAAAAAAA',
  '00000000-0000-0000-0000-000000000000',
  'global',
  'weekly',
  '2026-W99',
];
const nasty = fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 10 }));
/** encodeURIComponent, but a lone surrogate (which it refuses) goes as the bytes of an encoded one: invalid UTF-8. */
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};
/** A path segment: mostly encoded, sometimes one of the raw escapes as a client might send it. */
const segment = fc.oneof(nasty.map(encode), fc.constantFrom('%C0%AF', '%', '%E0%A4%A', '%FF', '%2e%2e'));
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=latin1',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/problem+json',
  '',
];

describe('generated bad input', () => {
  let stack: Stack;
  let db: Db;
  let redis: Redis;
  let ops: Op[];
  let fieldNames: string[];
  let userToken: string;
  let userId: string;
  /** Room A is never handed to the generator with its host token: its state must never change. */
  let roomA: CreatedRoom;
  /** Room B's host token is handed out, so host controls run for real too. */
  let roomB: CreatedRoom;
  let player: { playerId: string; token: string };
  /** A room with a join passphrase, and a finished game with private results, both of another host: every generated call is a stranger's. */
  let privateRoom: CreatedRoom;
  let privateGameId: string;

  beforeAll(async () => {
    stack = await Stack.start('fuzz', undefined, { env: { SOCKET_EVENTS_PER_SECOND: '100000', SOCKET_EVENT_BURST: '100000' } });
    db = createDb(infra().databaseUrl);
    redis = new Redis(infra().redisUrl);
    ({ token: userToken, userId } = await stack.api.registerHost('Fuzzer'));
    roomA = await stack.api.createRoom(userToken, { questionCount: 2, questionSeconds: 30, revealSeconds: 1 });
    roomB = await stack.api.createRoom(userToken, { questionCount: 2, questionSeconds: 30, revealSeconds: 1 });
    await Promise.all([stack.api.waitForLobby(roomA.code), stack.api.waitForLobby(roomB.code)]);
    player = await stack.api.join(roomA.code, 'Pat');
    const other = await stack.api.registerHost('Other host');
    privateRoom = await stack.api.createRoom(other.token, { questionCount: 1, questionSeconds: 30, revealSeconds: 1, passphrase: 'fuzz passphrase' });
    const played = await stack.api.createRoom(other.token, { questionCount: 1, questionSeconds: 30, revealSeconds: 1 });
    await stack.api.waitForLobby(played.code);
    await stack.api.join(played.code, 'Guest');
    await stack.api.start(played.code, played.hostToken);
    await stack.api.control(played.code, 'end', played.hostToken);
    privateGameId = (await stack.api.waitForResults(played.gameId, 30_000)).game.id;

    const doc = (await (await fetch(`${stack.apiUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        hasBody: op.requestBody !== undefined,
      })),
    );
    fieldNames = [...new Set(Object.values(doc.components.schemas).flatMap((s) => Object.keys(s.properties ?? {})))];
  }, 90_000);

  printLogsOnFailure(() => stack);

  afterAll(async () => {
    redis?.disconnect();
    await db?.destroy();
    await stack?.stop();
  });

  /**
   * What a refusal must leave alone: the fuzzing user's questions and categories, and room A (record,
   * players, lock). Only this file's own rows: other test files write to the same tables meanwhile.
   */
  async function snapshot() {
    const keys = createKeys(stack.namespace);
    const count = async (q: ReturnType<Db>) => Number((await q.count<{ n: string }[]>('* as n'))[0]?.n);
    const [questions, categories, record, players, locked, privatePlayers, privateGame] = await Promise.all([
      count(db('questions').where({ author_id: userId }).whereNull('deleted_at')),
      count(db('categories').where({ created_by: userId })),
      redis.get(keys.room(roomA.code)),
      redis.hlen(keys.players(roomA.code)),
      redis.exists(keys.locked(roomA.code)),
      redis.hlen(keys.players(privateRoom.code)),
      db('games').where({ id: privateGameId }).first('settings'),
    ]);
    return { questions, categories, record, players, locked, privatePlayers, privateGame };
  }

  /** A refused registration made no account. */
  async function noAccountFrom(body: string | undefined): Promise<boolean> {
    let email: unknown;
    try {
      email = (JSON.parse(body ?? '') as { email?: unknown }).email;
    } catch {
      return true;
    }
    if (typeof email !== 'string') return true;
    return (
      (await db('users')
        .whereRaw('lower(email) = lower(?)', [email.trim().replaceAll('\u0000', '')])
        .first()) === undefined
    );
  }

  it(
    'answers every operation of the OpenAPI document with no 5xx, a problem on every 4xx, and no change after a refusal',
    async () => {
      expect(ops.length).toBeGreaterThan(30);
      const tokens = () => [`Bearer ${userToken}`, `Bearer ${roomB.hostToken}`, `Bearer ${player.token}`, 'Bearer x.y.z', 'Basic Og==', 'Bearer', ''];
      const request = fc.record({
        op: fc.constantFrom(...ops),
        // Now and then a real private room's code or private game's id, so passphrase and results checks run.
        params: fc.array(fc.oneof({ weight: 4, arbitrary: segment }, { weight: 1, arbitrary: fc.constantFrom(privateRoom.code, privateGameId) }), {
          minLength: 4,
          maxLength: 4,
        }),
        query: fc.array(fc.tuple(fc.boolean(), nasty), { maxLength: 4 }),
        body: fc.oneof(
          fc
            .dictionary(fc.oneof(fc.constantFrom(...fieldNames), nasty), fc.oneof(fc.jsonValue({ maxDepth: 2 }), nasty), { maxKeys: 6 })
            .map((v) => JSON.stringify(v)),
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          nasty,
          fc.constant(undefined),
        ),
        contentType: fc.constantFrom(...CONTENT_TYPES),
        encoding: fc.constantFrom(undefined, undefined, undefined, 'gzip', 'gzip-real', 'br', 'bogus'),
        auth: fc.nat({ max: 6 }),
      });

      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let i = 0;
          const path = r.op.path.replace(/\{\w+\}/g, () => r.params[i++] ?? 'x');
          const pairs = r.query.map(
            ([known, value], n) =>
              `${encode(known && r.op.query.length ? (r.op.query[n % r.op.query.length] ?? 'q') : value.slice(0, 8) || 'k')}=${encode(value)}`,
          );
          const headers: Record<string, string> = {};
          const auth = tokens()[r.auth];
          if (auth) headers.authorization = auth;
          // fetch sends no body with GET or HEAD.
          const bodyless = r.op.method === 'GET' || r.op.method === 'HEAD';
          let body: string | Uint8Array | undefined = bodyless || r.body === undefined ? undefined : r.op.hasBody ? r.body : r.body.slice(0, 100);
          if (body !== undefined) {
            if (r.contentType) headers['content-type'] = r.contentType;
            if (r.encoding === 'gzip-real') {
              body = new Uint8Array(gzipSync(body));
              headers['content-encoding'] = 'gzip';
            } else if (r.encoding) headers['content-encoding'] = r.encoding;
          }
          const before = await snapshot();
          const res = await fetch(`${stack.apiUrl}${path}${pairs.length ? `?${pairs.join('&')}` : ''}`, {
            method: r.op.method,
            headers,
            body: body as BodyInit | undefined,
            redirect: 'manual',
          });
          const text = await res.text();
          const what = `${r.op.method} ${path} → ${res.status} ${text.slice(0, 200)}`;

          expect(res.status, what).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get('content-type'), what).toMatch(/^application\/problem\+json/);
            expect((JSON.parse(text) as { status: number }).status, what).toBe(res.status);
            expect(await snapshot(), what).toEqual(before);
            if (r.op.path === '/auth/register') expect(await noAccountFrom(typeof body === 'string' ? body : undefined), what).toBe(true);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  describe('over the socket', () => {
    let playerClient: RecordingClient;
    let hostClient: RecordingClient;

    beforeAll(async () => {
      playerClient = await Client.connect(stack.socketUrl, player.token, 'player');
      hostClient = await Client.connect(stack.socketUrl, roomA.hostToken, 'host');
    });

    afterAll(() => {
      playerClient?.close();
      hostClient?.close();
    });

    it(
      'acks every event, known or not, with any arguments, with {ok} or {ok:false, error:{code, message}}, changing nothing',
      async () => {
        const event = fc.oneof(fc.constantFrom('answer:submit', 'room:sync', 'answer:submit', 'room:sync'), nasty);
        const args = fc.array(
          fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ questionIndex: fc.oneof(fc.integer(), fc.jsonValue()), choice: fc.jsonValue(), text: nasty })),
          { maxLength: 3 },
        );

        await fc.assert(
          fc.asyncProperty(event, args, fc.boolean(), async (name, values, asHost) => {
            const socket = (asHost ? hostClient : playerClient).socket as unknown as {
              timeout(ms: number): { emitWithAck(e: string, ...a: unknown[]): Promise<unknown> };
            };
            const before = await snapshot();
            const ack = (await socket.timeout(5_000).emitWithAck(name, ...values)) as { ok: boolean; error?: { code: unknown; message: unknown } };
            const what = `${name} ${JSON.stringify(values).slice(0, 200)} → ${JSON.stringify(ack).slice(0, 200)}`;

            expect(typeof ack.ok, what).toBe('boolean');
            if (!ack.ok) {
              expect(typeof ack.error?.code, what).toBe('string');
              expect(typeof ack.error?.message, what).toBe('string');
              expect(await snapshot(), what).toEqual(before);
            }
          }),
          { numRuns: RUNS },
        );
      },
      TIMEOUT_MS,
    );

    it(
      'refuses any handshake auth that is not a token, with {code, message}',
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 2 }), nasty), async (token) => {
            const socket = io(stack.socketUrl, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
            const refusal = await new Promise<{ message: string; data?: { code?: unknown } }>((resolve, reject) => {
              socket.once('connect_error', (err: Error & { data?: { code?: unknown } }) => resolve(err));
              socket.once('connect', () => reject(new Error(`admitted with ${JSON.stringify(token)}`)));
            }).finally(() => socket.close());

            expect(typeof refusal.data?.code).toBe('string');
          }),
          { numRuns: Math.max(20, Math.round(RUNS / 5)) },
        );
      },
      TIMEOUT_MS,
    );

    it('left every process running, answering, and room A as it was', async () => {
      expect(['api', 'socket', 'worker'].filter((r) => !stack.alive(r as 'api'))).toEqual([]);
      expect((await fetch(`${stack.apiUrl}/health`)).status).toBe(200);
      expect((await playerClient.sync()).ok).toBe(true);
      expect((await stack.api.room(roomA.code)).phase).toBe('lobby');
    });
  });
});
