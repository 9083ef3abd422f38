import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { z } from 'zod';
import { startApi } from '../../src/api/main';
import { OPERATIONS, type OpenApiDocument, type Operation, buildOpenApiDocument } from '../../src/api/docs/openapi';
import { generateRoomCode, isRoomCode } from '../../src/game/room-code';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';
import { createDb } from '../../src/platform/db';
import { ApiClient, type HttpResult } from '../helpers/api-client';
import { GENEROUS_LIMITS, deleteNamespace, infra, testNamespace } from '../helpers/infra';

/** Served, but pages and files rather than REST operations: the docs themselves, the web client's vendored files, Bull Board. */
const NOT_OPERATIONS = [/^GET \/docs(\/|$)/, /^GET \/(openapi|asyncapi)\.json$/, /^GET \/vendor\//, /^\w+ \/admin\/queues(\/|$)/];

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: string;
}

/** Every `METHOD /path` the Express app routes, in OpenAPI form (`:code` → `{code}`). */
function servedRoutes(app: Express): string[] {
  const walk = (stack: Layer[], prefix: string): string[] =>
    stack.flatMap((layer) => {
      const route = layer.route;
      if (route) return Object.keys(route.methods).map((m) => `${m.toUpperCase()} ${prefix}${route.path}`.replace(/:(\w+)/g, '{$1}'));
      const mount = layer.rawPath && layer.rawPath !== '/' ? layer.rawPath : '';
      return layer.handle?.stack ? walk(layer.handle.stack, prefix + mount) : [];
    });
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
}

function documentedOperations(doc: OpenApiDocument): { key: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${p}`, op })));
}

/** A validator built from the document's own JSON Schema (not from our zod schemas), with its refs resolved. */
function documentedSchema(doc: OpenApiDocument, component: string): z.ZodType {
  const local = <T>(v: T): T => JSON.parse(JSON.stringify(v).replaceAll('"#/components/schemas/', '"#/$defs/')) as T;
  return z.fromJSONSchema({ ...local(doc.components.schemas[component]), $defs: local(doc.components.schemas) });
}

function allRefs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allRefs);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : allRefs(v)));
}

const doc = buildOpenApiDocument();
const namespace = testNamespace('openapi');
const emails: string[] = [];
let api: Awaited<ReturnType<typeof startApi>>;
let client: ApiClient;

beforeAll(async () => {
  const { redisUrl, databaseUrl } = infra();
  const config = loadConfig({ REDIS_URL: redisUrl, DATABASE_URL: databaseUrl, QUIZLOOP_NAMESPACE: namespace, LOG_LEVEL: 'silent', ...GENEROUS_LIMITS }, 'api');
  api = await startApi({ ...config, redisUrl, databaseUrl }, createLogger('api', 'silent'), 0);
  client = new ApiClient(`http://127.0.0.1:${api.port}`, { game: () => {}, email: (e) => emails.push(e) });
});

afterAll(async () => {
  await api?.stop();
  await deleteNamespace(infra().redisUrl, namespace);
  const db = createDb(infra().databaseUrl);
  await db('users')
    .whereIn('email', emails)
    .delete()
    .finally(() => db.destroy());
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document, by the OpenAPI schema', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(doc)) as Record<string, unknown>);

    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('is refused by that validator when a parameter does not say where it goes', async () => {
    const broken = JSON.parse(JSON.stringify(doc)) as { paths: Record<string, Record<string, { parameters?: { in?: string }[] }>> };
    delete broken.paths['/rooms/{code}']?.get?.parameters?.[0]?.in;

    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it('is OpenAPI 3.1 with the package version and a relative server', () => {
    const pkg = JSON.parse(readFileSync(path.join(infra().repoRoot, 'package.json'), 'utf8')) as { version: string };

    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe(pkg.version);
    expect(doc.servers).toEqual([{ url: '/' }]);
  });

  it('documents every route the api serves, and nothing it does not', () => {
    const served = servedRoutes(api.app).filter((r) => !NOT_OPERATIONS.some((re) => re.test(r)));

    expect(
      documentedOperations(doc)
        .map((o) => o.key)
        .sort(),
    ).toEqual([...new Set(served)].sort());
  });

  it('gives every operation a unique id, a summary, one success and problem+json errors', () => {
    const ops = documentedOperations(doc);

    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
    for (const { key, op } of ops) {
      expect(op.summary, key).toBeTruthy();
      const statuses = Object.keys(op.responses);
      expect(
        statuses.filter((s) => /^2\d\d$/.test(s)),
        key,
      ).toHaveLength(1);
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        expect(op.responses[status]?.content, `${key} ${status}`).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } });
      }
    }
  });

  it('declares each path parameter, and security only from its schemes', () => {
    for (const { key, op } of documentedOperations(doc)) {
      const inPath = [...key.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(op.parameters?.filter((p) => p.in === 'path').map((p) => p.name) ?? [], key).toEqual(inPath);
      for (const requirement of op.security ?? []) {
        for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes, key).toHaveProperty(scheme);
      }
    }
  });

  it('holds every request and answer schema as a component, and resolves every $ref to one', () => {
    const refs = allRefs(doc);

    const named = OPERATIONS.flatMap((op) => [op.body, 'schema' in op.answer ? op.answer.schema : undefined]).flatMap((n) => Object.keys(n ?? {}));

    expect(Object.keys(doc.components.schemas).sort()).toEqual([...new Set([...named, 'Problem'])].sort());
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(Object.keys(doc.components.schemas)).toContain(ref.replace('#/components/schemas/', ''));
  });

  it('gives the room code the pattern the routes accept', () => {
    const pattern = new RegExp(doc.paths['/rooms/{code}']?.get?.parameters?.[0]?.schema.pattern ?? 'missing');
    const samples = [...Array.from({ length: 50 }, generateRoomCode), 'K7QM2', 'K7QM2XY', 'O0I1L5', 'K7QM2!', ''];

    for (const code of samples) expect(pattern.test(code), code).toBe(isRoomCode(code));
  });
});

describe('the documented room settings', () => {
  // Not here: a whitespace-only category, which the route refuses after trimming; JSON Schema has no words for trimming.
  const examples: unknown[] = [
    {},
    { questionCount: 1 },
    { questionCount: 50 },
    { questionCount: 0 },
    { questionCount: 51 },
    { questionCount: 2.5 },
    { questionCount: '10' },
    { category: 'Science' },
    { category: null },
    { category: '' },
    { category: 'x'.repeat(61) },
    { category: 7 },
    { difficulty: 'hard' },
    { difficulty: null },
    { difficulty: 'extreme' },
    { questionSeconds: 3 },
    { questionSeconds: 2 },
    { questionSeconds: 120 },
    { questionSeconds: 121 },
    { revealSeconds: 0 },
    { revealSeconds: 60 },
    { mode: 'first-correct' },
    { mode: 'sudden-death' },
    { pointsPerQuestion: 0 },
    { pointsPerQuestion: 2001 },
    { streakBonus: true },
    { streakBonus: 'yes' },
    { resultsPublic: true },
    { resultsPublic: 'yes' },
    { passphrase: 'open sesame' },
    { passphrase: 'abc' },
    { questionCount: 5, colour: 'red' },
    [],
    'ten questions',
  ];

  it('accept and refuse the same bodies as POST /rooms', async () => {
    const documented = documentedSchema(doc, 'CreateRoom');
    const { token } = await client.registerHost('Docs');

    const verdicts = await Promise.all(
      examples.map(async (body) => {
        const res = await client.request('POST', '/rooms', { token, body });
        return { body, route: res.status === 201, documented: documented.safeParse(body).success, status: res.status };
      }),
    );

    expect(verdicts.filter((v) => v.status !== 201 && v.status !== 400)).toEqual([]);
    expect(verdicts.filter((v) => v.route !== v.documented)).toEqual([]);
    expect(verdicts.filter((v) => v.route).length).toBeGreaterThan(10);
    expect(verdicts.filter((v) => !v.route).length).toBeGreaterThan(10);
  });
});

describe('the api, against its document', () => {
  /** Checks a real answer: its status is documented for the operation, and its body fits the documented schema. */
  function expectDocumented(key: string, res: HttpResult): void {
    const [method = '', docPath = ''] = key.split(' ');
    const response = doc.paths[docPath]?.[method.toLowerCase() as 'get' | 'post']?.responses[res.status];
    expect(response, `${key} answered ${res.status}: ${JSON.stringify(res.body)}`).toBeDefined();
    const [mediaType, { schema }] = Object.entries(response?.content ?? {})[0] ?? ['', { schema: {} }];
    expect(res.contentType, key).toContain(mediaType);
    const component = schema.$ref?.replace('#/components/schemas/', '');
    if (component) expect(documentedSchema(doc, component).safeParse(res.body).error, key).toBeUndefined();
  }

  it('answers a game set-up as documented, errors included', async () => {
    const { token, email } = await client.registerHost('Docs');
    expectDocumented('POST /auth/login', await client.request('POST', '/auth/login', { body: { email, password: 'correct horse battery' } }));
    expectDocumented(
      'POST /auth/register',
      await client.request('POST', '/auth/register', { body: { email, password: 'correct horse battery', displayName: 'Again' } }),
    );
    const created = await client.request<{ code: string; room: { version: number } }>('POST', '/rooms', { token, body: { questionCount: 3 } });
    expectDocumented('POST /rooms', created);
    const code = created.body.code;

    expectDocumented('GET /rooms/{code}', await client.request('GET', `/rooms/${code}`));
    expectDocumented('POST /rooms/{code}/players', await client.request('POST', `/rooms/${code}/players`, { body: { nickname: 'Ann' } }));
    expectDocumented('POST /rooms/{code}/players', await client.request('POST', `/rooms/${code}/players`, { body: { nickname: 'ann' } }));
    expectDocumented('POST /rooms/{code}/start', await client.request('POST', `/rooms/${code}/start`, { token }));
    expectDocumented('POST /rooms/{code}/start', await client.request('POST', `/rooms/${code}/start`, { token, body: { version: created.body.room.version } }));
    expectDocumented('GET /rooms/{code}', await client.request('GET', '/rooms/O0O0O0'));
    expectDocumented('POST /rooms', await client.request('POST', '/rooms', { body: {} }));
    expectDocumented('GET /games/{id}/results', await client.request('GET', `/games/${randomUUID()}/results`));
    for (const p of ['/health', '/ready', '/categories', '/client-config']) expectDocumented(`GET ${p}`, await client.request('GET', p));
  });

  it('answers the leaderboards and history as documented, errors included', async () => {
    const { token, userId } = await client.registerHost('Docs');
    expectDocumented('GET /leaderboards', await client.request('GET', '/leaderboards'));
    expectDocumented('GET /leaderboards/{board}', await client.request('GET', '/leaderboards/weekly?limit=3'));
    expectDocumented('GET /leaderboards/{board}', await client.request('GET', '/leaderboards/monthly'));
    expectDocumented('GET /leaderboards/{board}', await client.request('GET', '/leaderboards/global?limit=0'));
    expectDocumented('GET /leaderboards/{board}/players/{userId}', await client.request('GET', `/leaderboards/global/players/${userId}`));
    expectDocumented('GET /leaderboards/{board}/players/{userId}/around', await client.request('GET', '/leaderboards/global/players/nobody/around'));
    expectDocumented('GET /me/games', await client.request('GET', '/me/games', { token }));
    expectDocumented('GET /me/games', await client.request('GET', '/me/games'));
    expectDocumented('GET /games/{id}/results.csv', await client.request('GET', `/games/${randomUUID()}/results.csv`));
  });

  it('answers the account routes as documented, errors included', async () => {
    const { token } = await client.registerHost('Docs');
    const { token: leaving } = await client.registerHost('Docs');
    const change = (currentPassword: string, newPassword: string) =>
      client.request<{ token: string }>('POST', '/me/password', { token, body: { currentPassword, newPassword } });

    expectDocumented('GET /me', await client.request('GET', '/me', { token }));
    expectDocumented('GET /me', await client.request('GET', '/me'));
    expectDocumented('POST /me/password', await change('not the password', 'another good secret'));
    expectDocumented('POST /me/password', await change('correct horse battery', 'short'));
    const changed = await change('correct horse battery', 'another good secret');
    expectDocumented('POST /me/password', changed);
    expectDocumented('GET /me', await client.request('GET', '/me', { token }));
    expectDocumented('DELETE /me', await client.request('DELETE', '/me', { token: changed.body.token, body: { password: 'not the password' } }));
    expectDocumented('DELETE /me', await client.request('DELETE', '/me', { token: leaving, body: {} }));
    const deleted = await client.request('DELETE', '/me', { token: leaving, body: { password: 'correct horse battery' } });
    expect(deleted.status).toBe(204);
    expectDocumented('DELETE /me', deleted);
    expectDocumented('DELETE /me', await client.request('DELETE', '/me', { token: leaving, body: { password: 'correct horse battery' } }));
  });

  it('answers refused bodies and a deleted room as documented', async () => {
    const { token } = await client.registerHost('Docs');
    const created = await client.request<{ code: string; hostToken: string }>('POST', '/rooms', { token, body: { questionCount: 3 } });
    const code = created.body.code;
    const tooLarge = await client.request('POST', '/auth/login', { body: { email: 'docs@quizloop.test', password: 'x'.repeat(100_000) } });
    const notJson = await client.request('POST', '/rooms', {
      token,
      rawBody: 'questionCount=3',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await client.request('DELETE', `/rooms/${code}`, { token: created.body.hostToken });

    expectDocumented('POST /auth/login', tooLarge);
    expect(tooLarge.status).toBe(413);
    expectDocumented('POST /rooms', notJson);
    expect(notJson.status).toBe(415);
    for (const [key, path] of [
      ['GET /rooms/{code}/standings', `/rooms/${code}/standings`],
      ['GET /rooms/{code}/qr.svg', `/rooms/${code}/qr.svg`],
    ]) {
      const res = await client.request('GET', path ?? '');
      expect(res.status, path).toBe(410);
      expectDocumented(key ?? '', res);
    }
    const join = await client.request('POST', `/rooms/${code}/players`, { body: { nickname: 'Late' } });
    expect(join.status).toBe(410);
    expectDocumented('POST /rooms/{code}/players', join);
    const hostToken = created.body.hostToken;
    for (const [key, method, path] of [
      ['GET /rooms/{code}/players', 'GET', `/rooms/${code}/players`],
      ['DELETE /rooms/{code}/players/{playerId}', 'DELETE', `/rooms/${code}/players/p_${'a'.repeat(12)}`],
      ['POST /rooms/{code}/again', 'POST', `/rooms/${code}/again`],
    ] as const) {
      const res = await client.request(method, path, { token: hostToken });
      expect(res.status, key).toBe(410);
      expectDocumented(key, res);
    }
  });

  it('serves the document at /openapi.json', async () => {
    const res = await client.request('GET', '/openapi.json');

    expect(res.status).toBe(200);
    expect(res.contentType).toContain('application/json');
    expect(res.body).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it('serves Swagger UI at /docs, from swagger-ui-dist, pointed at /openapi.json', async () => {
    const page = await fetch(`${client.baseUrl}/docs`);
    const html = await page.text();
    const initializer = await (await fetch(`${client.baseUrl}/docs/swagger-initializer.js`)).text();
    const bundle = await fetch(`${client.baseUrl}/docs/swagger-ui-bundle.js`);
    const css = await fetch(`${client.baseUrl}/docs/swagger-ui.css`);

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(html).toContain('<script src="/docs/swagger-ui-bundle.js">');
    expect(initializer).toContain("url: '/openapi.json'");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(500_000);
    expect(css.status).toBe(200);
  });
});
