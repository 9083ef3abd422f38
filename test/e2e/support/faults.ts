import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { type LocalServer, startLocalRedis } from '../../../src/local/local-redis';
import type { RoomView } from '../../../src/shared/room';
import type { GameResults } from '../../../src/store/repos/games.repo';
import type { CreatedRoom, RoomSettingsInput } from '../../helpers/api-client';
import { type Game, answerAsPlanned, finishedResults, openGame, questionsShown } from '../../helpers/game';
import { infra, sleep } from '../../helpers/infra';
import type { AnswerAck } from '../../helpers/recording-client';
import { type Role, Stack, printLogsOnFailure } from '../../helpers/stack';
import { TcpProxy } from '../../helpers/tcp-proxy';
import { Balancer } from './balancer';

/** Players who answer every question: choices 0 to 3, so on any question someone is right and scores. */
export const ANSWERING = 4;

export type Kind = 'api' | 'worker' | 'socket';
/** Two processes of each role, as the issue asks every fault to be tried with. */
const PAIRS: Record<Kind, Role[]> = { api: ['api', 'api2'], worker: ['worker', 'worker2'], socket: ['socket', 'socket2'] };

export interface RigOptions {
  /** Settings for every process, e.g. shorter reconcile passes. */
  env?: Record<string, string>;
  /** Every process reaches PostgreSQL through a proxy the test can take away (`rig.postgres`). */
  postgresProxy?: boolean;
  /** A Redis server of the test's own (`rig.redis`), for faults that are a whole server's state (OOM, FLUSHALL). */
  ownRedis?: boolean;
  /** With `ownRedis`: it keeps an append-only file (as docker-compose runs it), so `restartRedis` brings its data back. */
  persistentRedis?: boolean;
}

interface OpenOptions {
  socketUrl?: string;
  room?: CreatedRoom;
  author?: { token: string };
}

/**
 * Two api, two worker and two socket processes, run as users run them: players and the workers'
 * webhooks reach the apis through one balanced address, players reach the sockets through another.
 * Faults are done to both processes of a role at once (`kill`, `freeze`), or to one by its Role.
 */
export class FaultRig {
  readonly games: Game[] = [];
  private redisPid: number | undefined;

  private constructor(
    readonly stack: Stack,
    private readonly fronts: Balancer[],
    readonly socketFront: Balancer,
    /** Set with `postgresProxy`: stop() it and PostgreSQL is gone for every process. */
    readonly postgres: TcpProxy | null,
    /** Set with `ownRedis`: a connection to the test's own Redis, for CONFIG SET, FLUSHALL… */
    readonly redis: Redis | null,
    private redisServer: LocalServer | null,
    /** Set with `persistentRedis`: where the test's own Redis keeps its append-only file. */
    private readonly redisDataDir: string | undefined,
  ) {}

  static async start(label: string, options: RigOptions = {}): Promise<FaultRig> {
    let stack: Stack | undefined;
    const apiFront = await Balancer.listen(() => (stack ? [stack.apiPort, stack.api2Port] : []));
    const socketFront = await Balancer.listen(() => (stack ? [stack.socketPort, stack.socket2Port] : []));
    const proxied = options.postgresProxy ? await TcpProxy.inFrontOf(infra().databaseUrl, 5432) : null;
    // The redis-server the test setup found or fetched (on PATH, or under .data/tools on a fresh machine).
    const redisDataDir = options.persistentRedis ? mkdtempSync(path.join(os.tmpdir(), `quizloop-${label}-redis-`)) : undefined;
    const redisServer = options.ownRedis ? await startLocalRedis({ server: inject('redisServer') ?? undefined, dataDir: redisDataDir }) : null;
    const env: Record<string, string> = { API_INTERNAL_URL: apiFront.url, ...options.env };
    if (proxied) env.DATABASE_URL = proxied.url;
    if (redisServer) env.REDIS_URL = redisServer.url;
    stack = await Stack.start(label, Object.values(PAIRS).flat(), { env, apiFront: apiFront.url });
    const redis = redisServer ? new Redis(redisServer.url, { maxRetriesPerRequest: 1 }) : null;
    return new FaultRig(stack, [apiFront, socketFront], socketFront, proxied?.proxy ?? null, redis, redisServer, redisDataDir);
  }

  get api(): Stack['api'] {
    return this.stack.api;
  }

  /**
   * A room in its lobby (a new one, or `room`, made by `author`) with a host and `playerCount` players,
   * connected through the socket balancer (so to both sockets), or all to the one socket process at `socketUrl`.
   */
  async openGame(
    settings: RoomSettingsInput,
    playerCount = ANSWERING + 1,
    { socketUrl = this.socketFront.url, room, author }: OpenOptions = {},
  ): Promise<Game> {
    const game = await openGame({ api: this.api, socketUrl }, settings, playerCount, { room, author });
    this.games.push(game);
    return game;
  }

  /**
   * A started game whose first ANSWERING players answer every question shortly after seeing it; the
   * last player never answers, so each question runs to its deadline (unless told `everyoneAnswers`).
   */
  async playGame(
    settings: RoomSettingsInput,
    { everyoneAnswers = false, ...open }: OpenOptions & { everyoneAnswers?: boolean } = {},
  ): Promise<Game & { acks: Promise<AnswerAck>[][] }> {
    const game = await this.openGame(settings, everyoneAnswers ? ANSWERING : ANSWERING + 1, open);
    const acks = game.players
      .slice(0, ANSWERING)
      .map((player) => answerAsPlanned(player, (view) => ({ choice: player.index % view.question.choices.length, delayMs: 100 + 30 * player.index })).acks);
    await this.api.start(game.code, game.hostToken);
    return { ...game, acks };
  }

  /** Waits until every client saw the game finish and its results are saved. */
  finished(game: Game, timeoutMs = 30_000): Promise<GameResults> {
    return finishedResults(this.stack, game, timeoutMs);
  }

  /** Stops both processes of a role (SIGKILL: a crash). */
  async kill(kind: Kind, signal: 'SIGTERM' | 'SIGKILL' = 'SIGKILL'): Promise<void> {
    await Promise.all(PAIRS[kind].map((r) => this.stack.kill(r, signal)));
  }

  /** Starts both processes of a role again, on the same ports, and waits until they are ready. */
  async startAgain(kind: Kind): Promise<void> {
    await Promise.all(PAIRS[kind].map((r) => this.stack.startRole(r)));
  }

  /** Freezes (SIGSTOP) both processes of a role: they hold their connections and answer nothing until `thaw`. */
  freeze(kind: Kind): void {
    for (const r of PAIRS[kind]) this.stack.pause(r);
  }

  thaw(kind: Kind): void {
    for (const r of PAIRS[kind]) this.stack.resume(r);
  }

  /** Freezes (SIGSTOP) the test's own Redis server (`ownRedis`): every connection to it holds, and nothing is answered until `thawRedis`. */
  async freezeRedis(): Promise<void> {
    if (!this.redis) throw new Error('freezeRedis needs a rig started with ownRedis');
    // Asked before the freeze: the server's own pid, as it reports it.
    this.redisPid ??= Number(/process_id:(\d+)/.exec(await this.redis.info('server'))?.[1]);
    process.kill(this.redisPid, 'SIGSTOP');
  }

  thawRedis(): void {
    if (this.redisPid) process.kill(this.redisPid, 'SIGCONT');
  }

  /**
   * Restarts the test's own Redis (`persistentRedis`) as an operator or a platform does: SIGTERM, which writes its
   * append-only file out, down for `downMs`, then up again on the same port with the same file.
   */
  async restartRedis(downMs: number): Promise<void> {
    if (!this.redis || !this.redisServer || !this.redisDataDir) throw new Error('restartRedis needs a rig started with ownRedis and persistentRedis');
    const port = this.redis.options.port;
    await this.redisServer.stop();
    this.redisPid = undefined;
    await sleep(downMs);
    this.redisServer = await startLocalRedis({ server: inject('redisServer') ?? undefined, dataDir: this.redisDataDir, port });
  }

  /** Closes every client, stops every process, the balancers and what `options` started. */
  async stop(): Promise<void> {
    this.thawRedis();
    for (const game of this.games) game.closeAll();
    await this.stack.stop();
    await Promise.all(this.fronts.map((f) => f.stop()));
    await this.postgres?.stop();
    this.redis?.disconnect();
    await this.redisServer?.stop();
    if (this.redisDataDir) rmSync(this.redisDataDir, { recursive: true, force: true });
  }
}

/**
 * Starts a rig before the file's tests and runs `setUp` on it (printing the processes' output if
 * either fails), prints it for any failing test, and stops everything after. Returns the rig's getter.
 */
export function faultSuite(label: string, options: RigOptions, setUp: (rig: FaultRig) => Promise<void>, timeoutMs = 120_000): () => FaultRig {
  let rig: FaultRig | undefined;
  beforeAll(async () => {
    rig = await FaultRig.start(label, options);
    try {
      await setUp(rig);
    } catch (err) {
      throw rig.stack.setUpFailed(err);
    }
  }, timeoutMs);
  printLogsOnFailure(() => rig?.stack);
  afterAll(() => rig?.stop());
  return () => {
    if (!rig) throw new Error('the fault rig did not start');
    return rig;
  };
}

/**
 * What every fault test asks of a game that must survive: every client was shown each question once,
 * in order, and saw the finish; every player's last shown score is the one saved, someone scored, and
 * every answer of the `answering` players was kept, once.
 */
export function expectPlayedThrough(game: Game, results: GameResults, questionCount: number, answering = ANSWERING): void {
  const order = Array.from({ length: questionCount }, (_, i) => i);
  for (const client of game.clients()) {
    expect(questionsShown(client.frames), client.label).toEqual(order);
    expect(client.views().at(-1)?.phase, client.label).toBe('finished');
  }
  expect(results.questions).toHaveLength(questionCount);
  const shown = game.players.map((p) => [p.playerId, p.client.yous().at(-1)?.score ?? -1]);
  const saved = results.players.map((p) => [p.playerId, p.score]);
  expect(saved.sort()).toEqual(shown.sort());
  expect(results.players.some((p) => p.score > 0)).toBe(true);
  expect(results.answers).toHaveLength(answering * questionCount);
}

/** Polls the room over REST until `done` holds for its view; returns that view and when it was seen. */
export async function roomWhen(
  stack: Stack,
  code: string,
  what: string,
  done: (v: RoomView) => boolean,
  timeoutMs: number,
): Promise<{ view: RoomView; at: number }> {
  const deadline = Date.now() + timeoutMs;
  let last: RoomView | null = null;
  for (;;) {
    last = await stack.api.room(code).catch(() => last);
    if (last && done(last)) return { view: last, at: Date.now() };
    if (Date.now() > deadline)
      throw new Error(`room ${code}: timed out after ${timeoutMs} ms waiting for ${what}; last seen ${last?.phase} q${last?.questionIndex}`);
    await sleep(100);
  }
}

/** The first view of the given phase and question a client received, with when it arrived. */
export function firstView(game: Game, phase: RoomView['phase'], questionIndex: number): { view: RoomView; at: number } | undefined {
  const f = game.host.frames.find((x) => x.event === 'room:view' && x.payload.phase === phase && x.payload.questionIndex === questionIndex);
  return f?.event === 'room:view' ? { view: f.payload, at: f.at } : undefined;
}

/**
 * The reveal of `question` as the host saw it: how long after the fault ended (`since`) it arrived,
 * and how much later than the question's deadline the server made it; printed as `[measured]` figures.
 */
export function measureReveal(game: Game, question: RoomView, fault: string, since?: number): { afterMs: number; lateMs: number; view?: RoomView } {
  const reveal = firstView(game, 'reveal', question.questionIndex);
  const afterMs = (reveal?.at ?? Infinity) - (since ?? 0);
  const lateMs = (reveal?.view.serverNow ?? Infinity) - (question.deadlineAt ?? 0);
  if (since !== undefined) report(`${fault} → reveal after the fault ended`, afterMs);
  report(`${fault} → reveal later than the deadline`, lateMs);
  return { afterMs, lateMs, view: reveal?.view };
}

/** Prints a measured figure, so a run of the test shows what docs/operations.md quotes. */
export function report(label: string, ms: number): void {
  console.log(`[measured] ${label}: ${(ms / 1000).toFixed(1)} s`);
}
