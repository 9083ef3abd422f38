import { setImmediate as yieldLoop } from 'node:timers/promises';
import { isEndPhase } from '../game/room-machine';
import { ChannelMessage, parseMessage } from '../shared/events';
import { assertNever } from '../shared/assert-never';
import type { PlayerYou, Question, RoomView } from '../shared/room';
import type { RoomState } from '../game/room-state';
import { RANKS_BY_ZRANK } from '../store/view-reader';
import { type QuizServer, type QuizSocket, type RelayDeps, ioRoom } from './types';

/** A room's shared view of one version, as a writer published it (or this process built it). */
interface HeldView {
  version: number;
  /** When the open question opened (epoch ms, Redis clock): the players' send times are counted from it. */
  openedAt: number | null;
  view: RoomView;
  /** When it was built (or arrived), in this process's order: of two views of a room, the higher is the newer. */
  seq: number;
}

/** The view of a room at its current version and the own states of the players who asked for it together. */
interface SyncBatch {
  view: RoomView;
  yous: Map<string, PlayerYou>;
  openedAt: number | null;
  seq: number;
}

/** Players whose own states one sync batch reads: up to this many, each rank is a ZRANK (view-reader.ts). */
const SYNC_BATCH_MAX = RANKS_BY_ZRANK;

/** The longest a countdown frame is held for its instant, whatever instant it names (COUNTDOWN_LEAD_MS is at most 1 s). */
const COUNTDOWN_HOLD_MAX_MS = 1000;

/** What the members of a room whose record Redis lost are told (`room:closed`, reason `lost`). */
export const LOST_ROOM_MESSAGE = 'The game server lost this game (its live data was wiped), so it cannot go on and its results were not saved.';

/** The most a room's refreshes are held apart, however many members it has here. */
const REFRESH_FLOOR_MAX_MS = 10_000;

/**
 * The least time between two refreshes of a room with `members` members on this process:
 * SOCKET_REFRESH_MIN_MS, or SOCKET_REFRESH_MS_PER_1000 per 1,000 members when that is longer, at most 10 s.
 */
export function refreshFloorMs(members: number, config: Pick<RelayDeps['config'], 'refreshMinMs' | 'refreshMsPer1000'>): number {
  return Math.min(Math.max(config.refreshMinMs, (members * config.refreshMsPer1000) / 1000), REFRESH_FLOOR_MAX_MS);
}

/** Whether view `a` of a room is newer than `b`: a later version, or the same version built (or arrived) later here. */
function isNewer(a: Pick<HeldView, 'version' | 'seq'>, b: Pick<HeldView, 'version' | 'seq'>): boolean {
  return a.version > b.version || (a.version === b.version && a.seq > b.seq);
}

/**
 * Fans room changes out to the members this instance holds. A transition's writer builds the new
 * version's view once and publishes it; this process forwards it as one broadcast (encoded once) and
 * keeps it for `room:sync` and new connections. Only each player's own state is read here, one
 * pipelined read for all the players it holds. Updates of one room are handled in order, so a slow
 * read never lets an old view overtake a new one.
 */
export function createRoomRelay(
  io: QuizServer,
  { rooms, reads, views, log, clock, config }: Pick<RelayDeps, 'rooms' | 'reads' | 'views' | 'log' | 'clock' | 'config'>,
) {
  /** Each room's questions with the game they are of, while this process holds the room's members. */
  const questionCache = new Map<string, { gameId: string; questions: Question[] }>();
  /** The last view forwarded per room: what `room:sync` and a new connection are answered from. */
  const held = new Map<string, HeldView>();
  /** The newest view a writer published per room that is not forwarded yet. */
  const arrived = new Map<string, HeldView>();
  /** Wakes the push that waits for a room's published view. */
  const waiting = new Map<string, () => void>();
  /** Views built here for syncs that came before this version's push, one build per room at a time. */
  const builtForSync = new Map<string, HeldView>();
  const building = new Map<string, Promise<HeldView | null>>();
  const queues = new Map<string, Promise<void>>();
  /**
   * Answers of a room whose question is being written to its players, parked after their arrival stamp:
   * an answer costs the process several writes, and handled as they came, the first slices' players'
   * answers would stretch the fan-out to the last ones (and the longer it took, the more would come).
   */
  const parked = new Map<string, { since: number; go: () => void }[]>();
  /** The last `room:you` each socket was sent: a push that leaves a player's own state as it was sends them none. */
  const lastYou = new WeakMap<QuizSocket, PlayerYou>();
  let seq = 0;

  /**
   * Whether `you` differs from the last own state this socket was sent, at question `index`; remembers it
   * as sent. An answer counts only at its own question: a new question clears the previous one's on the
   * client (its `questionIndex` no longer matches the view's), so that alone sends no `room:you`.
   */
  function youChanged(socket: QuizSocket, you: PlayerYou, index: number): boolean {
    const last = lastYou.get(socket);
    lastYou.set(socket, you);
    if (!last || last.score !== you.score || last.rank !== you.rank || last.streak !== you.streak || last.nickname !== you.nickname) return true;
    const before = last.answer?.questionIndex === index ? last.answer : null;
    const now = you.answer?.questionIndex === index ? you.answer : null;
    return before !== now && JSON.stringify(before) !== JSON.stringify(now);
  }

  /** Kept per code with its game: codes are reused, and a new game under an old code has questions of its own. */
  async function questionsOf(room: RoomState): Promise<Question[]> {
    const cached = questionCache.get(room.code);
    if (cached?.gameId === room.gameId) return cached.questions;
    const questions = await rooms.getQuestions(room.code);
    if (questions.length) questionCache.set(room.code, { gameId: room.gameId, questions });
    return questions;
  }

  /** Whether this process holds members of the room: what it keeps of a room is forgotten with its last member. */
  function holds(code: string): boolean {
    return io.of('/').adapter.rooms.has(ioRoom.game(code));
  }

  /** The sockets of a room on this process, from the adapter's own room: no fetch, no copy per socket. */
  function members(code: string): QuizSocket[] {
    const out: QuizSocket[] = [];
    for (const id of io.of('/').adapter.rooms.get(ioRoom.game(code)) ?? []) {
      const socket = io.of('/').sockets.get(id);
      if (socket) out.push(socket);
    }
    return out;
  }

  /** Builds the room's current view here; null when the room is gone or moved on during the reads. */
  async function buildHere(code: string): Promise<HeldView | null> {
    const room = await rooms.get(code);
    if (!room) return null;
    const view = await views.view(room, await questionsOf(room));
    if ((await rooms.get(code))?.version !== room.version) return null;
    return { version: room.version, openedAt: room.openedAt, view, seq: ++seq };
  }

  /** Resolves when a view is published for the room, or after `ms`. */
  function viewPublished(code: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (waiting.get(code) === done) waiting.delete(code);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiting.set(code, done);
    });
  }

  /**
   * Brings the room's members to `version`: with the view its writer published, waited for up to
   * SOCKET_VIEW_WAIT_MS, or one built here when it never came (its writer died before publishing).
   */
  async function pushVersion(code: string, version: number): Promise<void> {
    if ((held.get(code)?.version ?? 0) >= version) return;
    if ((arrived.get(code)?.version ?? 0) < version) await viewPublished(code, config.viewWaitMs);
    const published = arrived.get(code);
    if (published && published.version >= version) return forward(code, published);
    log.warn('view not published in time; building it here', { room: code, version });
    const built = await buildHere(code);
    if (built) await forward(code, built);
  }

  /**
   * Writes to the given sockets a slice at a time, yielding to the event loop between slices: a fan-out
   * to thousands of sockets never holds the loop (answers arriving meanwhile are read and stamped between
   * slices). Callers run in the room's queue, so a later message of the room never overtakes this one.
   */
  async function inSlices(sockets: QuizSocket[], write: (slice: QuizSocket[]) => void): Promise<void> {
    for (let i = 0; i < sockets.length; i += config.fanoutSlice) {
      if (i > 0) await yieldLoop();
      write(sockets.slice(i, i + config.fanoutSlice));
    }
  }

  /** Lets the room's answers parked at or before `since` go on, in their order. */
  function unpark(code: string, since: number): void {
    const waiting = parked.get(code) ?? [];
    let n = 0;
    for (const w of waiting) {
      if (w.since > since) break;
      n++;
    }
    for (const { go } of waiting.splice(0, n)) go();
  }

  /** One broadcast per slice (encoded once per slice), to the sockets' own Socket.IO rooms. */
  function broadcastTo(slice: QuizSocket[]) {
    return io.local.to(slice.map((s) => s.id));
  }

  /**
   * Sends a view to the room, one broadcast per slice of its members. A new version also stamps the
   * question's send time of each slice's players once that slice is written, and sends each player their
   * own state if it changed.
   */
  async function forward(code: string, next: HeldView): Promise<void> {
    const last = held.get(code);
    if (last && last.view.gameId === next.view.gameId && last.version > next.version) return;
    const newVersion = !last || last.view.gameId !== next.view.gameId || last.version < next.version;
    held.set(code, next);
    if ((arrived.get(code)?.version ?? -1) <= next.version) arrived.delete(code);
    const sockets = members(code);
    const { view, openedAt } = next;
    const stampSends = newVersion && view.phase === 'question' && openedAt !== null;
    if (stampSends) parked.set(code, []);
    await inSlices(sockets, (slice) => {
      // Between two slices, the answers that waited long enough (none are parked before the first).
      unpark(code, performance.now() - config.fanoutAnswerWaitMs);
      broadcastTo(slice).emit('room:view', { ...view, serverNow: clock.now() });
      if (!stampSends) return;
      // Stamped once the slice is written: a player is charged neither for the slices after theirs nor before.
      const lag = clock.now() - openedAt;
      const sends: [string, number][] = [];
      for (const s of slice) if (s.data.kind === 'player') sends.push([s.data.id, lag]);
      // Not recorded, the player is timed from the opening: a loss of fairness, never of the view.
      if (sends.length) rooms.recordSent(code, view.questionIndex, sends).catch((err) => log.warn('send time not recorded', { room: code, err }));
    }).finally(() => {
      unpark(code, Number.POSITIVE_INFINITY);
      parked.delete(code);
    });
    if (!newVersion) return;
    const players = sockets.filter((s) => s.data.kind === 'player' && s.connected);
    const yous = players.length
      ? await views.you(
          code,
          view,
          players.map((s) => ({ id: s.data.id, nickname: s.data.name })),
        )
      : null;
    // Null: the room moved on during the read; the next version's push sends the own states.
    if (yous) {
      await inSlices(players, (slice) => {
        for (const s of slice) {
          const you = yous.get(s.data.id);
          if (you && youChanged(s, you, view.questionIndex)) s.emit('room:you', you);
        }
      });
    }
    // Once per version: a view sent again (a refresh, a catch-up after a reconnect) closes nothing again.
    if (newVersion && isEndPhase(view.phase)) {
      const reason = view.phase === 'finished' ? 'finished' : view.phase === 'failed' ? 'failed' : 'cancelled';
      await inSlices(members(code), (slice) => broadcastTo(slice).emit('room:closed', { reason, gameId: view.gameId }));
      questionCache.delete(code);
    }
    if (sockets.length === 0) forget(code);
  }

  /** Builds the current view for syncs, once per room at a time, without sending it. */
  function buildOnce(code: string): Promise<HeldView | null> {
    let pending = building.get(code);
    if (!pending) {
      pending = buildHere(code)
        .then((built) => {
          // The last member may have left during the reads: what they cached (questions too) is not kept for nobody.
          if (!holds(code)) forget(code);
          else if (built) builtForSync.set(code, built);
          return built;
        })
        .finally(() => building.delete(code));
      building.set(code, pending);
    }
    return pending;
  }

  /**
   * The room's view at its current version (the one this process holds, or built once here if it has not
   * pushed that version yet) and the own states of `players`, read together: one read of the room record
   * and one of the own states, whatever the room's size. Null when the room is gone.
   */
  async function syncBatch(code: string, players: { id: string; nickname: string }[]): Promise<SyncBatch | null> {
    for (let attempt = 1; ; attempt++) {
      const room = await reads.get(code);
      if (!room) return null;
      const atVersion = (h: HeldView | undefined) => (h && h.version === room.version && h.view.gameId === room.gameId ? h : undefined);
      // A refresh keeps the version: the newer of the pushed view and one built for syncs.
      const [a, b] = [atVersion(held.get(code)), atVersion(builtForSync.get(code))];
      const entry = (a && b && isNewer(b, a) ? b : (a ?? b)) ?? (await buildOnce(code));
      if (!entry) {
        if (attempt < 3) continue;
        return null;
      }
      const view = { ...entry.view, serverNow: clock.now() };
      const yous = players.length ? await views.you(code, entry.view, players) : new Map<string, PlayerYou>();
      // The room moved on between the two reads: read both again.
      if (yous || attempt >= 3) return { view, yous: yous ?? new Map(), openedAt: entry.openedAt, seq: entry.seq };
    }
  }

  /**
   * The syncs of a room asked for in one turn of the event loop (connections admitted together, `room:sync`s
   * read together) share one batch, read once the turn is over: a lobby filling with thousands makes a few
   * reads of a few commands each, not several commands and a transaction per player.
   */
  const syncing = new Map<string, { players: { id: string; nickname: string }[]; result: Promise<SyncBatch | null> }>();
  function batchFor(code: string) {
    const pending = syncing.get(code);
    if (pending && pending.players.length < SYNC_BATCH_MAX) return pending;
    const players: { id: string; nickname: string }[] = [];
    const result = yieldLoop().then(() => {
      if (syncing.get(code)?.players === players) syncing.delete(code);
      return syncBatch(code, players);
    });
    const batch = { players, result };
    syncing.set(code, batch);
    return batch;
  }

  /**
   * What `room:sync` and a new connection get: the view this process holds for the room's current
   * version and the player's own state (see syncBatch), read with the other syncs of the room in this turn.
   */
  async function syncState(
    code: string,
    player: { id: string; nickname: string } | null,
  ): Promise<{ view: RoomView; you: PlayerYou | null; openedAt: number | null; seq: number } | null> {
    const batch = batchFor(code);
    if (player) batch.players.push(player);
    const synced = await batch.result;
    if (!synced) return null;
    return { view: synced.view, you: player ? (synced.yous.get(player.id) ?? null) : null, openedAt: synced.openedAt, seq: synced.seq };
  }

  /**
   * The view to send a socket that was given `state` by `syncState`: the room's pushed view instead when
   * one newer was pushed since (the socket, a member already, may have had it), so it never gets an older after a newer.
   */
  function freshest(code: string, state: { view: RoomView; seq: number }): RoomView {
    const pushed = held.get(code);
    if (!pushed || pushed.view.gameId !== state.view.gameId) return state.view;
    return isNewer(pushed, { version: state.view.version, seq: state.seq }) ? { ...pushed.view, serverNow: clock.now() } : state.view;
  }

  async function pushCountdown(code: string, m: Extract<ChannelMessage, { kind: 'countdown' }>): Promise<void> {
    // A tick published just before a transition must not reach clients after the new phase's view.
    if ((held.get(code)?.version ?? 0) > m.version) return;
    await inSlices(members(code), (slice) => {
      const serverNow = clock.now();
      broadcastTo(slice).emit('room:countdown', {
        remainingMs: Math.max(0, m.deadlineAt - serverNow),
        deadlineAt: m.deadlineAt,
        serverNow,
        questionIndex: m.questionIndex,
        phase: m.phase,
        tick: m.tick,
        answeredCount: m.answeredCount,
        playerCount: m.playerCount,
      });
    });
  }

  /**
   * Runs `send` at `dueAt` (Redis clock), held at most COUNTDOWN_HOLD_MAX_MS; at once when it has passed or
   * is absent. Held outside the room's queue: a new version is never held behind a frame's wait, and the frame,
   * queued at its instant behind that version's push, is then dropped as older.
   */
  function atInstant(dueAt: number | undefined, send: () => void): void {
    if (dueAt === undefined) return send();
    const until = Math.min(dueAt, clock.now() + COUNTDOWN_HOLD_MAX_MS);
    const wake = () => {
      const wait = until - clock.now();
      // Node's timers may fire a little before Redis's clock reaches the instant: wait out the rest.
      if (wait > 0) setTimeout(wake, wait).unref();
      else send();
    };
    wake();
  }

  function dropKicked(code: string, playerId: string): void {
    const gameId = held.get(code)?.view.gameId ?? '';
    for (const s of members(code)) {
      if (s.data.kind !== 'player' || s.data.id !== playerId) continue;
      s.emit('room:closed', { reason: 'kicked', gameId });
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

  /**
   * Joins can come in bursts: a refresh waiting covers every change before its read, and two refreshes of
   * a room are sent at least SOCKET_REFRESH_MIN_MS apart, and SOCKET_REFRESH_MS_PER_1000 more per 1,000 of
   * its members here (at most 10 s), so a lobby filling with thousands is not pushed to everyone once per
   * join, and its refreshes write about as many frames a second whatever its size. A change during a
   * refresh's read asks for the next one: the last always goes out. The wait is a timer outside the room's
   * queue, so a new version is never held behind it.
   */
  const refreshWaiting = new Set<string>();
  /** When each room's last refresh was sent (or its read began, while it reads). */
  const lastRefresh = new Map<string, number>();
  function enqueueRefresh(code: string): void {
    if (refreshWaiting.has(code)) return;
    refreshWaiting.add(code);
    refreshWhenDue(code);
  }
  function refreshWhenDue(code: string): void {
    const floor = refreshFloorMs(io.of('/').adapter.rooms.get(ioRoom.game(code))?.size ?? 0, config);
    const wait = (lastRefresh.get(code) ?? Number.NEGATIVE_INFINITY) + floor - Date.now();
    if (wait > 0) {
      setTimeout(() => refreshWhenDue(code), wait).unref();
      return;
    }
    enqueue(code, async () => {
      refreshWaiting.delete(code);
      lastRefresh.set(code, Date.now());
      const built = await buildHere(code);
      if (!holds(code)) return forget(code);
      if (!built) return;
      lastRefresh.set(code, Date.now());
      await forward(code, built);
    });
  }

  /** The newest view of the room this process sent or built: pushed, or built for a sync. */
  function latest(code: string): HeldView | undefined {
    const [a, b] = [held.get(code), builtForSync.get(code)];
    return a && b ? (isNewer(b, a) ? b : a) : (a ?? b);
  }

  /** Whether the room ended, as far as this process knows: its record then expires in time, and is not lost. */
  function ended(code: string): boolean {
    const view = latest(code)?.view;
    return view !== undefined && isEndPhase(view.phase);
  }

  /** The members of a room whose record is gone though it had not ended are told so, in the room's order, and disconnected. */
  async function closeLost(code: string): Promise<void> {
    if (ended(code)) return;
    const gameId = latest(code)?.view.gameId ?? '';
    const sockets = members(code);
    await inSlices(sockets, (slice) => broadcastTo(slice).emit('room:closed', { reason: 'lost', gameId, message: LOST_ROOM_MESSAGE }));
    for (const s of sockets) s.disconnect(true);
  }

  /** The room has no members here any more: what is held of it is dropped (a code is reused by later games). */
  function forget(code: string): void {
    held.delete(code);
    lastRefresh.delete(code);
    arrived.delete(code);
    builtForSync.delete(code);
    questionCache.delete(code);
  }

  return {
    syncState,
    freshest,
    forget,
    ended,
    /** Redis says the room's record is gone (lost-rooms.ts): its members here learn it after what the room has queued. */
    closeLost(code: string): void {
      enqueue(code, () => closeLost(code));
    },
    /**
     * Resolves when an answer to the room may be handled: at once (undefined) unless the room's question
     * is being written to its players, then after the last slice or between two once it waited SOCKET_FANOUT_ANSWER_WAIT_MS.
     */
    answerTurn(code: string): Promise<void> | undefined {
      const waiting = parked.get(code);
      return waiting && new Promise((go) => waiting.push({ since: performance.now(), go }));
    },
    /** The connection handler sent a socket its own state: later pushes compare with it. */
    noteYouSent(socket: QuizSocket, you: PlayerYou): void {
      lastYou.set(socket, you);
    },

    /**
     * The room's channel was subscribed again after the subscriber reconnected: a change published while it was
     * down is lost, and an end phase has no later tick to bring it, so the room's view is built and sent again.
     */
    catchUp(code: string): void {
      if (holds(code)) enqueueRefresh(code);
    },

    /** A message from a room's channel; ignored unless this instance holds members of the room. */
    onChannelMessage(code: string, raw: string): void {
      if (!holds(code)) return;
      const parsed = parseMessage(ChannelMessage, raw);
      if (!parsed.ok) {
        log.warn('dropping malformed channel message', { room: code, reason: parsed.error, raw: raw.slice(0, 200) });
        return;
      }
      const m = parsed.message;
      switch (m.kind) {
        case 'state':
          return enqueue(code, () => pushVersion(code, m.version));
        case 'view': {
          const prev = arrived.get(code);
          if (!prev || prev.version < m.version || prev.view.gameId !== m.view.gameId) {
            arrived.set(code, { version: m.version, openedAt: m.openedAt, view: m.view, seq: ++seq });
          }
          waiting.get(code)?.();
          // Normally already waited for by its state message's push; this one covers a lost state message.
          return enqueue(code, () => pushVersion(code, m.version));
        }
        case 'countdown':
          // A countdown of a version this instance has not pushed: that version's state message was lost
          // (published while the subscription was down, a Redis restart or failover). Push it first. The
          // first tick is 2 s into the phase; a phase shorter than that has none, and the next version's message brings it on.
          if ((held.get(code)?.version ?? 0) < m.version) enqueue(code, () => pushVersion(code, m.version));
          return atInstant(m.dueAt, () => enqueue(code, () => pushCountdown(code, m)));
        case 'refresh':
          return enqueueRefresh(code);
        case 'kicked':
          return enqueue(code, () => dropKicked(code, m.playerId));
        case 'next':
          return enqueue(code, () => sendNext(code, m));
        default:
          return assertNever(m, 'channel message');
      }
    },
  };
}
export type RoomRelay = ReturnType<typeof createRoomRelay>;
