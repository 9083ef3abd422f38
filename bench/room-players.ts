/**
 * The players of the many-rooms bench, in a process of their own: started by many-rooms.ts (never by
 * hand) and driven over IPC: `connect`, then `report`, then `close`. The bench's own process sends the
 * rooms' start requests; with the players here, a countdown frame is read by a loop that is not busy
 * sending them, as a player's device would be. Times are on this machine's clock, which the servers share.
 */
import { type Socket, io } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../src/shared/socket-events';
import { pooled } from './pooled';
import { countdownLateness } from './stats';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOrder {
  type: 'connect';
  socketUrl: string;
  /** Each player's room and token; a room is finished once one of its players has the `finished` view. */
  players: { room: string; token: string }[];
  questionSeconds: number;
}

/** One countdown frame n ≥ 1 as a player got it: lateness at the player and when the socket process wrote it. */
export interface Frame {
  questionIndex: number;
  tick: number;
  dueAt: number;
  lateMs: number;
  writtenLateMs: number;
}

export interface Report {
  type: 'report';
  frames: Frame[];
  /** Rooms one of whose players had the `finished` view. */
  finishedRooms: number;
}

type PlayersMessage = { type: 'connected' } | { type: 'finished' } | Report;
type ParentMessage = ConnectOrder | { type: 'report' } | { type: 'close' };

const clients: Client[] = [];
const frames: Frame[] = [];
const finished = new Set<string>();
const send = (m: PlayersMessage) => process.send?.(m);

async function connect(order: ConnectOrder): Promise<void> {
  const rooms = new Set(order.players.map((p) => p.room));
  await pooled(order.players, 16, async ({ room, token }) => {
    const c: Client = io(order.socketUrl, { auth: { token }, transports: ['websocket'] });
    c.on('room:countdown', (m) => {
      const lateMs = countdownLateness(m, order.questionSeconds);
      const writtenLateMs = countdownLateness(m, order.questionSeconds, m.serverNow);
      if (lateMs === null || writtenLateMs === null || m.tick === undefined) return;
      frames.push({ questionIndex: m.questionIndex, tick: m.tick, dueAt: Date.now() - lateMs, lateMs, writtenLateMs });
    });
    c.on('room:view', (v) => {
      if (v.phase !== 'finished' || finished.has(room)) return;
      finished.add(room);
      if (finished.size === rooms.size) send({ type: 'finished' });
    });
    await new Promise<void>((resolve, reject) => {
      c.once('room:view', () => resolve());
      c.once('connect_error', reject);
    });
    clients.push(c);
  });
  // What the connections left is collected now (the bench starts this process with `--expose-gc`), not by a
  // mark-compact in the game, while frames are being read.
  globalThis.gc?.();
  send({ type: 'connected' });
}

process.on('message', (m: ParentMessage) => {
  if (m.type === 'connect') {
    connect(m).catch((err) => {
      console.error(`room players: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
  } else if (m.type === 'report') {
    send({ type: 'report', frames, finishedRooms: finished.size });
  } else {
    for (const c of clients) c.close();
    process.disconnect();
  }
});
