import { onlineCount } from '../src/store/scripts/presence.lua';
import { evalshaMicros, openRoomWithPlayers, runScriptBench } from './script-cost';
import { summary } from './stats';

runScriptBench('presence-cost', 40, async ({ players, runs, redis, keys, rooms }) => {
  /** Runs `op` once (the first call, timed apart), then `runs` times: Redis's own µs per script call and the client's round trip, ms. */
  async function timed(label: string, op: (i: number) => Promise<unknown>) {
    const first = performance.now();
    await op(-1);
    const firstMs = performance.now() - first;
    await redis.config('RESETSTAT');
    const roundTrips: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await op(i);
      roundTrips.push(performance.now() - started);
    }
    const { perCall } = await evalshaMicros(redis);
    const rt = summary(roundTrips);
    const ms = (v: number) => v.toFixed(2);
    console.log(
      `${label.padEnd(58)} redis ${perCall.toFixed(0).padStart(6)} µs/call   round trip first ${ms(firstMs)}, p50 ${ms(rt.p50)} / p99 ${ms(rt.p99)} ms`,
    );
  }

  const { room, code, ids, now } = await openRoomWithPlayers(redis, rooms, players);
  const answers = keys.answers(code, 0);
  await redis.hset(answers, Object.fromEntries(ids.slice(0, players / 2).map((id) => [id, '{}'])));
  const frame = { kind: 'countdown', phase: 'question', version: room.version, questionIndex: 0, deadlineAt: now + 3_600_000, tick: 1 } as const;
  const online = { online: keys.online(code), instances: keys.instances(code), onlineCounts: keys.onlineCounts(code) };

  console.log(`${players} players online on one socket instance, question 0 open, ${runs} runs each`);
  await timed('tick (half answered)', () => rooms.drawTick(code, room.gameId, frame));
  await timed('view online count (onlineCount script)', () => onlineCount.run(redis, online, {}));
  await timed('reconciler presence (room-presence script)', () => rooms.presenceState(code, 0));
  await timed('connect + disconnect of one player (presence script, ×2)', async (i) => {
    await rooms.presence(code, `late-${i}`, 1);
    await rooms.presence(code, `late-${i}`, -1);
  });
  await timed('kick (half answered)', (i) => rooms.kick(code, ids[players - 1 - (i + 1)] ?? '', 0));

  // Every player but the last has answered, and one who answered has left: the counts cannot tell.
  await redis.hset(answers, Object.fromEntries(ids.slice(0, players - runs - 2).map((id) => [id, '{}'])));
  await rooms.presence(code, ids[0] ?? '', -1);
  await timed('tick (all but one answered, an answerer gone)', () => rooms.drawTick(code, room.gameId, frame));
});
