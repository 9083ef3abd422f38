import { isEndPhase } from '../game/room-machine';
import type { ChannelMessage } from '../shared/events';
import type { PlayerYou, Question } from '../shared/room';
import type { RoomState } from '../game/room-state';
import { type QuizServer, type QuizSocket, type RelayDeps, ioRoom } from './types';

/**
 * Fans room changes out to the members this instance holds. Each update reads the room once,
 * builds and serializes one shared view, then one pipelined read for the players' own states.
 * Updates of one room are handled in order, so a slow read never lets an old view overtake a new one.
 */
export function createRoomRelay(io: QuizServer, { rooms, views, log }: RelayDeps) {
  const questionCache = new Map<string, Question[]>();
  const lastVersion = new Map<string, number>();
  const queues = new Map<string, Promise<void>>();
  /** The last `room:you` each socket was sent, as sent: a push that leaves a player's own state as it was sends them none. */
  const lastYou = new WeakMap<QuizSocket, string>();

  /** Whether `you` differs from the last own state this socket was sent; remembers it as sent. */
  function youChanged(socket: QuizSocket, you: PlayerYou): boolean {
    const json = JSON.stringify(you);
    if (lastYou.get(socket) === json) return false;
    lastYou.set(socket, json);
    return true;
  }

  /** Cached by game, not by code: codes are reused, and a new game under an old code has questions of its own. */
  async function questionsOf(room: RoomState): Promise<Question[]> {
    let qs = questionCache.get(room.gameId);
    if (!qs || qs.length === 0) {
      qs = await rooms.getQuestions(room.code);
      if (qs.length) questionCache.set(room.gameId, qs);
    }
    return qs;
  }

  async function pushState(code: string): Promise<void> {
    const room = await rooms.get(code);
    if (!room) return;
    const target = io.local.to(ioRoom.game(code));
    const view = await views.view(room, await questionsOf(room));
    const sockets = await io.local.in(ioRoom.game(code)).fetchSockets();
    const players = sockets.filter((s) => s.data.kind === 'player').map((s) => ({ id: s.data.id, nickname: s.data.name }));
    const yous = await views.you(room, players);
    // The room moved on while these were read: the standings may already be the next phase's (a
    // question's view with its reveal's leaderboard). The push for the newer version is queued
    // behind this one and sends a consistent view; this one is dropped whole.
    const latest = await rooms.get(code);
    if (latest && latest.version !== room.version) return;
    lastVersion.set(code, room.version);
    target.emit('room:view', view);
    for (const s of sockets) {
      const you = s.data.kind === 'player' ? yous.get(s.data.id) : undefined;
      if (!you) continue;
      const local = io.of('/').sockets.get(s.id);
      if (local && !youChanged(local, you)) continue;
      s.emit('room:you', you);
    }
    if (isEndPhase(room.phase)) {
      const reason = room.phase === 'finished' ? 'finished' : room.phase === 'failed' ? 'failed' : 'cancelled';
      target.emit('room:closed', { reason, gameId: room.gameId });
      questionCache.delete(room.gameId);
      lastVersion.delete(code);
    }
  }

  function pushCountdown(code: string, m: Extract<ChannelMessage, { kind: 'countdown' }>): void {
    // A tick published just before a transition must not reach clients after the new phase's view.
    if ((lastVersion.get(code) ?? 0) > m.version) return;
    const serverNow = Date.now();
    io.local.to(ioRoom.game(code)).emit('room:countdown', {
      remainingMs: Math.max(0, m.deadlineAt - serverNow),
      deadlineAt: m.deadlineAt,
      serverNow,
      questionIndex: m.questionIndex,
      phase: m.phase,
      answeredCount: m.answeredCount,
      playerCount: m.playerCount,
    });
  }

  async function dropKicked(code: string, playerId: string): Promise<void> {
    const room = await rooms.get(code);
    for (const s of await io.local.in(ioRoom.game(code)).fetchSockets()) {
      if (s.data.kind !== 'player' || s.data.id !== playerId) continue;
      s.emit('room:closed', { reason: 'kicked', gameId: room?.gameId ?? '' });
      s.disconnect(true);
    }
  }

  function enqueue(code: string, work: () => Promise<void> | void): void {
    const next = (queues.get(code) ?? Promise.resolve())
      .then(work)
      .catch((err) => log.error('relay failed', { room: code, err }))
      .finally(() => {
        if (queues.get(code) === next) queues.delete(code);
      });
    queues.set(code, next);
  }

  /** Joins can come in bursts: a refresh waiting in line already covers those behind it. */
  const refreshWaiting = new Set<string>();
  function enqueueRefresh(code: string): void {
    if (refreshWaiting.has(code)) return;
    refreshWaiting.add(code);
    enqueue(code, () => {
      refreshWaiting.delete(code);
      return pushState(code);
    });
  }

  return {
    /** The connection handler sent a socket its own state: later pushes compare with it. */
    noteYouSent(socket: QuizSocket, you: PlayerYou): void {
      youChanged(socket, you);
    },

    /** A message from a room's channel; ignored unless this instance holds members of the room. */
    onChannelMessage(code: string, raw: string): void {
      if (!io.of('/').adapter.rooms.has(ioRoom.game(code))) return;
      const m = JSON.parse(raw) as ChannelMessage;
      switch (m.kind) {
        case 'state':
          return enqueue(code, () => pushState(code));
        case 'countdown':
          return enqueue(code, () => pushCountdown(code, m));
        case 'refresh':
          return enqueueRefresh(code);
        case 'kicked':
          return enqueue(code, () => dropKicked(code, m.playerId));
      }
    },
  };
}
export type RoomRelay = ReturnType<typeof createRoomRelay>;
