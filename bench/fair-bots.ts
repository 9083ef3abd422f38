/**
 * A bot process of the fairness bench (fairness.ts starts it, never by hand): plays `players` players
 * of one room, each answering every question at a random moment within `burstMs` of seeing it, and
 * records when it saw each question and when it sent its answer, on this machine's clock (the
 * servers share it). Many players in one bench process would make the bots, not the server, the
 * bottleneck, so they are spread over processes like this one. Driven over IPC: `join`, `report`, `close`.
 */
import { performance } from 'node:perf_hooks';
import { type Socket, io } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/shared/socket-events';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface FairJoin {
  type: 'join';
  api: string;
  socketUrl: string;
  code: string;
  /** This process's players are numbered first … first + players − 1; the room holds `total`. */
  first: number;
  players: number;
  total: number;
  burstMs: number;
}

/**
 * What a bot saw of one answer: when its screen got the question and when it sent the answer (epoch ms),
 * and the reaction time it reported with the answer, as the web client does (shown → tap, monotonic clock).
 */
export interface FairSent {
  playerId: string;
  questionIndex: number;
  receivedAt: number;
  sentAt: number;
  /** When the emit call returned: the bytes were written by then, unless the process was descheduled after the write. */
  emittedAt: number;
  reactionMs: number;
}

/** Acks by outcome (`ok` or the error code), and connections lost during the game. */
export interface FairOutcomes {
  acks: Record<string, number>;
  disconnects: number;
}

export type FairBotMessage = { type: 'joined' } | { type: 'report'; sent: FairSent[]; outcomes: FairOutcomes };

const JOIN_WIDTH = 50;
const clients: Client[] = [];
const sent: FairSent[] = [];
const outcomes: FairOutcomes = { acks: {}, disconnects: 0 };

function tell(message: FairBotMessage): void {
  process.send?.(message);
}

/** The join, tried again when the connection itself failed (an api under this load may reset some). */
async function joinRequest(o: FairJoin, n: number, attempt = 1): Promise<Response> {
  try {
    return await fetch(`${o.api}/rooms/${o.code}/players`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nickname: `bot${n}` }),
    });
  } catch (err) {
    if (attempt >= 5) throw err;
    await new Promise((r) => setTimeout(r, 200 * attempt));
    return joinRequest(o, n, attempt + 1);
  }
}

async function joinPlayer(o: FairJoin, n: number, settled: Set<Client>): Promise<void> {
  const res = await joinRequest(o, n);
  if (!res.ok) throw new Error(`join bot${n}: ${res.status} ${await res.text()}`);
  const p = (await res.json()) as { playerId: string; token: string };
  const c: Client = io(o.socketUrl, { auth: { token: p.token }, transports: ['websocket'] });
  let answered = -1;
  c.on('disconnect', () => outcomes.disconnects++);
  c.on('room:view', (v) => {
    // Everyone has joined once a lobby view counts them all: the joins' own view pushes are over.
    if (v.phase === 'lobby' && v.playerCount === o.total && !settled.has(c)) {
      settled.add(c);
      if (settled.size === o.players) tell({ type: 'joined' });
    }
    if (v.phase !== 'question' || !v.question || v.question.index <= answered) return;
    const receivedAt = Date.now();
    const shownAt = performance.now();
    const q = v.question;
    answered = q.index;
    setTimeout(() => {
      const guess = q.choices.length ? { choice: Math.floor(Math.random() * q.choices.length) } : { text: 'no idea' };
      // Like web/js/player.page.js: the player's own question-shown-to-tap time goes with the answer.
      const reactionMs = Math.round(performance.now() - shownAt);
      const sentAt = Date.now();
      c.emit('answer:submit', { questionIndex: q.index, ...guess, reactionMs }, (ack) => {
        const outcome = ack.ok ? 'ok' : ack.error.code;
        outcomes.acks[outcome] = (outcomes.acks[outcome] ?? 0) + 1;
      });
      sent.push({ playerId: p.playerId, questionIndex: q.index, receivedAt, sentAt, emittedAt: Date.now(), reactionMs });
    }, Math.random() * o.burstMs);
  });
  clients.push(c);
}

process.on('message', async (m: FairJoin | { type: 'report' } | { type: 'close' }) => {
  switch (m.type) {
    case 'join': {
      const settled = new Set<Client>();
      for (let i = 0; i < m.players; i += JOIN_WIDTH) {
        const batch = Array.from({ length: Math.min(JOIN_WIDTH, m.players - i) }, (_, k) => m.first + i + k);
        await Promise.all(batch.map((n) => joinPlayer(m, n, settled)));
      }
      return;
    }
    case 'report':
      tell({ type: 'report', sent, outcomes });
      return;
    case 'close':
      for (const c of clients) c.close();
      process.exit(0);
  }
});
