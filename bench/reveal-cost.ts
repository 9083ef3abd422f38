/**
 * What a reveal costs the room's Redis node: the transition script that closes a question and settles its
 * answers into the standings (transition.lua.ts) runs as one script, so nothing else on that node runs
 * meanwhile, in any room. Timed alone on a Redis of its own, for a room of `--players` players (all online)
 * where nobody answered and where everyone did (every other one correctly), `--runs` rooms of each.
 * `npx tsx bench/reveal-cost.ts [--players 5000] [--runs 3]`
 */
import { transition } from '../src/game/room-machine';
import type { RoomState } from '../src/game/room-state';
import { createAnswerStore } from '../src/store/answer-store';
import { evalshaMicros, openRoomWithPlayers, runScriptBench } from './script-cost';
import { summary } from './stats';

runScriptBench('reveal-cost', 3, async ({ players, runs, redis, keys, rooms }) => {
  const answers = createAnswerStore({ redis, keys, rules: { allowanceCapMs: 150, sendLagCapMs: 2000 } });
  const answerKey = JSON.stringify({ k: 'choice', n: 4, c: [0] });

  /** Redis's µs for the reveal of one fresh room, after `answering` of its players answered. */
  async function revealOnce(answering: number): Promise<number> {
    const { room, code, ids } = await openRoomWithPlayers(redis, rooms, players);
    await redis.hset(keys.answerKey(code), '0', answerKey, '1', answerKey);
    const arrivedAt = (room.openedAt ?? 0) + 1000;
    for (let i = 0; i < answering; i += 500) {
      await Promise.all(
        ids
          .slice(i, Math.min(i + 500, answering))
          .map((id, j) => answers.submit(code, id, 0, { choice: (i + j) % 2 === 0 ? 0 : 1 }, { arrivedAt, loopBusyMs: 0, rttMs: 1, reportedMs: null })),
      );
    }
    const current = (await rooms.get(code)) as RoomState;
    const change = transition(current, { type: 'advance' });
    if (!change.ok) throw new Error(change.reason);
    await redis.config('RESETSTAT');
    const applied = await rooms.apply(current.version, change);
    if (!applied.ok) throw new Error('the reveal was not applied');
    return (await evalshaMicros(redis)).perCall;
  }

  for (const [label, answering] of [
    ['nobody answered', 0],
    ['everyone answered', players],
  ] as const) {
    const micros: number[] = [];
    for (let r = 0; r < runs; r++) micros.push(await revealOnce(answering));
    const s = summary(micros);
    console.log(
      `${players} players, ${label}: the reveal held Redis ${(s.p50 / 1000).toFixed(1)} ms (p50 of ${runs}; ${micros.map((m) => (m / 1000).toFixed(1)).join(', ')}), ${(s.p50 / players).toFixed(2)} µs per player`,
    );
  }
});
