import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { io } from 'socket.io-client';
import { ErrorCode } from '../shared/error-codes';
import type { RoomView } from '../shared/room';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/socket-events';
import { type BotOptions, HELP, parseBotArgs } from './args';
import { Bot, reconnectAfterRefusals } from './bot';
import { hostAccountFile, registerHost, signInHost } from './host-account';
import { ApiError, createRestClient, type RestClient } from './rest';

const tty = process.stdout.isTTY;
/** The most the bots wait, over all their joins, for the api's join rate limit: 500 bots at the default 60 a minute take about 8 minutes. */
const MAX_JOIN_WAIT_MS = 15 * 60_000;

function progressLine(code: string, bots: Bot[]): string {
  const view = bots.find((b) => b.view)?.view;
  if (!view) return `room ${code} · connecting ${bots.length} bots…`;
  const tick = bots.find((b) => b.countdown)?.countdown;
  const timed = view.phase === 'question' || view.phase === 'reveal';
  // The phase's first countdown frame comes 2 s in; until then, the time its view left.
  const current = tick && tick.phase === view.phase && tick.questionIndex === view.questionIndex;
  const leftMs = current ? tick.remainingMs : view.deadlineAt !== null ? view.deadlineAt - view.serverNow : null;
  const secs = timed && leftMs !== null ? `${Math.ceil(leftMs / 1000)}s left · ` : '';
  const answered = bots.reduce((n, b) => n + b.stats.answered, 0);
  const refused = bots.reduce((n, b) => n + b.stats.refused, 0);
  const leader = view.leaderboard[0];
  const q = view.questionIndex >= 0 ? `Q ${view.questionIndex + 1}/${view.settings.questionCount} · ` : '';
  return (
    `room ${code} · ${q}${view.phase} · ${secs}answers ${answered}` +
    (refused ? ` (refused ${refused})` : '') +
    ` · players ${view.playerCount}` +
    (leader ? ` · leader ${leader.nickname} ${leader.score}` : '')
  );
}

function printer(code: string, bots: Bot[]) {
  let last = '';
  return (final = false) => {
    const line = progressLine(code, bots);
    if (line === last && !final) return;
    if (tty) process.stdout.write(`\r\x1b[2K${line}${final ? '\n' : ''}`);
    else if (line.split(' · ').slice(0, 3).join() !== last.split(' · ').slice(0, 3).join() || final) process.stdout.write(`${line}\n`);
    last = line;
  };
}

/** With --host: the kept bot host account creates the room, waits for the lobby and, once the bots are in, starts it. */
async function hostRoom(opts: BotOptions, rest: RestClient) {
  const file = hostAccountFile();
  const settings = {
    questionCount: opts.questions,
    questionSeconds: opts.seconds,
    revealSeconds: opts.reveal,
    category: opts.category,
    difficulty: opts.difficulty,
    ...(opts.passphrase === null ? {} : { passphrase: opts.passphrase }),
  };
  let created: Awaited<ReturnType<RestClient['createRoom']>>;
  try {
    created = await rest.createRoom(await signInHost(rest, opts.api, file), settings);
  } catch (err) {
    // Runs stopped in their lobby leave rooms open (HOST_MAX_OPEN_ROOMS), and rooms per hour are counted per account.
    const outOfRooms = err instanceof ApiError && (err.status === 429 || err.code === ErrorCode.TooManyRooms);
    if (!outOfRooms) throw err;
    process.stdout.write(`the bot host account cannot create a room now (${err.message}); registering a new one\n`);
    created = await rest.createRoom(await registerHost(rest, opts.api, file), settings);
  }
  let room: RoomView = created.room;
  for (const until = Date.now() + 30_000; room.phase === 'building' && Date.now() < until; ) {
    await new Promise((r) => setTimeout(r, 200));
    room = await rest.room(created.code);
  }
  if (room.phase === 'failed') throw new Error(`room ${created.code} could not be prepared: ${room.failureReason}`);
  if (room.phase !== 'lobby') throw new Error(`room ${created.code} is still ${room.phase} after 30 s; is the worker running?`);
  return { ...created, lobby: room };
}

async function main(): Promise<void> {
  let opts: BotOptions;
  try {
    opts = parseBotArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`bots: ${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  const rest = createRestClient(opts.api);
  const hosted = opts.host ? await hostRoom(opts, rest) : null;
  const code = hosted?.code ?? (opts.room as string);
  if (hosted) process.stdout.write(`created room ${code} (game ${hosted.gameId})\n`);

  const bots: Bot[] = [];
  let readerToken = hosted?.hostToken ?? '';
  const print = printer(code, bots);
  const tag = randomBytes(2).toString('hex');
  let joinWaitMs = 0;
  // A 429 on a join (RATE_LIMIT_JOIN_ADDRESS) is waited out, said once, so the game gets every bot asked for.
  const join = async (nickname: string): Promise<{ token: string }> => {
    for (;;) {
      try {
        return await rest.join(code, nickname, opts.passphrase);
      } catch (err) {
        const waitMs = err instanceof ApiError && err.retryAfterSeconds !== null ? err.retryAfterSeconds * 1000 : null;
        if (waitMs === null || joinWaitMs + waitMs > MAX_JOIN_WAIT_MS) throw err;
        if (joinWaitMs === 0)
          process.stdout.write(
            `${tty ? '\n' : ''}${bots.length} of ${opts.players} bots are in; the api limits joins from one address (RATE_LIMIT_JOIN_ADDRESS), ` +
              'so the rest join as it lets them (about a minute for every 60)\n',
          );
        joinWaitMs += waitMs;
        await sleep(waitMs);
      }
    }
  };
  for (let i = 1; i <= opts.players; i++) {
    const nickname = `Bot-${tag}-${String(i).padStart(2, '0')}`;
    const { token } = await join(nickname);
    readerToken ||= token;
    bots.push(new Bot(nickname, opts.socket, token, opts.skipRate, () => print()));
  }

  // The host screen: a host socket that sees the room close even if every bot were gone.
  const hostSocket = hosted
    ? (io(opts.socket, { auth: { token: hosted.hostToken }, transports: ['websocket'] }) as import('socket.io-client').Socket<
        ServerToClientEvents,
        ClientToServerEvents
      >)
    : null;
  const stopHostReconnecting = hostSocket
    ? reconnectAfterRefusals(hostSocket, (message) => process.stderr.write(`\nthe host screen cannot connect: ${message}\n`))
    : () => {};
  let finished: RoomView | null = null;
  const done = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      const last = bots.find((b) => b.view && ['finished', 'failed', 'cancelled'].includes(b.view.phase));
      if (last?.view) finished = last.view;
      // A room closed to every bot without an end to show (lost, or all of them removed) ends the run too.
      if (last?.view || bots.every((b) => b.closed)) {
        clearInterval(check);
        resolve();
      }
    }, 100);
  });

  if (hosted) {
    await new Promise((r) => setTimeout(r, 500));
    await rest.start(code, hosted.hostToken, hosted.lobby.version);
  } else {
    process.stdout.write(`${bots.length} bots joined room ${code}; waiting for the host to start…\n`);
  }

  const errorReport = setInterval(() => {
    const failing = bots.filter((b) => b.stats.lastError && !b.view);
    if (failing.length) process.stderr.write(`\n${failing.length} bot(s) cannot connect: ${failing[0]?.stats.lastError}\n`);
  }, 5000);
  await done;
  clearInterval(errorReport);
  print(true);

  const view = finished as RoomView | null;
  if (view?.phase === 'finished') {
    let standings: { rank: number; nickname: string; score: number; correctCount?: number }[] = [];
    for (let i = 0; i < 20 && standings.length === 0; i++) {
      try {
        standings = (await rest.results(view.gameId, readerToken)).players;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    if (standings.length === 0) {
      standings = bots.flatMap((b) => (b.you ? [{ rank: b.you.rank, nickname: b.nickname, score: b.you.score }] : [])).sort((a, b) => a.rank - b.rank);
    }
    process.stdout.write(`\nfinal leaderboard of room ${code} (game ${view.gameId}):\n`);
    for (const s of standings.slice(0, 20)) {
      const correct = s.correctCount === undefined ? '' : `  ${s.correctCount} correct`;
      process.stdout.write(`  ${String(s.rank).padStart(3)}. ${s.nickname.padEnd(20)} ${String(s.score).padStart(6)}${correct}\n`);
    }
    if (standings.length > 20) process.stdout.write(`  … and ${standings.length - 20} more\n`);
  } else if (view) {
    process.stdout.write(`room ${code} ended as ${view.phase}${view.failureReason ? `: ${view.failureReason}` : ''}\n`);
  }
  for (const b of bots) b.close();
  stopHostReconnecting();
  hostSocket?.close();
  // Closed without an end to show: lost by the server, or every bot removed or taken over elsewhere.
  const closed = view ? null : bots.find((b) => b.closed)?.closed;
  if (closed && ['lost', 'kicked', 'replaced'].includes(closed.reason)) {
    throw new Error(`room ${code} was closed to the bots (${closed.reason})${closed.message ? `: ${closed.message}` : ''}`);
  }
}

main().catch((err) => {
  process.stderr.write(`\nbots: ${(err as Error).message}\n`);
  process.exit(1);
});
