/**
 * What the presence-reading scripts cost Redis in one big room (issue 11): a countdown tick, the view's
 * online count, a kick, and a connect/disconnect, each run alone against a Redis of its own, timed by
 * Redis (`INFO commandstats`, µs per EVALSHA) and at the client (round trip).
 *
 *   npx tsx bench/presence-cost.ts [--players 5000] [--runs 40]
 *
 * The room has a question open and half of its players answered (mid-burst). The tick is also timed
 * with every player but one answered and one answered player gone (the counts then say "maybe", and
 * early close is checked for real).
 */
import { parseArgs } from 'node:util';
import { startLocalRedis } from '../src/local/local-redis';
import { createKeys } from '../src/store/keys';
import { createRedis } from '../src/store/redis';
import { createRoomStore } from '../src/store/room-store';
import { onlineCount } from '../src/store/scripts/presence.lua';
import { SETTINGS, openQuestionRoom } from '../test/unit/fixtures';
import { summary } from './stats';

const { values: args } = parseArgs({ options: { players: { type: 'string', default: '5000' }, runs: { type: 'string', default: '40' } } });
const players = Number(args.players);
const runs = Number(args.runs);

async function main() {
  const server = await startLocalRedis();
  const redis = createRedis(server.url, { name: 'presence-cost' });
  const keys = createKeys('presence-cost');
  const rooms = createRoomStore({ redis, keys, ttlSeconds: 3600, instance: { id: 'socket-a', leaseMs: 3_600_000 } });

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
    const stats = await redis.info('commandstats');
    const perCall = Number(/cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(stats)?.[1] ?? Number.NaN);
    const rt = summary(roundTrips);
    const ms = (v: number) => v.toFixed(2);
    console.log(
      `${label.padEnd(58)} redis ${perCall.toFixed(0).padStart(6)} µs/call   round trip first ${ms(firstMs)}, p50 ${ms(rt.p50)} / p99 ${ms(rt.p99)} ms`,
    );
  }

  try {
    const [s] = await redis.time();
    const now = Number(s) * 1000;
    const room = openQuestionRoom(now, { settings: { ...SETTINGS, questionCount: 2 }, deadlineAt: now + 3_600_000 });
    await rooms.create(room, { type: 'room.created', roomCode: room.code, version: room.version, at: now });
    const code = room.code;
    const ids = Array.from({ length: players }, (_, i) => `player-${i}`);
    for (let i = 0; i < ids.length; i += 500) {
      await Promise.all(ids.slice(i, i + 500).map((id) => rooms.join(code, { id, nickname: id, userId: null, joinedAt: now })));
      await Promise.all(ids.slice(i, i + 500).map((id) => rooms.presence(code, id, 1)));
    }
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
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
