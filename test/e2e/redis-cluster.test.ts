import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKeys } from '../../src/store/keys';
import { ApiClient } from '../helpers/api-client';
import { type Game, type Player, answerAsPlanned, questionsShown } from '../helpers/game';
import { RecordingClient } from '../helpers/recording-client';
import { LocalRedisCluster } from '../helpers/redis-cluster';
import { Stack, printLogsOnFailure } from '../helpers/stack';

const redisServer = inject('redisServer');
const PARTITIONS = 8;
const SETTINGS = { questionCount: 3, questionSeconds: 4, revealSeconds: 1 };
const PLAYERS = 4;

/**
 * Whole games on a local 3-master Redis Cluster, through two of every process: players join through
 * either api and connect to either socket process; two workers share the clock and the events.
 */
describe.skipIf(!redisServer)('games on a Redis Cluster of three masters, with two api, two worker and two socket processes', () => {
  let cluster: LocalRedisCluster;
  let stack: Stack;
  let api2: ApiClient;

  printLogsOnFailure(() => stack);

  beforeAll(async () => {
    if (!redisServer) return;
    cluster = await LocalRedisCluster.start(redisServer, 3);
    stack = await Stack.start('cluster', ['api', 'api2', 'socket', 'socket2', 'worker', 'worker2'], {
      clusterNodes: cluster.seeds,
      env: { EVENT_PARTITIONS: String(PARTITIONS) },
    });
    api2 = new ApiClient(stack.api2Url, { game: () => undefined, email: () => undefined });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    await cluster?.stop();
  });

  /** A lobby with a host on socket 1 and players alternating between both apis and both socket processes. */
  async function openSpreadGame(): Promise<Game> {
    const userToken = (await stack.api.registerHost('Cluster host')).token;
    const { code, gameId, hostToken } = await stack.api.createRoom(userToken, SETTINGS);
    await api2.waitForLobby(code);
    const host = await RecordingClient.connect(stack.socketUrl, hostToken, 'host');
    await host.waitForPhase('lobby');
    const players: Player[] = [];
    for (let index = 0; index < PLAYERS; index++) {
      const nickname = `Player ${index + 1}`;
      const { playerId, token } = await (index % 2 ? api2 : stack.api).join(code, nickname);
      const client = await RecordingClient.connect(index % 2 ? stack.socket2Url : stack.socketUrl, token, `${nickname} (socket ${(index % 2) + 1})`);
      await client.waitForPhase('lobby');
      players.push({ index, nickname, playerId, token, client });
    }
    const clients = () => [host, ...players.map((p) => p.client)];
    return {
      code,
      gameId,
      hostToken,
      userToken,
      host,
      players,
      clients,
      closeAll: () => {
        for (const c of clients()) c.close();
      },
    };
  }

  function everyoneAnswers(game: Game): void {
    for (const player of game.players) answerAsPlanned(player, () => ({ choice: player.index % 2, delayMs: 100 + 150 * player.index }));
  }

  async function expectPlayedThrough(game: Game): Promise<void> {
    await Promise.all(game.clients().map((c) => c.waitForPhase('finished', undefined, 60_000)));
    for (const client of game.clients()) expect(questionsShown(client.frames), client.label).toEqual([0, 1, 2]);
    const results = await api2.waitForResults(game.gameId, 30_000, game.hostToken);
    expect(results.players).toHaveLength(PLAYERS);
    expect(results.questions).toHaveLength(SETTINGS.questionCount);
  }

  it('plays a whole game: every player on either socket process sees every question once, in order, and the results are saved', async () => {
    const game = await openSpreadGame();
    try {
      everyoneAnswers(game);
      await api2.start(game.code, game.hostToken);

      await expectPlayedThrough(game);
    } finally {
      game.closeAll();
    }
  }, 120_000);

  it('finishes a game whose master is killed and restarted while a question is open', async () => {
    const game = await openSpreadGame();
    try {
      everyoneAnswers(game);
      const roomNode = await cluster.nodeOf(createKeys(stack.namespace, PARTITIONS).room(game.code));
      await stack.api.start(game.code, game.hostToken);
      await game.host.waitForQuestion(0);

      await cluster.restartNode(roomNode, 1000);

      await expectPlayedThrough(game);
    } finally {
      game.closeAll();
    }
  }, 180_000);
});
