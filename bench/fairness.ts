/**
 * Points lost to things a player does not control (issue 12), measured on one game:
 *  - server queueing: how much less an answer earned than it was worth when the bot sent it;
 *  - fan-out position: how much less it earned for the time between the question opening (old) or
 *    the player's own send (new) and the bot receiving it.
 * "Old" is the rule before fair timing (timed from the opening to when the answer script ran),
 * "new" the fair rule (from this player's send to the answer's arrival). Both come from the same
 * answers: the answer record keeps its arrival, its wait before the script, and the player's send lag.
 * Losses are in points of a 1000-point question, by the speed rule unrounded; the latency allowance (at most
 * 150 ms, for distance) is left out: on 127.0.0.1 there is no distance to make up for.
 */
import { Redis } from 'ioredis';
import { type Socket, io } from 'socket.io-client';
import type { RoomView } from '../src/shared/room';
import type { RoomState, StoredAnswer } from '../src/game/room-state';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/shared/socket-events';
import { createKeys } from '../src/store/keys';
import { json } from './harness';
import { summary } from './stats';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface FairnessOptions {
  api: string;
  socketUrl: string;
  redisUrl: string;
  namespace: string;
  players: number;
  questions: number;
  questionSeconds: number;
  /** Every bot answers within this window after its screen got the question. */
  burstMs: number;
}

/** What a bot saw of one answer, on this machine's clock (the same host's clock as Redis and the api). */
interface Sent {
  playerId: string;
  questionIndex: number;
  receivedAt: number;
  sentAt: number;
}

export async function runFairness(o: FairnessOptions) {
  const keys = createKeys(o.namespace);
  const redis = new Redis(o.redisUrl);
  const clients: Client[] = [];
  const sent: Sent[] = [];
  const openedAt = new Map<number, number>();
  try {
    const { token } = await json<{ token: string }>(`${o.api}/auth/register`, 'POST', {
      email: `bench-fair-${Date.now()}@bench.invalid`,
      password: 'bench-password',
      displayName: 'Bench host',
    });
    const room = await json<{ code: string; hostToken: string }>(
      `${o.api}/rooms`,
      'POST',
      {
        questionCount: o.questions,
        questionSeconds: o.questionSeconds,
        revealSeconds: 2,
      },
      token,
    );
    while ((await json<RoomView>(`${o.api}/rooms/${room.code}`, 'GET')).phase === 'building') await new Promise((r) => setTimeout(r, 100));

    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    /** Bots that have seen everyone join: the joins' own view pushes are over, so the start is not queued behind them. */
    const settled = new Set<Client>();
    const JOIN_BATCH = 50;
    for (let i = 0; i < o.players; i += JOIN_BATCH) {
      const batch = Array.from({ length: Math.min(JOIN_BATCH, o.players - i) }, (_, k) => i + k);
      await Promise.all(
        batch.map(async (n) => {
          const p = await json<{ playerId: string; token: string }>(`${o.api}/rooms/${room.code}/players`, 'POST', { nickname: `f${n}` });
          const c: Client = io(o.socketUrl, { auth: { token: p.token }, transports: ['websocket'] });
          let answered = -1;
          c.on('room:view', (v) => {
            if (v.phase === 'finished') finished();
            if (v.phase === 'lobby' && v.playerCount === o.players) settled.add(c);
            if (v.phase !== 'question' || !v.question || v.question.index <= answered) return;
            const receivedAt = Date.now();
            answered = v.question.index;
            const q = v.question;
            if (!openedAt.has(q.index)) {
              openedAt.set(q.index, 0);
              void redis.get(keys.room(room.code)).then((raw) => raw && openedAt.set(q.index, (JSON.parse(raw) as RoomState).openedAt ?? 0));
            }
            setTimeout(() => {
              const guess = q.choices.length ? { choice: Math.floor(Math.random() * q.choices.length) } : { text: 'no idea' };
              sent.push({ playerId: p.playerId, questionIndex: q.index, receivedAt, sentAt: Date.now() });
              c.emit('answer:submit', { questionIndex: q.index, ...guess }, () => undefined);
            }, Math.random() * o.burstMs);
          });
          clients.push(c);
        }),
      );
    }
    const settleBy = Date.now() + 120_000;
    while (settled.size < o.players && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 500));
    await json(`${o.api}/rooms/${room.code}/start`, 'POST', {}, room.hostToken);
    await done;

    const loss = { queueOld: [] as number[], queueNew: [] as number[], fanoutOld: [] as number[], fanoutNew: [] as number[] };
    const delivery: number[] = [];
    const waited: number[] = [];
    const T = o.questionSeconds * 1000;
    // The speed rule of src/game/scoring.ts before rounding, so losses under a point still show.
    const worth = (ms: number) => 1000 * (1 - Math.min(Math.max(ms, 0), T) / T / 2);
    for (let i = 0; i < o.questions; i++) {
      const answers = await redis.hgetall(keys.answers(room.code, i));
      const lags = await redis.hgetall(keys.sent(room.code, i));
      const opened = openedAt.get(i) ?? 0;
      for (const s of sent.filter((x) => x.questionIndex === i)) {
        const raw = answers[s.playerId];
        if (!raw) continue;
        const a = JSON.parse(raw) as StoredAnswer;
        const sentToPlayer = opened + Number(lags[s.playerId] ?? 0);
        const processedAt = a.at + (a.queuedMs ?? 0);
        delivery.push(s.receivedAt - opened);
        waited.push(a.queuedMs ?? 0);
        // Worth when sent, minus what the rule gave: by the old rule from the opening, by the new from this player's send.
        loss.queueOld.push(worth(s.sentAt - opened) - worth(processedAt - opened));
        loss.queueNew.push(worth(s.sentAt - sentToPlayer) - worth(a.serverMs ?? a.elapsedMs));
        // Worth by the bot's own reaction time, minus worth counting from the opening (old) or from its send (new).
        loss.fanoutOld.push(worth(s.sentAt - s.receivedAt) - worth(s.sentAt - opened));
        loss.fanoutNew.push(worth(s.sentAt - s.receivedAt) - worth(s.sentAt - sentToPlayer));
      }
    }
    return {
      answers: loss.queueOld.length,
      delivery: summary(delivery),
      waited: summary(waited),
      queueOld: summary(loss.queueOld),
      queueNew: summary(loss.queueNew),
      fanoutOld: summary(loss.fanoutOld),
      fanoutNew: summary(loss.fanoutNew),
    };
  } finally {
    for (const c of clients) c.close();
    redis.disconnect();
  }
}
