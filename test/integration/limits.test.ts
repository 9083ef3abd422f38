import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient, CreatedRoom, HttpResult } from '../helpers/api-client';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from '../../src/shared/webhooks';
import { startInProcessApi } from '../helpers/in-process-api';

/** Low limits; each test comes from an address of its own (X-Forwarded-For, trusted here) so their counts never meet. */
const LIMITS = {
  TRUST_PROXY: 'true',
  RATE_LIMIT_LOGIN_ACCOUNT: '3/60',
  RATE_LIMIT_LOGIN_ADDRESS: '5/60',
  RATE_LIMIT_REGISTER_ADDRESS: '2/60',
  RATE_LIMIT_JOIN_ADDRESS: '3/60',
  RATE_LIMIT_ROOMS_USER: '5/60',
  RATE_LIMIT_IMPORTS_USER: '2/60',
  RATE_LIMIT_ROOM_MISSES_ADDRESS: '3/60',
  RATE_LIMIT_PASSPHRASE_ADDRESS: '2/60',
  HOST_MAX_OPEN_ROOMS: '3',
  ROOM_MAX_PLAYERS: '50',
  IMPORT_MAX_ROWS: '3',
  IMPORT_BODY_LIMIT_KB: '2',
  USER_MAX_CATEGORIES: '2',
};

let running: Awaited<ReturnType<typeof startInProcessApi>>;
let client: ApiClient;
let addressCount = 0;
/** A client address nobody else in this file uses; a /16, as the bursts below each take 30. */
const newAddress = () => {
  const n = ++addressCount;
  return `198.18.${n >> 8}.${n & 255}`;
};
const from = (address: string) => ({ 'x-forwarded-for': address });
const email = () => `limits-${randomBytes(5).toString('hex')}@quizloop.test`;

function expectProblem(res: HttpResult<unknown>, status: number, code: string): { detail: string } {
  expect(res.status).toBe(status);
  expect(res.contentType).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code });
  return res.body as { detail: string };
}

/** How many answers had each status and code, e.g. `{ '401 INVALID_CREDENTIALS': 3 }`. */
function tally(results: HttpResult<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const key = `${r.status} ${(r.body as { code?: string } | null)?.code ?? ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function register(address = newAddress()) {
  const address_ = address;
  const mail = email();
  running.emails.push(mail);
  const res = await client.request<{ token: string }>('POST', '/auth/register', {
    headers: from(address_),
    body: { email: mail, password: 'correct horse battery', displayName: 'Limits' },
  });
  return { res, email: mail, token: res.body.token };
}

beforeAll(async () => {
  running = await startInProcessApi('limits', LIMITS);
  client = running.client;
});

afterAll(async () => {
  await running?.stop();
});

describe('when one client asks too often', () => {
  it('wrong passwords for one account are refused with 429 and Retry-After, even the right one after', async () => {
    const { email: account } = await register();
    const login = (password: string) => client.request('POST', '/auth/login', { headers: from(newAddress()), body: { email: account, password } });

    const wrong = [await login('wrong one'), await login('wrong two'), await login('wrong three')];
    const limited = await login('wrong four');
    const right = await login('correct horse battery');

    expect(wrong.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(expectProblem(limited, 429, 'RATE_LIMITED').detail).toMatch(/sign-in attempts for this account/);
    expect(expectProblem(right, 429, 'RATE_LIMITED').detail).toMatch(/Try again in \d+ s/);
    const retry = await fetch(`${client.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...from(newAddress()) },
      body: JSON.stringify({ email: account, password: 'x' }),
    });
    expect(Number(retry.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('wrong passwords from one address over many accounts are refused', async () => {
    const address = newAddress();
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await client.request('POST', '/auth/login', { headers: from(address), body: { email: email(), password: 'guess' } })).status);
    }

    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('wrong passwords for one account sent all at once get at most the limit through, the rest 429; then even the right one waits', async () => {
    const { email: account } = await register();
    const login = (password: string) => client.request('POST', '/auth/login', { headers: from(newAddress()), body: { email: account, password } });

    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => login(`wrong ${i}`)));
    const right = await login('correct horse battery');

    expect(tally(burst)).toEqual({ '401 INVALID_CREDENTIALS': 3, '429 RATE_LIMITED': 27 });
    expect(expectProblem(right, 429, 'RATE_LIMITED').detail).toMatch(/sign-in attempts for this account: at most 3 in 60 s/);
  });

  it('wrong passwords from one address over many accounts sent all at once get at most the limit through, the rest 429', async () => {
    const address = newAddress();

    const burst = await Promise.all(
      Array.from({ length: 30 }, () => client.request('POST', '/auth/login', { headers: from(address), body: { email: email(), password: 'guess' } })),
    );

    expect(tally(burst)).toEqual({ '401 INVALID_CREDENTIALS': 5, '429 RATE_LIMITED': 25 });
  });

  it("right passwords, and attempts refused by a spent account's limit, leave the address its whole budget", async () => {
    const { email: account } = await register();
    const { email: spent } = await register();
    for (const guess of ['one', 'two', 'three']) {
      await client.request('POST', '/auth/login', { headers: from(newAddress()), body: { email: spent, password: guess } });
    }
    const address = newAddress();
    const login = (mail: string, password: string) => client.request('POST', '/auth/login', { headers: from(address), body: { email: mail, password } });

    const rights = [];
    for (let i = 0; i < 6; i++) rights.push((await login(account, 'correct horse battery')).status);
    const refused = [];
    for (let i = 0; i < 6; i++) refused.push(expectProblem(await login(spent, 'guess'), 429, 'RATE_LIMITED').detail);
    const wrong = [];
    for (let i = 0; i < 6; i++) wrong.push((await login(email(), 'guess')).status);

    expect(rights).toEqual([200, 200, 200, 200, 200, 200]);
    for (const detail of refused) expect(detail).toMatch(/for this account/);
    expect(wrong).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('registrations from one address are refused past the limit', async () => {
    const address = newAddress();
    const results = [await register(address), await register(address), await register(address)];

    expect(results.map((r) => r.res.status)).toEqual([201, 201, 429]);
  });

  it('joins from one address are refused past the limit, and the refused one joins nobody', async () => {
    const { token } = await register();
    const room = await client.createRoom(token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1 });
    const address = newAddress();
    const join = (nickname: string) => client.request('POST', `/rooms/${room.code}/players`, { headers: from(address), body: { nickname } });

    const statuses = [(await join('One')).status, (await join('Two')).status, (await join('Three')).status];
    const limited = await join('Four');

    expect(statuses).toEqual([201, 201, 201]);
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect((await client.room(room.code)).playerCount).toBe(3);
  });

  it('wrong room codes from one address are refused past the limit, and then a right code waits too', async () => {
    const { token } = await register();
    const room = await client.createRoom(token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1 });
    const address = newAddress();
    const ask = (method: 'GET' | 'POST', path: string, body?: unknown) => client.request(method, path, { headers: from(address), body });
    const nowhere = (n: number) => `ZZZZZ${n}`;

    const rights = [await ask('GET', `/rooms/${room.code}`), await ask('GET', `/rooms/${room.code}/standings`)];
    const wrongs = [
      await ask('GET', `/rooms/${nowhere(2)}`),
      await ask('GET', `/rooms/${nowhere(3)}/qr.svg`),
      await ask('POST', `/rooms/${nowhere(4)}/players`, { nickname: 'Guess' }),
    ];
    const afterwards = [await ask('GET', `/rooms/${nowhere(5)}/standings`), await ask('GET', `/rooms/${room.code}`)];
    const elsewhere = await client.request('GET', `/rooms/${room.code}`, { headers: from(newAddress()) });

    expect(rights.map((r) => r.status)).toEqual([200, 200]);
    expect(wrongs.map((r) => r.status)).toEqual([404, 404, 404]);
    for (const res of afterwards) expect(expectProblem(res, 429, 'RATE_LIMITED').detail).toMatch(/wrong room codes from your address: at most 3 in 60 s/);
    expect(elsewhere.status).toBe(200);
  });

  it('room creation is capped by open rooms per host (409) and by rooms per user and time (429)', async () => {
    const { token } = await register();
    const create = () => client.request<CreatedRoom>('POST', '/rooms', { token, body: { questionCount: 1 } });

    const end = (room: CreatedRoom) => client.request('POST', `/rooms/${room.code}/end`, { token: room.hostToken, body: { version: room.room.version } });

    const open = [await create(), await create(), await create()];
    const fourth = await create();
    const ended = [];
    const afterEnds = [];
    for (const room of open.slice(0, 2)) {
      ended.push((await end(room.body)).status);
      afterEnds.push((await create()).status);
    }
    await end(open[2]?.body as CreatedRoom);
    const sixth = await create();

    expect(open.map((r) => r.status)).toEqual([201, 201, 201]);
    const refusal = expectProblem(fourth, 409, 'TOO_MANY_ROOMS').detail;
    for (const room of open) expect(refusal).toContain(room.body.code);
    expect(ended).toEqual([200, 200]);
    // The refused fourth cost nothing: the fifth room made is the one RATE_LIMIT_ROOMS_USER (5) allows.
    expect(afterEnds).toEqual([201, 201]);
    expectProblem(sixth, 429, 'RATE_LIMITED');
  });

  it('creations sent at once make at most HOST_MAX_OPEN_ROOMS rooms, and the refused ones cost nothing of RATE_LIMIT_ROOMS_USER', async () => {
    const { token } = await register();
    const create = (body: object = { questionCount: 1 }) => client.request<CreatedRoom>('POST', '/rooms', { token, body });

    const atOnce = await Promise.all(Array.from({ length: 8 }, () => create()));
    const tooBig = await create({ questionCount: 1, maxPlayers: 51 });
    const made = atOnce.filter((r) => r.status === 201).map((r) => r.body);
    for (const room of made) await client.request('POST', `/rooms/${room.code}/end`, { token: room.hostToken, body: { version: room.room.version } });
    const after = [(await create()).status, (await create()).status];
    const overBudget = await create();

    expect(made).toHaveLength(3);
    expect(tally(atOnce.filter((r) => r.status !== 201))).toEqual({ '409 TOO_MANY_ROOMS': 5 });
    expectProblem(tooBig, 400, 'BAD_REQUEST');
    expect(after).toEqual([201, 201]);
    expectProblem(overBudget, 429, 'RATE_LIMITED');
  });

  it('a failed room retried counts as open again, under the same cap as a new one', async () => {
    const { token } = await register();
    const create = () => client.request<CreatedRoom>('POST', '/rooms', { token, body: { questionCount: 1 } });
    const [failing, second] = [await create(), await create(), await create()].map((r) => r.body);
    if (!failing || !second) throw new Error('rooms not created');
    // What the worker says when the bank has too few questions.
    const path = `/internal/rooms/${failing.code}/failed`;
    const body = JSON.stringify({ version: failing.room.version, reason: 'Too few questions.' });
    const timestamp = Date.now();
    const failed = await fetch(`${client.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(running.config.webhookSecret, { method: 'POST', path, timestamp, body }),
        [TIMESTAMP_HEADER]: String(timestamp),
      },
      body,
    });
    const fourth = await create();
    const retry = () => client.request('POST', `/rooms/${failing.code}/retry`, { token: failing.hostToken });

    const overCap = await retry();
    await client.request('POST', `/rooms/${second.code}/end`, { token: second.hostToken, body: { version: second.room.version } });
    const retried = await retry();
    const afterRetry = await create();

    expect([failed.status, fourth.status]).toEqual([200, 201]);
    expectProblem(overCap, 409, 'TOO_MANY_ROOMS');
    expect(retried.status).toBe(200);
    expectProblem(afterRetry, 409, 'TOO_MANY_ROOMS');
  });
});

describe('when one client spreads its requests over the addresses of its IPv6 /64', () => {
  let prefixCount = 0;
  /** An IPv6 /64 nobody else in this file uses; it gives the address of `host` (its last 64 bits, four groups) in it. */
  const newPrefix = () => {
    const n = ++prefixCount;
    return (host: string) => `2001:db8:${n.toString(16)}:${(n * 7).toString(16)}:${host}`;
  };
  /** The `i`th of many addresses in a /64: the last 64 bits written out, all different. */
  const nth = (i: number) => `${i.toString(16)}:${(i * 31).toString(16)}:0:${(i * 977).toString(16)}`;

  it('counts registrations from every address of one /64 together, and another /64 apart', async () => {
    const home = newPrefix();
    const neighbour = newPrefix();

    const statuses = [(await register(home(nth(1)))).res.status, (await register(home('ffff:ffff:ffff:ffff'))).res.status];
    const third = await register(home('a:b:c:d'));
    const next = await register(neighbour(nth(1)));

    expect(statuses).toEqual([201, 201]);
    expect(expectProblem(third.res, 429, 'RATE_LIMITED').detail).toMatch(/registrations from your address/);
    expect(next.res.status).toBe(201);
  });

  it('counts joins and wrong room codes from one /64 together, and the refused join joins nobody', async () => {
    const { token } = await register();
    const room = await client.createRoom(token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1 });
    const home = newPrefix();
    const join = (i: number, nickname: string) => client.request('POST', `/rooms/${room.code}/players`, { headers: from(home(nth(i))), body: { nickname } });
    const miss = (i: number, n: number) => client.request('GET', `/rooms/ZZZZZ${n}`, { headers: from(home(nth(i))) });

    const joins = [(await join(1, 'Six one')).status, (await join(2, 'Six two')).status, (await join(3, 'Six three')).status];
    const fourth = await join(4, 'Six four');
    const misses = [(await miss(5, 2)).status, (await miss(6, 3)).status, (await miss(7, 4)).status];
    const afterMisses = await client.request('GET', `/rooms/${room.code}`, { headers: from(home(nth(8))) });
    const elsewhere = await client.request('GET', `/rooms/${room.code}`, { headers: from(newPrefix()(nth(8))) });

    expect(joins).toEqual([201, 201, 201]);
    expect(expectProblem(fourth, 429, 'RATE_LIMITED').detail).toMatch(/joins from your address/);
    expect((await client.room(room.code)).playerCount).toBe(3);
    expect(misses).toEqual([404, 404, 404]);
    expect(expectProblem(afterMisses, 429, 'RATE_LIMITED').detail).toMatch(/wrong room codes from your address/);
    expect(elsewhere.status).toBe(200);
  });

  it('counts wrong passwords from one /64 together over many accounts', async () => {
    const home = newPrefix();
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      const res = await client.request('POST', '/auth/login', { headers: from(home(nth(i + 1))), body: { email: email(), password: 'guess' } });
      statuses.push(res.status);
    }

    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('counts wrong passphrases of a private room from one /64 together', async () => {
    const { token } = await register();
    const room = await client.createRoom(token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1, passphrase: 'open sesame' });
    const home = newPrefix();
    const guess = (i: number, passphrase: string) =>
      client.request('POST', `/rooms/${room.code}/players`, { headers: from(home(nth(i))), body: { nickname: `Guess ${i}`, passphrase } });

    const wrong = [];
    for (let i = 1; i <= 2; i++) wrong.push((await guess(i, 'wrong')).status);
    const right = await guess(3, 'open sesame');
    const elsewhere = await client.request('POST', `/rooms/${room.code}/players`, {
      headers: from(newPrefix()(nth(1))),
      body: { nickname: 'Neighbour', passphrase: 'open sesame' },
    });

    expect(wrong).toEqual([403, 403]);
    expect(expectProblem(right, 429, 'RATE_LIMITED').detail).toMatch(/wrong passphrases for this room from your address/);
    expect(elsewhere.status).toBe(201);
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', async () => {
    const address = newAddress();

    const results = [(await register(address)).res.status, (await register(`::ffff:${address}`)).res.status];
    const third = await register(address);

    expect(results).toEqual([201, 201]);
    expectProblem(third.res, 429, 'RATE_LIMITED');
  });
});

describe('caps', () => {
  it('a room takes at most its maxPlayers (409 ROOM_FULL), which may not exceed the server ceiling', async () => {
    const { token } = await register();
    const room = await client.createRoom(token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1, maxPlayers: 2 });
    const join = (nickname: string) => client.request('POST', `/rooms/${room.code}/players`, { headers: from(newAddress()), body: { nickname } });

    const joined = [(await join('Ann')).status, (await join('Bob')).status];
    const full = await join('Cy');
    const aboveCeiling = await client.request('POST', '/rooms', { token, body: { maxPlayers: 51 } });

    expect(joined).toEqual([201, 201]);
    expect(expectProblem(full, 409, 'ROOM_FULL').detail).toMatch(/full/);
    expect(expectProblem(aboveCeiling, 400, 'BAD_REQUEST').detail).toMatch(/at most 50/);
  });

  it('a nickname that looks like one in the room is taken: look-alike letters, width, spaces, case', async () => {
    const { token } = await register();
    const room = await client.createRoom(token, { questionCount: 1, questionSeconds: 5, revealSeconds: 1 });
    const join = (nickname: string) => client.request('POST', `/rooms/${room.code}/players`, { headers: from(newAddress()), body: { nickname } });

    expect((await join('Ann')).status).toBe(201);
    for (const spoof of ['\u0410nn', '\uFF21\uFF4E\uFF4E', 'A nn', 'ANN']) expectProblem(await join(spoof), 409, 'NICKNAME_TAKEN');
    expect((await join('Anna')).status).toBe(201);
  });

  it('a user creates at most USER_MAX_CATEGORIES categories, by hand or by import', async () => {
    const { token } = await register();
    const tag = randomBytes(3).toString('hex');
    const create = (name: string) => client.request('POST', '/categories', { token, body: { name } });

    const made = [(await create(`Cap A ${tag}`)).status, (await create(`Cap B ${tag}`)).status];
    const third = await create(`Cap C ${tag}`);
    const imported = await client.request('POST', '/questions/import?format=csv', {
      token,
      headers: { 'content-type': 'text/csv' },
      rawBody: `category,difficulty,type,text,choice1,choice2,correct\nCap A ${tag},easy,multiple,Kept?,a,b,1\nCap D ${tag},easy,multiple,New?,a,b,1\n`,
    });
    const list = await client.request<{ items: unknown[] }>('GET', `/questions?q=${encodeURIComponent('Kept?')}&author=me`, { token });

    expect(made).toEqual([201, 201]);
    expectProblem(third, 409, 'TOO_MANY_CATEGORIES');
    expectProblem(imported, 409, 'TOO_MANY_CATEGORIES');
    expect(list.body.items).toHaveLength(0);
  });

  it('categories created at once stop at USER_MAX_CATEGORIES', async () => {
    const { token } = await register();
    const tag = randomBytes(3).toString('hex');

    const atOnce = await Promise.all(Array.from({ length: 8 }, (_, i) => client.request('POST', '/categories', { token, body: { name: `Rush ${i} ${tag}` } })));

    expect(tally(atOnce)).toEqual({ '201 ': 2, '409 TOO_MANY_CATEGORIES': 6 });
  });

  it('an import holds at most IMPORT_MAX_ROWS rows, and a user imports at most so often', async () => {
    const { token } = await register();
    const rows = (n: number) =>
      ['category,difficulty,type,text,choice1,choice2,correct', ...Array.from({ length: n }, (_, i) => `Science,easy,multiple,Rows ${i}?,a,b,1`)].join('\n');
    const send = (n: number) => client.request('POST', '/questions/import?format=csv', { token, headers: { 'content-type': 'text/csv' }, rawBody: rows(n) });

    const tooMany = await send(4);
    const fine = await send(3);
    const limited = await send(1);

    expect(expectProblem(tooMany, 400, 'BAD_REQUEST').detail).toMatch(/At most 3/);
    expect(fine.status).toBe(200);
    expectProblem(limited, 429, 'RATE_LIMITED');
  });

  it('an import body over IMPORT_BODY_LIMIT_KB is a 413, CSV or OpenTDB JSON alike', async () => {
    const { token } = await register();
    // Rows of about 850 bytes, each within the bank's lengths: three pass 2 kB, one does not.
    const [text, a, b] = ['x'.repeat(450), 'a'.repeat(190), 'b'.repeat(190)];
    const csv = ['category,difficulty,type,text,choice1,choice2,correct', ...[1, 2, 3].map((i) => `Science,easy,multiple,${text} ${i}?,${a},${b},1`)].join(
      '\n',
    );
    const question = { category: 'Science', type: 'multiple', difficulty: 'easy', question: text, correct_answer: a, incorrect_answers: [b] };

    const asCsv = await client.request('POST', '/questions/import?format=csv', { token, headers: { 'content-type': 'text/csv' }, rawBody: csv });
    const asJson = await client.request('POST', '/questions/import?format=opentdb', {
      token,
      body: { response_code: 0, results: [question, question, question] },
    });
    const small = await client.request('POST', '/questions/import?format=csv', {
      token,
      headers: { 'content-type': 'text/csv' },
      rawBody: csv.split('\n').slice(0, 2).join('\n'),
    });

    expect(asCsv.status).toBe(413);
    expect(asCsv.contentType).toMatch(/^application\/problem\+json/);
    expect(asJson.status).toBe(413);
    expect(small.status).toBe(200);
  });

  it('keeps imported questions private to their author, whatever the file says', async () => {
    const { token } = await register();
    const csv = `category,difficulty,type,text,choice1,choice2,correct,public\nScience,easy,multiple,Private import ${randomBytes(3).toString('hex')}?,a,b,1,true\n`;

    const res = await client.request<{ importedIds: number[] }>('POST', '/questions/import?format=csv', {
      token,
      headers: { 'content-type': 'text/csv' },
      rawBody: csv,
    });
    const question = await client.request<{ public: boolean }>('GET', `/questions/${res.body.importedIds[0]}`, { token });

    expect(res.status).toBe(200);
    expect(question.body.public).toBe(false);
  });

  it('lists categories a page at a time', async () => {
    const page = await client.request<{ categories: unknown[]; total: number; limit: number }>('GET', '/categories?limit=1&offset=1');
    const tooBig = await client.request('GET', '/categories?limit=501');

    expect(page.body.categories).toHaveLength(1);
    expect(page.body.total).toBeGreaterThan(1);
    expectProblem(tooBig, 400, 'BAD_REQUEST');
  });
});
