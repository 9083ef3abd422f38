import type { RoomView } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import type { CreatedRoom, RoomSettingsInput } from './api-client';
import { type AnswerAck, type ConnectOptions, type Frame, RecordingClient } from './recording-client';
import type { Stack } from './stack';

export interface Player {
  index: number;
  nickname: string;
  playerId: string;
  token: string;
  client: RecordingClient;
}

export interface Game {
  code: string;
  gameId: string;
  hostToken: string;
  userToken: string;
  host: RecordingClient;
  players: Player[];
  /** The host's client, then every player's. */
  clients(): RecordingClient[];
  closeAll(): void;
}

/**
 * A room in the lobby with a connected host screen and `playerCount` connected players; hosted by a
 * new account unless `author` is given, in a new room unless `room` names one made already (with its
 * author); `connect` options (such as reconnecting) apply to every client.
 */
export async function openGame(
  stack: Pick<Stack, 'api' | 'socketUrl'>,
  settings: RoomSettingsInput,
  playerCount: number,
  { author, connect: options, room }: { author?: { token: string }; connect?: ConnectOptions; room?: CreatedRoom } = {},
): Promise<Game> {
  const userToken = author?.token ?? (await stack.api.registerHost('Quizmaster')).token;
  const { code, gameId, hostToken } = room ?? (await stack.api.createRoom(userToken, settings));
  await stack.api.waitForLobby(code);
  const host = await RecordingClient.connect(stack.socketUrl, hostToken, 'host', options);
  await host.waitForPhase('lobby');
  const players: Player[] = [];
  for (let index = 0; index < playerCount; index++) {
    const nickname = `Player ${index + 1}`;
    const { playerId, token } = await stack.api.join(code, nickname);
    const client = await RecordingClient.connect(stack.socketUrl, token, nickname, options);
    // The first view means the server has finished admitting the player (presence counted, rooms joined).
    await client.waitForPhase('lobby');
    players.push({ index, nickname, playerId, token, client });
  }
  // `players` may grow after this (a late joiner), so the lists are made when asked for.
  const clients = () => [host, ...players.map((p) => p.client)];
  const closeAll = () => {
    for (const c of clients()) c.close();
  };
  return { code, gameId, hostToken, userToken, host, players, clients, closeAll };
}

/** Waits until every client of the game has seen it finish, then for its results to be saved. */
export async function finishedResults(stack: Stack, game: Game, timeoutMs = 30_000): Promise<GameResults> {
  await Promise.all(game.clients().map((c) => c.waitForPhase('finished', undefined, timeoutMs)));
  return stack.api.waitForResults(game.gameId, timeoutMs);
}

/**
 * Makes a player answer as a person would: on seeing question i, if `plan` gives a choice,
 * answer it after `delayMs`. Returns the acks in the order they came.
 */
export function answerAsPlanned(
  player: Player,
  plan: (view: RoomView & { question: NonNullable<RoomView['question']> }) => { choice: number; delayMs: number } | null,
): { acks: Promise<AnswerAck>[] } {
  const handled = new Set<number>();
  const acks: Promise<AnswerAck>[] = [];
  player.client.socket.on('room:view', (view) => {
    if (view.phase !== 'question' || !view.question || handled.has(view.questionIndex)) return;
    handled.add(view.questionIndex);
    const move = plan({ ...view, question: view.question });
    if (!move) return;
    const answer = async () => {
      const ack = await player.client.submit(view.questionIndex, move.choice);
      // Ask for the whole state right after answering, as a curious client would: it must not tell the result.
      await player.client.sync();
      return ack;
    };
    acks.push(new Promise((resolve, reject) => setTimeout(() => answer().then(resolve, reject), move.delayMs)));
  });
  return { acks };
}

/**
 * The question indexes a client was shown, one entry per question phase (a phase is one room
 * version: the same view pushed twice is one showing, a second phase with the same index is a repeat).
 */
export function questionsShown(frames: Frame[]): number[] {
  const versions = new Map<number, number>();
  for (const f of frames) {
    if (f.event === 'room:view' && f.payload.phase === 'question' && !versions.has(f.payload.version)) {
      versions.set(f.payload.version, f.payload.questionIndex);
    }
  }
  // Map keeps first-seen order: the order the client was shown them in.
  return [...versions.values()];
}

/** Frames received while a question was open (after its question view, before its reveal view), with that question's index. */
export function framesWhileQuestionOpen(frames: Frame[]): { frame: Frame; questionIndex: number }[] {
  const out: { frame: Frame; questionIndex: number }[] = [];
  let open: number | null = null;
  for (const frame of frames) {
    if (frame.event === 'room:view') open = frame.payload.phase === 'question' ? frame.payload.questionIndex : null;
    if (open !== null) out.push({ frame, questionIndex: open });
  }
  return out;
}
