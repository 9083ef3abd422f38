import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_SCRIPTS } from '../../src/store/scripts/all-scripts';
import { answer } from '../../src/store/scripts/answer.lua';
import { ScriptReplyError, arg, defineScript } from '../../src/store/scripts/define-script';
import { join } from '../../src/store/scripts/join.lua';
import { kick } from '../../src/store/scripts/kick.lua';
import { leaderboard } from '../../src/store/scripts/leaderboard.lua';
import { lease, presence, reconnecting, roomPresence } from '../../src/store/scripts/presence.lua';
import { sent } from '../../src/store/scripts/sent.lua';
import { transition } from '../../src/store/scripts/transition.lua';

describe('Lua script results', () => {
  describe('when a script returns one of its negative codes', () => {
    // Written out from each script's header, so a renumbered or renamed code fails here.
    it.each([
      ['answer', answer, -1, 'ROOM_NOT_FOUND'],
      ['answer', answer, -2, 'NOT_ACCEPTING_ANSWERS'],
      ['answer', answer, -3, 'WRONG_QUESTION'],
      ['answer', answer, -4, 'TOO_LATE'],
      ['answer', answer, -5, 'ALREADY_ANSWERED'],
      ['answer', answer, -6, 'NOT_A_PLAYER'],
      ['answer', answer, -7, 'INVALID_CHOICE'],
      ['answer', answer, -8, 'WRONG_ANSWER_TYPE'],
      ['answer', answer, -9, 'not-open-yet'],
      ['join', join, -1, 'not-found'],
      ['join', join, -2, 'closed'],
      ['join', join, -3, 'nickname-taken'],
      ['join', join, -4, 'locked'],
      ['kick', kick, -1, 'not-found'],
      ['transition', transition, -1, 'not-found'],
      ['transition', transition, -2, 'stale'],
      ['leaderboard', leaderboard, -1, 'already-counted'],
      ['presence', presence, -1, 'kicked'],
    ] as const)('%s %i is the failure %s', (_name, script, code, failure) => {
      expect(script.parse(code)).toEqual({ ok: false, code: failure });
      // A table reply ({code}) reads the same as an integer reply.
      expect(script.parse([code])).toEqual({ ok: false, code: failure });
    });
  });

  describe('when a script returns a code it does not declare', () => {
    it('throws an error naming the script, the code and the codes it knows', () => {
      expect(() => answer.parse([-10])).toThrow(ScriptReplyError);
      expect(() => answer.parse([-10])).toThrow(/qlAnswer replied \[-10\]: unknown code -10 \(the script's codes are -1, -2, .*-9\)/);
      expect(() => join.parse(-9)).toThrow(/qlJoin replied -9: unknown code -9/);
    });

    it('throws for any negative reply of a script that has no failure codes', () => {
      for (const script of [lease, reconnecting, roomPresence, sent]) {
        expect(() => script.parse(-1)).toThrow(/unknown code -1 \(the script's codes are none\)/);
      }
    });

    it('throws for a success status the script does not declare', () => {
      expect(() => kick.parse(3)).toThrow(/qlKick replied 3: unknown status 3 \(expected 1 or 2\)/);
      expect(() => join.parse(0)).toThrow(/unknown status 0/);
      expect(() => answer.parse([2, 0, 0, 0, 0, 0])).toThrow(/unknown status 2/);
    });
  });

  describe('when a reply has the wrong shape', () => {
    it.each([
      ['a string', 'OK'],
      ['nothing', null],
      ['an empty table', []],
      ['a fraction', 1.5],
      ['a string inside the table', [1, '2', 0, 1, 3, 4]],
      ['too few fields', [1, 500]],
      ['a failure code with fields after it', [-4, 0]],
    ])('throws for %s', (_what, raw) => {
      expect(() => answer.parse(raw)).toThrow(ScriptReplyError);
    });
  });

  describe('when a script succeeds', () => {
    it('names the fields of its reply', () => {
      expect(answer.parse([1, 875, 1, 3, 12, 1_700_000_000_000])).toEqual({
        ok: true,
        points: 875,
        closable: true,
        answeredCount: 3,
        version: 12,
        arrivedAt: 1_700_000_000_000,
      });
      expect(roomPresence.parse([4, 2, 0, 0, 3])).toEqual({ ok: true, players: 4, answered: 2, vacantForMs: 0, closable: false, livePlayers: 3 });
      expect(kick.parse(2)).toEqual({ ok: true, closable: true });
      expect(kick.parse(1)).toEqual({ ok: true, closable: false });
      expect(leaderboard.parse(0)).toEqual({ ok: true, added: 0 });
      expect(presence.parse([2, 1, 0])).toEqual({ ok: true, connections: 2, elsewhere: 1, lapsed: false });
      expect(presence.parse([1, 0, 1])).toEqual({ ok: true, connections: 1, elsewhere: 0, lapsed: true });
    });
  });

  describe('when a script is defined', () => {
    const base = { command: 'qlTestShape', lua: 'return 1', keys: [], failures: {}, reply: ['n'], ok: () => ({}) } as const;

    it('refuses a variadic argument before the last place', () => {
      expect(() => defineScript({ ...base, argv: { ids: arg.rest(arg.string), ttl: arg.number } })).toThrow(/variadic ARGV "ids" must come last/);
    });

    it('refuses an argument name that would reorder the arguments', () => {
      expect(() => defineScript({ ...base, argv: { ttl: arg.number, 2: arg.string } })).toThrow(/ARGV name "2"/);
    });
  });

  it('loads every script of src/store/scripts on each client, under a command of its own', async () => {
    const dir = path.join(__dirname, '../../src/store/scripts');
    const defined: unknown[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.lua.ts'))) {
      const module = (await import(path.join(dir, file))) as Record<string, unknown>;
      defined.push(...Object.values(module).filter((v) => typeof v === 'object' && v !== null && 'run' in v && 'parse' in v));
    }
    expect(defined.length).toBeGreaterThanOrEqual(10);
    expect(new Set(ALL_SCRIPTS)).toEqual(new Set(defined));
    expect(new Set(ALL_SCRIPTS.map((s) => s.command)).size).toBe(ALL_SCRIPTS.length);
  });
});
