import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createPostgresChecks } from '../../src/api/postgres-checks';
import { createLogger } from '../../src/platform/logger';

const WAIT_MS = 100;
const RETRY_MS = 400;

/** The checks with short times, a PostgreSQL stand-in whose answer the test sets, and the log lines they write. */
function checksAgainst() {
  const lines: { level: number; msg: string; skippedChecks?: number }[] = [];
  const log = createLogger('api', 'debug', { destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
  const postgres = {
    asked: 0,
    /** 'answers' 42, 'hangs' (never answers), or 'refuses' (rejects at once, as a refused connection does). */
    mode: 'answers' as 'answers' | 'hangs' | 'refuses',
    read: (): Promise<number> => {
      postgres.asked += 1;
      if (postgres.mode === 'hangs') return new Promise(() => undefined);
      if (postgres.mode === 'refuses') return Promise.reject(new Error('connect ECONNREFUSED'));
      return Promise.resolve(42);
    },
  };
  const checks = createPostgresChecks({ waitMs: WAIT_MS, retryMs: RETRY_MS, log });
  const warnings = () => lines.filter((l) => l.level === 40);
  return { checks, postgres, lines, warnings };
}

describe('the api checks that go ahead without PostgreSQL', () => {
  it("give PostgreSQL's answer while it answers", async () => {
    const { checks, postgres, warnings } = checksAgainst();

    expect(await checks.ask(postgres.read)).toBe(42);
    expect(await checks.ask(postgres.read)).toBe(42);
    expect(postgres.asked).toBe(2);
    expect(warnings()).toEqual([]);
  });

  it('wait for a PostgreSQL that hangs once, then skip it without asking, with one warning for the outage', async () => {
    const { checks, postgres, warnings } = checksAgainst();
    postgres.mode = 'hangs';

    const first = await checks.ask(postgres.read);
    const next = await Promise.all(Array.from({ length: 20 }, () => checks.ask(postgres.read)));

    expect(first).toBeUndefined();
    expect(next.every((answer) => answer === undefined)).toBe(true);
    expect(postgres.asked).toBe(1);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.msg).toMatch(/PostgreSQL failed a check or gave no answer within 100 ms \(POSTGRES_CHECK_WAIT_MS\).*every 400 ms/);
  });

  it('ask again once the retry time has passed, and keep to one warning while the outage lasts', async () => {
    const { checks, postgres, warnings } = checksAgainst();
    postgres.mode = 'refuses';

    await checks.ask(postgres.read);
    await sleep(RETRY_MS + 50);
    const retried = await checks.ask(postgres.read);
    const skippedAfterRetry = await checks.ask(postgres.read);

    expect(retried).toBeUndefined();
    expect(skippedAfterRetry).toBeUndefined();
    expect(postgres.asked).toBe(2);
    expect(warnings()).toHaveLength(1);
  });

  it('skip the checks that come while one asks PostgreSQL again, rather than hold them for its answer', async () => {
    const { checks, postgres } = checksAgainst();
    postgres.mode = 'hangs';
    await checks.ask(postgres.read);
    await sleep(RETRY_MS + 50);

    let retryAnswered = false;
    const retry = checks.ask(postgres.read).then((answer) => {
      retryAnswered = true;
      return answer;
    });
    const meanwhile = await Promise.all(Array.from({ length: 20 }, () => checks.ask(postgres.read)));

    expect(meanwhile.every((answer) => answer === undefined)).toBe(true);
    expect(retryAnswered).toBe(false);
    expect(await retry).toBeUndefined();
    expect(postgres.asked).toBe(2);
  });

  it('check again when PostgreSQL is back, saying how many checks were skipped', async () => {
    const { checks, postgres, lines } = checksAgainst();
    postgres.mode = 'hangs';
    await checks.ask(postgres.read);
    for (let i = 0; i < 5; i += 1) await checks.ask(postgres.read);

    postgres.mode = 'answers';
    await sleep(RETRY_MS + 50);
    const back = await checks.ask(postgres.read);
    const after = await checks.ask(postgres.read);

    expect(back).toBe(42);
    expect(after).toBe(42);
    expect(postgres.asked).toBe(3);
    expect(lines.find((l) => /answers again/.test(l.msg))).toMatchObject({ level: 30, skippedChecks: 5 });
  });
});
