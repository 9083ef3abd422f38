/**
 * The raw baseline: a plain `ws` server that plays the same schedule as a quizloop game and sends
 * each player its own JSON of the size quizloop's views had, encoded per player. What the wire and
 * Node cost with no framework, no Redis and no game: the floor quizloop is compared with.
 * Started by raw-ws.ts on the server's core; driven over IPC (`play`, then `stats`).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';

export interface PlayOrder {
  type: 'play';
  questions: number;
  questionSeconds: number;
  revealSeconds: number;
  burst: number[];
  /** Bytes of each player's question view, and of the `finished` view, as quizloop sent them. */
  viewBytes: number;
  finishedBytes: number;
}

const TICK_MS = 2000;
const stalls = monitorEventLoopDelay({ resolution: 10 });
stalls.enable();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
let nextId = 0;
const ids = new WeakMap<object, number>();
let answered = 0;

/** Each player's own frame: the same fields quizloop's bots read, padded to `bytes`. */
function frame(e: string, d: Record<string, unknown>, id: number, bytes: number): string {
  const bare = JSON.stringify({ e, d: { ...d, you: id, pad: '' } });
  return JSON.stringify({ e, d: { ...d, you: id, pad: 'x'.repeat(Math.max(0, bytes - bare.length)) } });
}

function sendAll(e: string, d: Record<string, unknown>, bytes = 0): void {
  for (const ws of wss.clients) ws.send(frame(e, d, ids.get(ws) ?? 0, bytes));
}

wss.on('connection', (ws) => {
  ids.set(ws, nextId++);
  ws.send(frame('room:view', { phase: 'lobby', question: null }, ids.get(ws) ?? 0, 0));
  ws.on('message', (data: Buffer) => {
    const m = JSON.parse(String(data)) as { id: number };
    answered++;
    // Stamped on reading, like quizloop's `receivedAt`: the bench splits the ack time there.
    ws.send(JSON.stringify({ e: 'ack', id: m.id, d: { ok: true }, at: performance.timeOrigin + performance.now() }));
  });
});

const sleepUntil = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

async function play(o: PlayOrder): Promise<void> {
  for (let i = 0; i < o.questions; i++) {
    const openedAt = Date.now();
    const deadlineAt = openedAt + o.questionSeconds * 1000;
    answered = 0;
    // Stamped like quizloop's views (when written), for the bench's split of the fan-out. As in quizloop, the
    // view carries the deadline and is the opening's only frame: the countdown's first tick is 2 s later.
    for (const ws of wss.clients)
      ws.send(
        frame(
          'room:view',
          { phase: 'question', question: { index: i, choices: ['a', 'b'] }, deadlineAt, serverNow: Date.now() },
          ids.get(ws) ?? 0,
          o.viewBytes,
        ),
      );
    const countdown = (phase: string, at: number, tick: number) =>
      sendAll('room:countdown', { phase, questionIndex: i, deadlineAt: at, tick, serverNow: Date.now() });
    for (let n = 1; openedAt + n * TICK_MS < deadlineAt; n++) {
      await sleepUntil(openedAt + n * TICK_MS);
      // Like quizloop, a question everyone answered closes early: no more ticks.
      if (o.burst.includes(i) && answered >= wss.clients.size) break;
      countdown('question', deadlineAt, n);
    }
    while (Date.now() < deadlineAt && !(o.burst.includes(i) && answered >= wss.clients.size)) await sleepUntil(Math.min(deadlineAt, Date.now() + 50));
    const revealAt = Date.now();
    const revealEnd = revealAt + o.revealSeconds * 1000;
    sendAll('room:view', { phase: 'reveal', question: { index: i }, deadlineAt: revealEnd }, o.viewBytes);
    for (let n = 1; revealAt + n * TICK_MS < revealEnd; n++) {
      await sleepUntil(revealAt + n * TICK_MS);
      countdown('reveal', revealEnd, n);
    }
    await sleepUntil(revealEnd);
  }
  sendAll('room:view', { phase: 'finished', question: null }, o.finishedBytes);
}

wss.on('listening', () => {
  const address = wss.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});

process.on('message', (m: PlayOrder | { type: 'stats' }) => {
  if (m.type === 'play') play(m).then(() => process.send?.({ type: 'played' }));
  else {
    // Like a scrape of quizloop's /metrics: the longest stall since the last one.
    process.send?.({ type: 'stats', rss: process.memoryUsage().rss, stallMs: stalls.max / 1e6, clients: wss.clients.size });
    stalls.reset();
  }
});
process.on('disconnect', () => process.exit(0));
