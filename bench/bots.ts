/**
 * A bot process: plays many players of one room, against quizloop (Socket.IO) or the raw `ws`
 * baseline, and records what they saw, stamped on arrival. Started by bot-fleet.ts (never by hand),
 * pinned to the bots' core, and driven over IPC: `join`, then `report`, then `close`.
 * Reads only what every view shape keeps: `phase`, `question.index`, `deadlineAt`, and the countdown frames.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Socket, io } from 'socket.io-client';
import WebSocket from 'ws';
import { createArrivalClock } from '../src/socket/arrival';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/shared/socket-events';
import { emptyReport } from './bot-report';
import { botNickname } from './nicknames';
import { countdownLateness } from './stats';

/**
 * `client` of a quizloop target: `wire` speaks the Socket.IO protocol over a plain `ws` socket and stamps a
 * message right after its JSON.parse, as the raw bots do (the same cost per message on the bots' one core);
 * `socket.io-client` is the library a browser runs, which costs the bots' core about twice as much per
 * message and stamps after its own layers (the bench's only client before 2026-12-06).
 */
export type BotClient = 'wire' | 'socket.io-client';
export type BotTarget = { kind: 'quizloop'; api: string; code: string; socketUrls: string[]; client: BotClient } | { kind: 'raw'; url: string };

export interface JoinOrder {
  type: 'join';
  target: BotTarget;
  /** This process's players are numbered first … first + players − 1 across the fleet. */
  first: number;
  players: number;
  /** Joins and connections in flight at once, in this process. */
  width: number;
  questions: number;
  questionSeconds: number;
  /** Questions of these indexes are answered by every player within `burstMs` of seeing them; the others by nobody. */
  burst: number[];
  burstMs: number;
}

export type ParentMessage = JoinOrder | { type: 'report' } | { type: 'close' };

/** What the players of one process saw; times in ms on this machine's clock (the servers share it). */
export interface BotReport {
  joinFailures: number;
  /** io()/new WebSocket → first `room:view`, per player. */
  connectMs: number[];
  /** Per question index: arrival of that question's first view, per player (epoch ms). */
  questionArrivals: Record<number, number[]>;
  /** Per question index, in the order of `questionArrivals`: the view's `serverNow`, when the server wrote it (its slice). */
  questionWritten: Record<number, number[]>;
  /** Per question index: its opening instant (its view's or countdown's deadline − question seconds). */
  opens: Record<number, number>;
  /** Per question index: when its reveal is due to end (the reveal view's or countdown's deadline). */
  revealEnds: Record<number, number>;
  /** Countdown frames n ≥ 1 of questions: arrival − due. */
  lateness: number[];
  /** Answer emit → ack, and how many acks were refusals. */
  ackMs: number[];
  /** The same split at the server's stamp of the answer (its arrival, in the ack): emit → stamp, stamp → ack read. */
  ackUpMs: number[];
  ackDownMs: number[];
  /** Per ack: how long this bot process's loop had been busy before the turn that read it, at most (src/socket/arrival.ts): the most the bot itself can have added. */
  ackBotBusyMs: number[];
  ackErrors: number;
  /** Refusals and failed joins, by code or reason. */
  errors: Record<string, number>;
  /** Per question index: answers sent. */
  answers: Record<number, number>;
  /** Arrival of the `finished` view per player, and its size in bytes (JSON). */
  finishedArrivals: number[];
  finishedBytes: number;
  /** Size of a question view (JSON bytes), as the first player got it. */
  questionBytes: number;
  /** Per question index (−1: before the first): messages the players received. */
  messages: Record<number, number>;
  /** Players that got every question's view and the `finished` view. */
  complete: number;
  disconnects: number;
  /** This process's longest event-loop delay from its last join on, ms. */
  loopDelayMaxMs: number;
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One player's connection, whatever the server: how to answer and how to hang up. */
interface Line {
  /** `done` gets null when the answer was taken, else the refusal's code; and the server's arrival stamp (epoch ms) when the ack has one. */
  answer(questionIndex: number, done: (error: string | null, stampedAt?: number) => void): void;
  close(): void;
}

interface ViewLike {
  phase: string;
  serverNow?: number;
  deadlineAt?: number | null;
  question?: { index: number; choices?: unknown[] } | null;
}
interface CountdownLike {
  phase: string;
  questionIndex: number;
  deadlineAt: number;
  tick?: number;
}

const report: BotReport = emptyReport();
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
const lines: Line[] = [];
let current = -1;
/** Marks every message's turn, to bound how long the bot's own loop held each ack unread. */
const turns = createArrivalClock(() => performance.now());

function failed(reason: string): void {
  report.ackErrors++;
  report.errors[reason] = (report.errors[reason] ?? 0) + 1;
}

/** A player that could not join: counted, and not waited for. */
function joinFailed(reason: string): void {
  report.joinFailures++;
  report.errors[reason] = (report.errors[reason] ?? 0) + 1;
  finishedIfAll();
}

let expected = 0;
function finishedIfAll(): void {
  if (expected > 0 && report.finishedArrivals.length === expected - report.joinFailures) process.send?.({ type: 'finished' });
}

function tally(questionIndex = current): void {
  report.messages[questionIndex] = (report.messages[questionIndex] ?? 0) + 1;
}

/** The handlers every player runs, whichever server it talks to. */
function player(order: JoinOrder, line: () => Line | undefined) {
  /** A question's opening and its reveal's end, from a view's or a countdown frame's deadline. */
  function deadlineOf(phase: string, index: number, deadlineAt: number): void {
    if (phase === 'question') report.opens[index] ??= deadlineAt - order.questionSeconds * 1000;
    if (phase === 'reveal') report.revealEnds[index] = deadlineAt;
  }
  const seen = new Set<number>();
  let finished = false;
  return {
    /** Whether this player has had the `finished` view (the server closes connections after it). */
    done: () => finished,
    view(v: ViewLike, bytes: () => number): void {
      const at = Date.now();
      const index = v.question?.index;
      // The opening's only frame is its view (no tick 0): a question everyone answers at once may get no countdown frame.
      if (index !== undefined && v.deadlineAt) deadlineOf(v.phase, index, v.deadlineAt);
      if (v.phase === 'question' && index !== undefined && !seen.has(index)) {
        seen.add(index);
        current = Math.max(current, index);
        const arrivals = report.questionArrivals[index] ?? [];
        const written = report.questionWritten[index] ?? [];
        arrivals.push(at);
        written.push(v.serverNow ?? Number.NaN);
        report.questionArrivals[index] = arrivals;
        report.questionWritten[index] = written;
        if (report.questionBytes === 0) report.questionBytes = bytes();
        if (order.burst.includes(index)) {
          report.answers[index] = (report.answers[index] ?? 0) + 1;
          setTimeout(() => {
            const sent = performance.now();
            line()?.answer(index, (error, stampedAt) => {
              const read = performance.now();
              report.ackMs.push(read - sent);
              report.ackBotBusyMs.push(turns.busyBeforeMs());
              if (stampedAt !== undefined) {
                const stamp = stampedAt - performance.timeOrigin;
                report.ackUpMs.push(stamp - sent);
                report.ackDownMs.push(read - stamp);
              }
              if (error !== null) failed(error);
            });
          }, Math.random() * order.burstMs);
        }
      }
      tally();
      if (v.phase === 'finished' && !finished) {
        finished = true;
        report.finishedArrivals.push(at);
        if (report.finishedBytes === 0) report.finishedBytes = bytes();
        if (seen.size === order.questions) report.complete++;
        finishedIfAll();
      }
    },
    countdown(c: CountdownLike): void {
      tally(c.questionIndex);
      deadlineOf(c.phase, c.questionIndex, c.deadlineAt);
      if (c.phase === 'question') {
        const late = countdownLateness(c, order.questionSeconds);
        if (late !== null) report.lateness.push(late);
      }
    },
  };
}

async function joinQuizloop(order: JoinOrder, target: Extract<BotTarget, { kind: 'quizloop' }>, n: number): Promise<void> {
  const res = await fetch(`${target.api}/rooms/${target.code}/players`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nickname: botNickname(n) }),
  });
  if (!res.ok) {
    joinFailed(`join ${res.status} ${(await res.text()).slice(0, 120)}`);
    return;
  }
  const { token } = (await res.json()) as { token: string };
  const url = target.socketUrls[n % target.socketUrls.length] as string;
  if (target.client === 'wire') return joinWire(order, url, token);
  const started = performance.now();
  const c: Client = io(url, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
  const handlers = player(order, () => line);
  const line: Line = {
    answer: (questionIndex, done) => c.emit('answer:submit', { questionIndex, choice: 0 }, (ack) => done(ack.ok ? null : ack.error.code)),
    close: () => c.close(),
  };
  lines.push(line);
  c.on('room:view', (v) => handlers.view(v, () => Buffer.byteLength(JSON.stringify(v))));
  c.on('room:countdown', (m) => handlers.countdown(m));
  c.on('room:you', () => tally());
  c.on('disconnect', (reason) => {
    if (reason !== 'io client disconnect' && !handlers.done()) report.disconnects++;
  });
  await new Promise<void>((resolve) => {
    c.once('room:view', () => {
      report.connectMs.push(performance.now() - started);
      resolve();
    });
    c.once('connect_error', (err) => {
      joinFailed(`connect ${err.message}`);
      resolve();
    });
  });
}

/**
 * A quizloop player on the wire (Engine.IO 4 / Socket.IO 5 over WebSocket): `0` open → `40{auth}` connect,
 * `2` ping → `3` pong, `42[event, data]` events, `42<id>[…]` an emit with an ack, `43<id>[ack]` its ack,
 * `44{…}` a refused connect.
 */
async function joinWire(order: JoinOrder, url: string, token: string): Promise<void> {
  const started = performance.now();
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
  const acks = new Map<number, (error: string | null, stampedAt?: number) => void>();
  let nextAck = 0;
  let closing = false;
  const handlers = player(order, () => line);
  const line: Line = {
    answer: (questionIndex, done) => {
      const id = nextAck++;
      acks.set(id, done);
      ws.send(`42${id}${JSON.stringify(['answer:submit', { questionIndex, choice: 0 }])}`);
    },
    close: () => {
      closing = true;
      ws.close();
    },
  };
  lines.push(line);
  await new Promise<void>((resolve) => {
    let first = true;
    ws.on('message', (data: Buffer) => {
      turns.stamp();
      const frame = String(data);
      if (frame === '2') return void ws.send('3');
      if (frame[0] === '0') return void ws.send(`40${JSON.stringify({ token })}`);
      if (frame.startsWith('44')) {
        joinFailed(`connect ${(JSON.parse(frame.slice(2)) as { message: string }).message}`);
        return resolve();
      }
      const kind = frame.slice(0, 2);
      if (kind !== '42' && kind !== '43') return;
      const body = frame.indexOf('[');
      const m = JSON.parse(frame.slice(body)) as unknown[];
      if (kind === '43') {
        const id = Number(frame.slice(2, body));
        const ack = m[0] as { ok: boolean; error?: { code: string }; receivedAt?: number };
        acks.get(id)?.(ack.ok ? null : (ack.error?.code ?? 'unknown'), ack.receivedAt);
        acks.delete(id);
        return;
      }
      const [event, payload] = m;
      if (event === 'room:view') {
        handlers.view(payload as ViewLike, () => Buffer.byteLength(JSON.stringify(payload)));
        if (first) {
          first = false;
          report.connectMs.push(performance.now() - started);
          resolve();
        }
      } else if (event === 'room:countdown') handlers.countdown(payload as CountdownLike);
      else if (event === 'room:you') tally();
    });
    ws.on('close', () => {
      if (!closing && !handlers.done()) report.disconnects++;
      resolve();
    });
    ws.on('error', (err) => {
      joinFailed(`connect ${err.message}`);
      resolve();
    });
  });
}

/** The raw baseline speaks `{e, d}` JSON frames: the same events, no Socket.IO around them. */
async function joinRaw(order: JoinOrder, url: string): Promise<void> {
  const started = performance.now();
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const acks = new Map<number, (error: string | null, stampedAt?: number) => void>();
  let nextAck = 0;
  const handlers = player(order, () => line);
  const line: Line = {
    answer: (questionIndex, done) => {
      const id = nextAck++;
      acks.set(id, done);
      ws.send(JSON.stringify({ e: 'answer:submit', d: { questionIndex, choice: 0 }, id }));
    },
    close: () => ws.close(),
  };
  lines.push(line);
  let first = true;
  await new Promise<void>((resolve) => {
    ws.on('message', (data: Buffer) => {
      turns.stamp();
      const m = JSON.parse(String(data)) as { e: string; d: unknown; id?: number; at?: number };
      if (m.e === 'room:view') {
        handlers.view(m.d as ViewLike, () => data.length);
        if (first) {
          first = false;
          report.connectMs.push(performance.now() - started);
          resolve();
        }
      } else if (m.e === 'room:countdown') handlers.countdown(m.d as CountdownLike);
      else if (m.e === 'ack' && m.id !== undefined) {
        acks.get(m.id)?.(null, m.at);
        acks.delete(m.id);
      }
    });
    ws.on('error', (err) => {
      joinFailed(`connect ${err.message}`);
      resolve();
    });
  });
}

async function join(order: JoinOrder): Promise<void> {
  let next = 0;
  const one = (n: number) => (order.target.kind === 'quizloop' ? joinQuizloop(order, order.target, n) : joinRaw(order, order.target.url));
  await Promise.all(
    Array.from({ length: Math.min(order.width, order.players) }, async () => {
      while (next < order.players) await one(order.first + next++).catch((err: Error) => joinFailed(`join ${err.message}`));
    }),
  );
}

process.on('message', (m: ParentMessage) => {
  switch (m.type) {
    case 'join':
      expected = m.players;
      join(m).then(() => {
        // What the joins left (HTTP clients, lobby views) collected now, not by a mark-compact in the game (bot-fleet.ts).
        globalThis.gc?.();
        loopDelay.reset();
        process.send?.({ type: 'joined' });
      });
      return;
    case 'report':
      report.loopDelayMaxMs = loopDelay.max / 1e6;
      process.send?.({ type: 'report', report });
      return;
    case 'close':
      for (const line of lines) line.close();
      setTimeout(() => process.exit(0), 200);
      return;
  }
});
process.on('disconnect', () => process.exit(0));
