import { createAnswerStore } from '../src/store/answer-store';
import { evalshaMicros, openRoomWithPlayers, runScriptBench } from './script-cost';
import { summary } from './stats';

runScriptBench('answer-cost', 2000, async ({ players, runs, redis, keys, rooms }) => {
  const answers = createAnswerStore({ redis, keys, rules: { allowanceCapMs: 150, sendLagCapMs: 2000 } });
  const { code, ids } = await openRoomWithPlayers(redis, rooms, players);
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
  const { perCall, stats } = await evalshaMicros(redis);
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
});
