import { afterAll, describe, expect, it } from 'vitest';
import type { PlayerYou } from '../../src/shared/room';
import { type Game, openGame } from '../helpers/game';
import { RecordingClient } from '../helpers/recording-client';
import { stackSuite } from '../helpers/stack';

const PLAYERS = 12;
const SETTINGS = { questionCount: 2, questionSeconds: 20, revealSeconds: 1 };

/** The own states the socket process reads together for the players who connect (or sync) in one turn. */
describe('when many players connect again at the same moment', () => {
  let game: Game;
  /** Per player: the own state before the drop, and the first one sent on the new connection and by a sync. */
  const before: PlayerYou[] = [];
  const onConnect: PlayerYou[] = [];
  const synced: (PlayerYou | null)[] = [];

  stackSuite('connect-together', {}, async (stack) => {
    game = await openGame(stack, SETTINGS, PLAYERS);
    await stack.api.start(game.code, game.hostToken);
    // Different answers, so that scores differ: a mix-up between players would show. A question may offer
    // two choices or four.
    const offered = async (index: number) => (await game.host.waitForQuestion(index)).question?.choices.length ?? Number.NaN;
    const first = await offered(0);
    for (const p of game.players) expect(await p.client.submit(0, p.index % first)).toMatchObject({ ok: true });
    const second = await offered(1);
    // Every other player has answered the open question.
    for (const p of game.players) if (p.index % 2 === 0) expect(await p.client.submit(1, (p.index + 1) % second)).toMatchObject({ ok: true });
    for (const p of game.players) {
      const synced = await p.client.sync();
      if (!synced.ok || !synced.you) throw new Error('no own state');
      before[p.index] = synced.you;
      p.client.close();
    }
    const clients = await Promise.all(game.players.map((p) => RecordingClient.connect(stack.socketUrl, p.token, `${p.nickname} again`)));
    for (const [i, client] of clients.entries()) {
      onConnect[i] = (await client.waitFor('own state', (f) => f.event === 'room:you')).payload as PlayerYou;
      (game.players[i] as (typeof game.players)[number]).client = client;
    }
    const acks = await Promise.all(clients.map((c) => c.sync()));
    for (const [i, ack] of acks.entries()) synced[i] = ack.ok ? ack.you : null;
  });

  afterAll(() => game?.closeAll());

  it('sends each of them their own state, as it was before the drop', () => {
    for (const p of game.players) {
      expect(onConnect[p.index], p.nickname).toEqual(before[p.index]);
      expect(onConnect[p.index]?.nickname).toBe(p.nickname);
      expect(onConnect[p.index]?.answer?.questionIndex === 1, p.nickname).toBe(p.index % 2 === 0);
    }
  });

  it('answers their syncs sent together with their own states', () => {
    for (const p of game.players) expect(synced[p.index], p.nickname).toEqual(before[p.index]);
  });
});
