import { describe, expect, it } from 'vitest';
import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import type { Game } from '../helpers/game';
import { sleep } from '../helpers/infra';
import { expectPlayedThrough, faultSuite, measureReveal } from './support/faults';

const SETTINGS = { questionCount: 3, questionSeconds: 4, revealSeconds: 1 };
/** Longer than the old advance budget (10 tries) at this cap: an advance that gave up would leave the room frozen. */
const OUTAGE_MS = 12_000;
const BACKOFF_CAP_MS = 500;
const OLD_ADVANCE_ATTEMPTS = 10;

describe('when both api processes are down (SIGKILL) past a question deadline, for longer than the old advance retries', () => {
  let game: Game;
  let results: GameResults;
  let question1: RoomView;
  let apiBackAt = 0;

  const rig = faultSuite(
    'api-outage',
    { env: { RETRY_BACKOFF_CAP_MS: String(BACKOFF_CAP_MS), RECONCILE_EVERY_MS: '1000', RECONCILE_GRACE_MS: '1000' } },
    async (rig) => {
      game = await rig.playGame(SETTINGS);
      question1 = await game.host.waitForQuestion(1, 20_000);
      await rig.kill('api');
      await sleep(OUTAGE_MS);
      await rig.startAgain('api');
      apiBackAt = Date.now();
      results = await rig.finished(game);
    },
  );

  it('kept trying the deadline advance all through the outage, past the old budget of 10 tries, in a few log lines', () => {
    const lines = rig()
      .stack.logs(undefined, 10_000)
      .split('\n')
      .filter((l) => /"queue":"advance".*"msg":"job failed"/.test(l))
      .map((l) => ({ process: l.slice(0, l.indexOf(' ')), ...(JSON.parse(l.slice(l.indexOf('{'))) as { attempt: number; failedTriesSinceLastLine: number }) }));

    expect(Math.max(...lines.map((l) => l.attempt))).toBeGreaterThan(OLD_ADVANCE_ATTEMPTS);
    // Each line stands for the tries since the one before: a worker logs one every 5 s at most, not one per try. (Their
    // sum is not the tries': those after a worker's last line in the outage are in no line.)
    expect(lines.every((l) => l.failedTriesSinceLastLine >= 1)).toBe(true);
    expect(Math.max(...lines.map((l) => l.failedTriesSinceLastLine))).toBeGreaterThan(1);
    for (const worker of new Set(lines.map((l) => l.process))) {
      expect(lines.filter((l) => l.process === worker).length).toBeLessThanOrEqual(Math.ceil(OUTAGE_MS / 5000) + 2);
    }
  });

  it('moves the room on within the backoff cap (plus a second and a half) once the apis are back', () => {
    const { afterMs } = measureReveal(game, question1, `both apis down ${OUTAGE_MS / 1000} s`, apiBackAt);

    expect(afterMs).toBeLessThan(BACKOFF_CAP_MS + 1500);
  });

  it('finishes the game with every question in order and every score saved', () => {
    expectPlayedThrough(game, results, SETTINGS.questionCount);
  });
});
