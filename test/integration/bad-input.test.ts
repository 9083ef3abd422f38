import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, HttpResult } from '../helpers/api-client';
import { startInProcessApi } from '../helpers/in-process-api';

let running: Awaited<ReturnType<typeof startInProcessApi>>;
let client: ApiClient;
let token: string;

type Problem = { status: number; code: string; detail: string; errors?: { path: string; message: string }[] };

function expectProblem(res: HttpResult<unknown>, status: number): Problem {
  expect(res.status).toBe(status);
  expect(res.contentType).toMatch(/^application\/problem\+json/);
  const body = res.body as Problem;
  expect(body.status).toBe(status);
  return body;
}

beforeAll(async () => {
  running = await startInProcessApi('bad-input');
  client = running.client;
  ({ token } = await client.registerHost('Badder'));
});

afterAll(async () => {
  await running?.stop();
});

describe('a malformed request', () => {
  it('with bad percent-encoding in a path parameter is a 400 problem', async () => {
    for (const path of ['/rooms/%C0%AF', '/questions/%E0%A4%A', '/games/%FF/results', '/leaderboards/global/players/%']) {
      const body = expectProblem(await client.request('GET', path, { token }), 400);
      expect(body.code, path).toBe('BAD_REQUEST');
    }
  });

  it('whose body does not inflate as its Content-Encoding says is a 400, an unknown encoding a 415', async () => {
    const json = JSON.stringify({ email: 'x@example.com', password: 'whatever' });

    const notGzip = await client.request('POST', '/auth/login', { rawBody: json, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
    const unknown = await client.request('POST', '/auth/login', {
      rawBody: json,
      headers: { 'content-type': 'application/json', 'content-encoding': 'bogus' },
    });

    expectProblem(notGzip, 400);
    expect(expectProblem(unknown, 415).detail).toMatch(/Content-Encoding/);
  });

  it('with a real gzip body is read', async () => {
    const res = await fetch(`${client.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ email: 'nobody@example.com', password: 'whatever' })),
    });

    expect(res.status).toBe(401);
  });

  it('with a body that is not JSON is a 415, not read as {}', async () => {
    const form = await client.request('POST', '/rooms', {
      token,
      rawBody: 'questionCount=3',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const text = await client.request('POST', '/rooms', { token, rawBody: '{"questionCount":3}', headers: { 'content-type': 'text/plain' } });
    const csvElsewhere = await client.request('POST', '/categories', { token, rawBody: 'name\nx', headers: { 'content-type': 'text/csv' } });

    expect(expectProblem(form, 415).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expectProblem(text, 415);
    expectProblem(csvElsewhere, 415);
  });

  it('typed application/*+json is read as JSON, so its settings are taken', async () => {
    const res = await client.request('POST', '/rooms', {
      token,
      rawBody: JSON.stringify({ questionCount: 3, questionSeconds: 7, passphrase: 'quiet lantern' }),
      headers: { 'content-type': 'application/vnd.quizloop+json' },
    });

    expect(res.status).toBe(201);
    const { code, room } = res.body as { code: string; room: { settings: { questionCount: number; questionSeconds: number }; passphraseRequired: boolean } };
    expect(room.settings).toMatchObject({ questionCount: 3, questionSeconds: 7 });
    expect(room.passphraseRequired).toBe(true);
    await client.request('DELETE', `/rooms/${code}`, { token });
  });

  it('with a question or category id past PostgreSQL integer range is a 400, not a 500', async () => {
    for (const [method, path] of [
      ['GET', '/questions/2147483648'],
      ['DELETE', '/questions/99999999999'],
      ['DELETE', '/categories/2147483648'],
    ] as const) {
      expect(expectProblem(await client.request(method, path, { token }), 400).code, path).toBe('BAD_REQUEST');
    }
    const found = await client.request('GET', '/questions/2147483647', { token });
    expect(expectProblem(found, 404).code).toBe('NOT_FOUND');
  });
});

describe('a question that breaks a rule of its type', () => {
  it('names the field to fix beside each problem', async () => {
    const ask = (body: Record<string, unknown>) =>
      client.request('POST', '/questions', { token, body: { category: 'Plain', difficulty: 'easy', text: 'Which?', ...body } });

    const outOfRange = expectProblem(await ask({ type: 'multiple', choices: ['a', 'b'], correct: [5] }), 400);
    const noCorrect = expectProblem(await ask({ type: 'multiple', choices: ['a', 'b'], correct: [] }), 400);
    const sameChoices = expectProblem(await ask({ type: 'multiple', choices: ['Paris', ' paris'], correct: [0] }), 400);
    const nothingAccepted = expectProblem(await ask({ type: 'type-answer', accepted: [] }), 400);

    expect(outOfRange.errors).toEqual([{ path: 'correct', message: 'correct holds distinct indexes of choices' }]);
    expect(noCorrect.errors?.map((e) => e.path)).toEqual(['correct']);
    expect(sameChoices.errors?.map((e) => e.path)).toEqual(['choices']);
    expect(nothingAccepted.errors?.map((e) => e.path)).toEqual(['accepted']);
  });
});

describe('a control, bidi or invisible character in a text field', () => {
  const BAD = ['nul\u0000', 'bell\u0007', 'rtl\u202Eevil', 'zero\u200Bwidth', 'isolate\u2066x'];

  it('is refused at the schema of every body field, naming the field', async () => {
    for (const bad of BAD) {
      const room = expectProblem(await client.request('POST', '/rooms', { token, body: { category: bad } }), 400);
      const category = expectProblem(await client.request('POST', '/categories', { token, body: { name: bad } }), 400);
      const question = expectProblem(
        await client.request('POST', '/questions', {
          token,
          body: { category: 'Plain', difficulty: 'easy', type: 'multiple', text: bad, choices: ['a', 'b'], correct: [0] },
        }),
        400,
      );
      const register = expectProblem(
        await client.request('POST', '/auth/register', {
          body: { email: `bad${running.emails.length}-${bad.length}@example.com`, password: 'a long passphrase', displayName: bad },
        }),
        400,
      );

      expect(room.errors?.[0]?.path).toBe('category');
      expect(category.errors?.[0]?.path).toBe('name');
      expect(question.errors?.[0]?.path).toBe('text');
      expect(register.errors?.[0]?.path).toBe('displayName');
    }
  });

  it('is refused in a query', async () => {
    const search = await client.request('GET', `/questions?q=${encodeURIComponent('a\u0000b')}`, { token });
    const category = await client.request('GET', `/questions?category=${encodeURIComponent('x\u202E')}`, { token });

    expect(expectProblem(search, 400).errors?.[0]?.path).toBe('q');
    expectProblem(category, 400);
  });

  it('creates nothing: no room is left building with a bad category', async () => {
    const before = await client.request<{ questions: unknown }>('GET', '/me/games', { token });
    const res = await client.request('POST', '/rooms', { token, body: { category: 'Science\u0000' } });

    expectProblem(res, 400);
    expect((await client.request('GET', '/me/games', { token })).body).toEqual(before.body);
  });

  it('leaves line breaks in question text alone', async () => {
    const res = await client.request('POST', '/questions', {
      token,
      body: { category: 'Plain', difficulty: 'easy', type: 'multiple', text: 'Line one\nline two?', choices: ['a', 'b'], correct: [0] },
    });

    expect(res.status).toBe(201);
  });
});

describe('a new password', () => {
  const register = (password: string) =>
    client.request('POST', '/auth/register', { body: { email: `pw-${password.length}-${Date.now()}@example.com`, password, displayName: 'Pw' } });

  it.each(['password1', 'iloveyou', 'Qwerty123', 'short7!'])('is refused when common or short (%s)', async (password) => {
    const body = expectProblem(await register(password), 400);

    expect(body.errors?.[0]?.path).toBe('password');
  });

  it('is taken when long and uncommon, spaces and any script included', async () => {
    const res = await register('zebra ünïcode 月 walrus');
    if (res.status === 201) running.emails.push(JSON.parse(JSON.stringify(res.body)).user.email);

    expect(res.status).toBe(201);
  });
});

describe('a nickname', () => {
  let code: string;
  beforeAll(async () => {
    code = (await client.createRoom(token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1 })).code;
  });
  const join = (nickname: string) => client.request('POST', `/rooms/${code}/players`, { body: { nickname } });

  it.each([
    ['an invisible character', 'Ann\u200B'],
    ['a bidi override', '\u202Eevil'],
    ['only a Hangul filler, drawn as a blank', '\u3164'],
    ['a half-width Hangul filler inside a name, so it reads as another', 'A\uFFA0nn'],
    ['only a blank Braille pattern', '\u2800\u2800'],
    ['a profanity', 'shit'],
    ['a profanity in leetspeak', 'sh1t'],
    ['a profanity in Cyrillic look-alikes', 'ѕhіt'],
    ['a profanity in full-width letters', 'ｓｈｉｔ'],
    ['a profanity spaced out', 's h i t'],
  ])('is refused with %s', async (_, nickname) => {
    const res = await join(nickname);

    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
  });

  it('is taken when plain, with accents', async () => {
    expect((await join('Zoë')).status).toBe(201);
  });

  it('is taken with an emoji whose look a variation selector picks', async () => {
    expect((await join('Love \u2764\uFE0F')).status).toBe(201);
  });
});
