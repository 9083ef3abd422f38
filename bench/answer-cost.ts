/**
 * What one answer costs Redis in a big room (issue 11): the answer script run alone against a Redis of its
 * own, timed by Redis (`INFO commandstats`, µs per EVALSHA) and at the client, with 5,000 players online
 * and a question open, answers coming in random order as in a burst.
 *
 *   npx tsx bench/answer-cost.ts [--players 5000] [--runs 2000]
 */
import { parseArgs } from 'node:util';
import { startLocalRedis } from '../src/local/local-redis';
import { createAnswerStore } from '../src/store/answer-store';
import { createKeys } from '../src/store/keys';
import { createRedis } from '../src/store/redis';
import { createRoomStore } from '../src/store/room-store';
import { SETTINGS, openQuestionRoom } from '../test/unit/fixtures';
import { summary } from './stats';

const { values: args } = parseArgs({ options: { players: { type: 'string', default: '5000' }, runs: { type: 'string', default: '2000' } } });
const players = Number(args.players);
const runs = Number(args.runs);

async function main() {
  const server = await startLocalRedis();
  const redis = createRedis(server.url, { name: 'answer-cost' });
  const keys = createKeys('answer-cost');
  const rooms = createRoomStore({ redis, keys, ttlSeconds: 3600, instance: { id: 'socket-a', leaseMs: 3_600_000 } });
  const answers = createAnswerStore({ redis, keys, rules: { allowanceCapMs: 150, answerGraceMs: 500 } });
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
    await redis.hset(keys.answerKey(code), '0', JSON.stringify({ k: 'choice', n: 4, c: [0] }), '1', JSON.stringify({ k: 'choice', n: 4, c: [1] }));
    const order = [...ids].sort(() => Math.random() - 0.5).slice(0, runs);
    await redis.config('RESETSTAT');
    const roundTrips: number[] = [];
    const outcomes: Record<string, number> = {};
    for (const id of order) {
      const started = performance.now();
      const r = await answers.submit(code, id, 0, { choice: 0 }, { arrivedAt: Date.now(), loopBusyMs: 0, rttMs: 1, reportedMs: null });
      roundTrips.push(performance.now() - started);
      const k = r.ok ? 'ok' : r.code;
      outcomes[k] = (outcomes[k] ?? 0) + 1;
    }
    const stats = await redis.info('commandstats');
    const perCall = Number(/cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(stats)?.[1] ?? Number.NaN);
    const rt = summary(roundTrips);
    console.log(
      `${players} players, ${runs} answers in random order: redis ${perCall.toFixed(1)} µs per answer script; round trip p50 ${rt.p50.toFixed(2)} / p99 ${rt.p99.toFixed(2)} ms; ${JSON.stringify(outcomes)}`,
    );
    console.log(
      stats
        .split('\n')
        .filter((l) => l.startsWith('cmdstat_'))
        .join('\n'),
    );
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
