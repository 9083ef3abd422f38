import { isEndPhase } from '../game/room-machine';
import { buildPlayerYou } from '../game/view';
import { ChannelMessage, parseMessage } from '../shared/events';
import type { PlayerYou, Question, RoomView } from '../shared/room';
import type { RoomState } from '../game/room-state';
import { type QuizServer, type QuizSocket, type RelayDeps, ioRoom } from './types';

/** Sockets per batch of a question's fan-out: each batch is stamped when it was handed to its sockets. */
const SEND_BATCH = 100;

/**
 * Fans room changes out to the members this instance holds. Each update reads the room once,
 * builds and serializes one shared view, then one pipelined read for the players' own states.
 * Updates of one room are handled in order, so a slow read never lets an old view overtake a new one.
 */
export function createRoomRelay(io: QuizServer, { rooms, views, log, clock }: RelayDeps) {
  const questionCache = new Map<string, Question[]>();
  /** The last view pushed per room, with the players' own states of that version: what `room:sync` answers from. */
  const built = new Map<string, { room: RoomState; view: RoomView; yous: Map<string, PlayerYou> }>();
  /** One build per room at a time, shared by every sync that finds no view of the current version. */
  const building = new Map<string, Promise<void>>();
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
    built.set(code, { room, view, yous });
    let sent: Map<string, number> | null = null;
    if (room.phase === 'question') sent = sendQuestion(view, sockets);
    else target.emit('room:view', view);
    for (const s of sockets) {
      const you = s.data.kind === 'player' ? yous.get(s.data.id) : undefined;
      if (!you) continue;
      const local = io.of('/').sockets.get(s.id);
      if (local && !youChanged(local, you)) continue;
      s.emit('room:you', you);
    }
    if (sent && room.openedAt !== null) {
      const openedAt = room.openedAt;
      await rooms.recordSent(
        code,
        room.questionIndex,
        [...sent].map(([id, at]) => [id, at - openedAt]),
      );
    }
    if (isEndPhase(room.phase)) {
      const reason = room.phase === 'finished' ? 'finished' : room.phase === 'failed' ? 'failed' : 'cancelled';
      target.emit('room:closed', { reason, gameId: room.gameId });
      questionCache.delete(room.gameId);
      lastVersion.delete(code);
    }
    if (sockets.length === 0) built.delete(code);
  }

  /** Builds the current view into `built` without sending it (a sync that came before this version's push). */
  function buildOnce(code: string): Promise<void> {
    let pending = building.get(code);
    if (!pending) {
      pending = (async () => {
        const room = await rooms.get(code);
        if (!room) return;
        const view = await views.view(room, await questionsOf(room));
        // A push of a newer version may have landed meanwhile: keep it.
        if ((built.get(code)?.room.version ?? -1) < room.version) built.set(code, { room, view, yous: new Map() });
      })().finally(() => building.delete(code));
      building.set(code, pending);
    }
    return pending;
  }

  /**
   * What `room:sync` answers: the view already built for the room's current version (built once if
   * this instance has not pushed it yet), and the player's own state of that version with their
   * answer read on its own. A few reads whatever the room's size; a player not yet in the built
   * states (joined since) is read once per version.
   */
  async function syncState(code: string, player: { id: string; nickname: string } | null): Promise<{ view: RoomView; you: PlayerYou | null } | null> {
    const version = (await rooms.get(code))?.version;
    if (version === undefined) return null;
    if (built.get(code)?.room.version !== version) await buildOnce(code);
    const entry = built.get(code);
    if (!entry) return null;
    // The clock reading is the one thing of a view that is not of its version.
    const view = { ...entry.view, serverNow: Date.now() };
    if (!player) return { view, you: null };
    let own = entry.yous.get(player.id);
    if (!own) {
      own = (await views.you(entry.room, [player])).get(player.id);
      if (!own) return { view, you: null };
      entry.yous.set(player.id, own);
    }
    const answer = entry.room.questionIndex >= 0 ? await views.ownAnswer(code, entry.room.questionIndex, player.id) : null;
    return { view, you: buildPlayerYou(entry.room, player, { score: own.score, rank: own.rank, streak: own.streak, answer }) };
  }

  /**
   * Sends a question's view in batches and tells when each player's batch went out (Redis's clock),
   * so a player late in a big fan-out is timed from their own send, not charged for the others.
   */
  function sendQuestion(view: RoomView, sockets: { id: string; data: QuizSocket['data'] }[]): Map<string, number> {
    const sentAt = new Map<string, number>();
    for (let i = 0; i < sockets.length; i += SEND_BATCH) {
      const batch = sockets.slice(i, i + SEND_BATCH);
      io.local.to(batch.map((s) => s.id)).emit('room:view', view);
      const at = clock.now();
      for (const s of batch) if (s.data.kind === 'player') sentAt.set(s.data.id, at);
    }
    return sentAt;
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

  /** The host played again: each moved player's connections here learn their new room and token. */
  async function sendNext(code: string, m: Extract<ChannelMessage, { kind: 'next' }>): Promise<void> {
    for (const s of await io.local.in(ioRoom.game(code)).fetchSockets()) {
      const token = s.data.kind === 'player' ? m.tokens[s.data.id] : undefined;
      if (token) s.emit('room:next', { code: m.code, gameId: m.gameId, token, nickname: s.data.name });
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
    syncState,
    /** The connection handler sent a socket its own state: later pushes compare with it. */
    noteYouSent(socket: QuizSocket, you: PlayerYou): void {
      youChanged(socket, you);
    },

    /** A message from a room's channel; ignored unless this instance holds members of the room. */
    onChannelMessage(code: string, raw: string): void {
      if (!io.of('/').adapter.rooms.has(ioRoom.game(code))) return;
      const parsed = parseMessage(ChannelMessage, raw);
      if (!parsed.ok) {
        log.warn('dropping malformed channel message', { room: code, reason: parsed.error, raw: raw.slice(0, 200) });
        return;
      }
      const m = parsed.message;
      switch (m.kind) {
        case 'state':
          return enqueue(code, () => pushState(code));
        case 'countdown':
          // A countdown of a version this instance has not pushed: that version's state message was lost
          // (published while the subscription was down, a Redis restart or failover). Push it first.
          if ((lastVersion.get(code) ?? 0) < m.version) enqueue(code, () => pushState(code));
          return enqueue(code, () => pushCountdown(code, m));
        case 'refresh':
          return enqueueRefresh(code);
        case 'kicked':
          return enqueue(code, () => dropKicked(code, m.playerId));
        case 'next':
          return enqueue(code, () => sendNext(code, m));
      }
    },
  };
}
export type RoomRelay = ReturnType<typeof createRoomRelay>;
