import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RoomEvent } from '../shared/events';
import type { ChannelMessage } from '../shared/events';
import { normalizeAnswerText } from '../shared/answer-text';
import type { Question } from '../shared/room';
import { TOKEN_LIFETIME_SECONDS } from '../shared/tokens';
import { type Change, type ClockField, isEndPhase, stampAt } from '../game/room-machine';
import type { Logger } from '../platform/logger';
import { RoomState, type StoredPlayer } from '../game/room-state';
import { EVENTS_MAX_LENGTH } from './event-bus';
import type { Keys } from './keys';
import { type MemberKind, createPresenceLedger } from './presence-ledger';
import { type QuizRedis, publishCommand } from './redis';
import { type ScanPosition, scanRoomRecords } from './room-census';
import { raiseHostTokenVersion } from './scripts/host-token-version.lua';
import { join as joinScript } from './scripts/join.lua';
import { kick as kickScript } from './scripts/kick.lua';
import { lease, presence, reassert, reconnecting, roomPresence } from './scripts/presence.lua';
import { publishView } from './scripts/publish-view.lua';
import { releaseLock } from './scripts/release-lock.lua';
import { sent } from './scripts/sent.lua';
import { tick } from './scripts/tick.lua';
import { transition } from './scripts/transition.lua';

/** Applied: the record and event as written, times on Redis's clock. */
export type ApplyResult = { ok: true; room: RoomState; event: RoomEvent } | { ok: false; code: 'stale' | 'not-found' };
export type JoinResult = 'ok' | 'not-found' | 'closed' | 'nickname-taken' | 'locked' | 'full';
/** A player's connection counted (see connectPlayer), or not, because the host kicked them. */
export type PlayerConnect = { counted: true; connections: number; elsewhere: number } | { counted: false; kicked: true };

export interface RoomStoreDeps {
  redis: QuizRedis;
  keys: Keys;
  ttlSeconds: number;
  /**
   * A socket process: its instance id and presence lease, under which it counts its connections, and
   * how long after another instance's lease ended that instance's lease and connection counts are forgotten.
   */
  instance?: PresenceInstance;
  /** Where a socket process's background presence failures are told (a re-assert after a connect). */
  log?: Logger;
}

export interface PresenceInstance {
  id: string;
  leaseMs: number;
  forgetAfterMs?: number;
}

/** PRESENCE_FORGET_SECONDS's default, for a store given no window of its own. */
const FORGET_DEAD_INSTANCES_MS = 60_000;

/** A countdown frame as a tick draws it; the tick script adds the counts. */
export type CountdownDraft = Omit<Extract<ChannelMessage, { kind: 'countdown' }>, 'answeredCount' | 'playerCount'>;

/** What the reconciler reads of a room's presence (see roomPresenceScript; a tick counts the same inside tick.lua). */
export interface RoomPresence {
  playerCount: number;
  answeredCount: number;
  vacantForMs: number;
  closable: boolean;
}

/** What the answer script checks an answer against (see answer.lua.ts): the kind, and what is right. */
export type AnswerKeyEntry = { k: 'choice'; n: number; c: number[] } | { k: 'poll'; n: number } | { k: 'text'; a: string[] };

export function answerKeyEntry(q: Question): AnswerKeyEntry {
  switch (q.type) {
    case 'multiple':
    case 'boolean':
      return { k: 'choice', n: q.choices.length, c: q.correct };
    case 'poll':
      return { k: 'poll', n: q.choices.length };
    case 'type-answer':
      return { k: 'text', a: [...new Set(q.accepted.map(normalizeAnswerText))] };
  }
}

/** Reads and writes room records, questions and players. Lifecycle writes go through one CAS script. */
/** How long a room creation's lock lives unless released: a Redis stall past it lets the next creation in. */
const CREATION_LOCK_MS = 10_000;
/** How often a creation waiting for another of the same host tries the lock again. */
const CREATION_LOCK_RETRY_MS = 20;

export function createRoomStore({ redis, keys, ttlSeconds, instance, log }: RoomStoreDeps) {
  function ownInstance(): PresenceInstance {
    if (!instance) throw new Error('presence is counted by socket processes only');
    return instance;
  }
  const ledger = createPresenceLedger();

  /**
   * A member's presence change, in the ledger as it is sent; a connection Redis did not count (kicked, or
   * the command failed) leaves it again, as its socket will send no uncount. A connect that found this
   * instance's lease lapsed re-asserts the room's members (the lease script will find the lease renewed, so
   * when that re-assert fails, the room is marked in the ledger for the next renewal to re-assert).
   */
  function countMember(code: string, kind: MemberKind, memberId: string, delta: 1 | -1, playerKeys: string[]) {
    const { id, leaseMs } = ownInstance();
    ledger.move(code, kind, memberId, delta);
    const sent = presence.run(
      redis,
      { presence: kind === 'player' ? keys.online(code) : keys.hostOnline(code), instances: keys.instances(code), playerKeys },
      { memberId, instanceId: id, delta, leaseMs, ttlSeconds },
    );
    const uncounted = () => delta > 0 && ledger.move(code, kind, memberId, -1);
    sent.then((r) => {
      if (!r.ok) return uncounted();
      if (r.lapsed) reassertMembers(code).catch((err: unknown) => warnUnasserted(code, err));
    }, uncounted);
    return sent;
  }

  /** A player's presence change; with `refuseKicked`, the script counts nobody in the room's kicked set. */
  function countPlayer(code: string, playerId: string, delta: 1 | -1, refuseKicked: boolean) {
    const playerKeys = [keys.reconnecting(code), keys.onlineCounts(code)];
    if (refuseKicked) playerKeys.push(keys.kicked(code));
    return countMember(code, 'player', playerId, delta, playerKeys);
  }

  function warnUnasserted(code: string, err: unknown): void {
    log?.warn('could not count this instance’s connections again after its presence lease lapsed; the next renewal tries again', {
      room: code,
      err: err instanceof Error ? err.message : String(err),
    });
  }

  /**
   * Sets this instance's presence in a room to what it holds (see reassertScript): its lease had lapsed or was
   * forgotten. A failure marks the room in the ledger, for the next renewal (which will find the lease renewed).
   */
  async function reassertMembers(code: string): Promise<void> {
    const { id, leaseMs } = ownInstance();
    const { players, hosts } = ledger.of(code);
    try {
      await reassert.run(
        redis,
        {
          online: keys.online(code),
          hostOnline: keys.hostOnline(code),
          instances: keys.instances(code),
          onlineCounts: keys.onlineCounts(code),
          kicked: keys.kicked(code),
        },
        { instanceId: id, leaseMs, ttlSeconds, hostCount: hosts.length, members: [...hosts, ...players] },
      );
    } catch (err) {
      ledger.markUnasserted(code);
      throw err;
    }
  }

  /** The keys of roomPresenceScript for a room and its open question (`index`, or -1). */
  function presenceKeys(code: string, index: number) {
    return {
      players: keys.players(code),
      answers: keys.answers(code, Math.max(index, 0)),
      online: keys.online(code),
      hostOnline: keys.hostOnline(code),
      instances: keys.instances(code),
      reconnecting: keys.reconnecting(code),
      emptySince: keys.emptySince(code),
      onlineCounts: keys.onlineCounts(code),
      closeScan: keys.closeScan(code, Math.max(index, 0)),
    };
  }

  /** `questions`: stored with the change, replacing the room's questions and answer key, only if it applies. */
  async function write(expectedVersion: number, change: Change, questions?: Question[]): Promise<ApplyResult> {
    const { room, event, settles, clock } = change;
    const message: ChannelMessage = { kind: 'state', version: room.version };
    const code = room.code;
    const named = {
      room: keys.room(code),
      events: keys.events(code),
      answers: keys.answers(code, Math.max(room.questionIndex, 0)),
      players: keys.players(code),
      scores: keys.scores(code),
      streaks: keys.streaks(code),
      times: keys.times(code),
      answerKey: keys.answerKey(code),
      ranking: keys.ranking(code),
      questions: keys.questions(code),
    };
    const others = keys.allOfRoom(code, room.settings.questionCount).filter((k) => !Object.values(named).includes(k));
    const result = await transition.run(
      redis,
      { ...named, others },
      {
        expectedVersion,
        record: room,
        eventType: event.type,
        event,
        channel: keys.channel(code),
        message,
        ttlSeconds,
        eventsMaxLength: EVENTS_MAX_LENGTH,
        settles,
        publish: publishCommand(redis),
        clock,
        questions: questions ? JSON.stringify(questions) : null,
        answerKey: questions ? questions.map((q) => JSON.stringify(answerKeyEntry(q))) : null,
      },
    );
    return result.ok ? { ok: true, ...stampAt(change, result.at) } : result;
  }

  return {
    /**
     * Creates the room and emits `room.created`; null when the code is taken. `clock`: fields to set
     * from Redis TIME, as a transition does (the api creates with `createdAt` 0 and ['createdAt']).
     */
    async create(room: RoomState, event: RoomEvent, clock: readonly ClockField[] = []): Promise<RoomState | null> {
      const created = await write(-1, { room, event, settles: false, clock });
      return created.ok ? created.room : null;
    },

    async get(code: string): Promise<RoomState | null> {
      const raw = await redis.get(keys.room(code));
      return raw ? RoomState.parse(JSON.parse(raw)) : null;
    },

    /**
     * Applies a change computed from the record at `expectedVersion`, at Redis's now; a concurrent change wins.
     * `questions` (a room's `prepared`): its questions and answer key, written in the same step or not at all.
     */
    apply(expectedVersion: number, change: Change, questions?: Question[]): Promise<ApplyResult> {
      return write(expectedVersion, change, questions);
    },

    /**
     * Stores the picked questions; their answers go to a separate hash that only scripts and reveals read.
     * Whatever the room's version: for setting a room up in tests. A room being prepared gets its questions
     * with its `prepared` change (`apply`), so a stale prepare writes none.
     */
    async saveQuestions(code: string, questions: Question[]): Promise<void> {
      const answerKey = Object.fromEntries(questions.map((q, i) => [String(i), JSON.stringify(answerKeyEntry(q))]));
      await redis
        .multi()
        .set(keys.questions(code), JSON.stringify(questions), 'EX', ttlSeconds)
        .del(keys.answerKey(code))
        .hset(keys.answerKey(code), answerKey)
        .expire(keys.answerKey(code), ttlSeconds)
        .exec();
    },

    async getQuestions(code: string): Promise<Question[]> {
      const raw = await redis.get(keys.questions(code));
      return raw ? (JSON.parse(raw) as Question[]) : [];
    },

    /** `nicknameKey`: what must be unique in the room (the api passes the nickname's skeleton); `maxPlayers`: the server's ceiling. */
    async join(
      code: string,
      player: StoredPlayer,
      { nicknameKey = player.nickname.toLocaleLowerCase('en'), maxPlayers = 2 ** 31 }: { nicknameKey?: string; maxPlayers?: number } = {},
    ): Promise<JoinResult> {
      const r = await joinScript.run(
        redis,
        {
          room: keys.room(code),
          players: keys.players(code),
          nicknames: keys.nicknames(code),
          scores: keys.scores(code),
          locked: keys.locked(code),
          ranking: keys.ranking(code),
        },
        { playerId: player.id, nicknameKey, player, ttlSeconds, maxPlayers },
      );
      return r.ok ? 'ok' : r.code;
    },

    /**
     * Runs `work` as the host's only room creation, across api instances: the open-rooms cap is counted and the room made
     * with no other creation of theirs between (two at once each counted the same open rooms). The lock is a key of the
     * namespace taken with SET NX and a time to live (CREATION_LOCK_MS, far past `work`'s few Redis calls; gone after a
     * crash), released by `release-lock.lua` only while it is still this one's. `busy` when another creation of theirs
     * held it for `waitMs`.
     */
    async asOnlyCreation<T>(hostId: string, waitMs: number, work: () => Promise<T>): Promise<{ done: T } | 'busy'> {
      const lock = keys.roomCreation(hostId);
      const token = randomUUID();
      const giveUpAt = Date.now() + waitMs;
      while ((await redis.set(lock, token, 'PX', CREATION_LOCK_MS, 'NX')) !== 'OK') {
        if (Date.now() >= giveUpAt) return 'busy';
        await sleep(CREATION_LOCK_RETRY_MS);
      }
      try {
        return { done: await work() };
      } finally {
        // Not released (Redis away): it expires by itself.
        await releaseLock.run(redis, { lock }, { token }).catch((err: unknown) => log?.warn('room creation lock not released', { host: hostId, err }));
      }
    },

    /** How many rooms are noted as the host's: at least as many as are open (openRoomsOf drops the ended ones). */
    async hostRoomCount(hostId: string): Promise<number> {
      return redis.scard(keys.hostRooms(hostId));
    },

    /** Notes a room as the host's, for the open-rooms cap. */
    async addHostRoom(hostId: string, code: string): Promise<void> {
      await redis.multi().sadd(keys.hostRooms(hostId), code).expire(keys.hostRooms(hostId), ttlSeconds).exec();
    },

    /** The token version a host token of `hostId` must carry at least; 0 until a password change raises it. */
    async hostTokenVersion(hostId: string): Promise<number> {
      return Number.parseInt((await redis.get(keys.hostTokenVersion(hostId))) ?? '0', 10) || 0;
    },

    /**
     * After a password change: host tokens issued before it are refused. Never lowered (changes whose writes cross keep
     * the later one); kept as long as a host token lives, and no longer.
     */
    async raiseHostTokenVersion(hostId: string, version: number): Promise<void> {
      await raiseHostTokenVersion.run(redis, { version: keys.hostTokenVersion(hostId) }, { version, ttlSeconds: TOKEN_LIFETIME_SECONDS.host });
    },

    /** The codes of the host's rooms that have not ended; ended and expired ones are dropped from the set. */
    async openRoomsOf(hostId: string): Promise<string[]> {
      const codes = await redis.smembers(keys.hostRooms(hostId));
      if (codes.length === 0) return [];
      const records = await Promise.all(codes.map((c) => redis.get(keys.room(c))));
      const ended = (i: number) => {
        const raw = records[i];
        return !raw || isEndPhase((JSON.parse(raw) as { phase: string }).phase);
      };
      const closed = codes.filter((_, i) => ended(i));
      if (closed.length) await redis.srem(keys.hostRooms(hostId), ...closed);
      return codes.filter((_, i) => !ended(i)).sort();
    },

    /**
     * Removes a player for good (see kick.lua): 'not-found' when no such player is in the room, 'ended'
     * when the room has ended by the time the script runs (nothing removed),
     * 'closable' when everyone left has now answered the open question `openQuestion` (its close is
     * then already on its way: the script appended the `question.closable` event).
     */
    async kick(code: string, playerId: string, openQuestion: number): Promise<'kicked' | 'closable' | 'not-found' | 'ended'> {
      const r = await kickScript.run(
        redis,
        {
          players: keys.players(code),
          reconnecting: keys.reconnecting(code),
          online: keys.online(code),
          scores: keys.scores(code),
          streaks: keys.streaks(code),
          times: keys.times(code),
          kicked: keys.kicked(code),
          answers: keys.answers(code, Math.max(openQuestion, 0)),
          instances: keys.instances(code),
          room: keys.room(code),
          events: keys.events(code),
          ranking: keys.ranking(code),
          onlineCounts: keys.onlineCounts(code),
          closeScan: keys.closeScan(code, Math.max(openQuestion, 0)),
        },
        { playerId, kickedTtlSeconds: ttlSeconds, questionIndex: openQuestion, eventsMaxLength: EVENTS_MAX_LENGTH },
      );
      if (!r.ok) return r.code;
      return r.closable ? 'closable' : 'kicked';
    },

    /**
     * Claims the right to play a finished room again, once: null when claimed now, else what the key
     * holds (the new room's code, or 'pending' while another request makes it).
     */
    async claimPlayAgain(code: string): Promise<string | null> {
      const claimed = await redis.set(keys.playedAgain(code), 'pending', 'EX', ttlSeconds, 'NX');
      return claimed ? null : ((await redis.get(keys.playedAgain(code))) ?? 'pending');
    },

    /** Records the new room of a claimed play-again, or (null) gives the claim back after a failure. */
    async settlePlayAgain(code: string, nextCode: string | null): Promise<void> {
      if (nextCode) await redis.set(keys.playedAgain(code), nextCode, 'EX', ttlSeconds);
      else await redis.del(keys.playedAgain(code));
    },

    async isKicked(code: string, playerId: string): Promise<boolean> {
      return (await redis.sismember(keys.kicked(code), playerId)) === 1;
    },

    /** Locks or unlocks joining. The flag lives beside the record: it is no lifecycle change, and ticks go on. */
    async setLocked(code: string, locked: boolean): Promise<void> {
      if (locked) await redis.set(keys.locked(code), '1', 'EX', ttlSeconds);
      else await redis.del(keys.locked(code));
    },

    async getPlayer(code: string, playerId: string): Promise<StoredPlayer | null> {
      const raw = await redis.hget(keys.players(code), playerId);
      return raw ? (JSON.parse(raw) as StoredPlayer) : null;
    },

    async getPlayers(code: string): Promise<StoredPlayer[]> {
      const all = await redis.hvals(keys.players(code));
      return all.map((raw) => JSON.parse(raw) as StoredPlayer);
    },

    /** Connection counting for early close, under this socket instance's lease; the count on this instance after the change. */
    async presence(code: string, playerId: string, delta: 1 | -1): Promise<number> {
      const r = await countPlayer(code, playerId, delta, false);
      // Refused only for a kicked member, which only connectPlayer asks about.
      if (!r.ok) throw new Error(`presence refused: ${r.code}`);
      return r.connections;
    },

    /**
     * Counts a player's new connection as `presence(…, 1)` does, unless the player is kicked: then nothing is
     * counted. `connections` is the count on this instance, `elsewhere` the player's on the other instances.
     */
    async connectPlayer(code: string, playerId: string): Promise<PlayerConnect> {
      const r = await countPlayer(code, playerId, 1, true);
      return r.ok ? { counted: true, connections: r.connections, elsewhere: r.elsewhere } : { counted: false, kicked: true };
    },

    /** Counts players as online for `graceMs` more, or until they connect again: their socket instance is going away. */
    async expectBack(code: string, playerIds: string[], graceMs: number): Promise<void> {
      if (playerIds.length) await reconnecting.run(redis, { reconnecting: keys.reconnecting(code) }, { graceMs, ttlSeconds, playerIds });
    },

    /**
     * Renews this socket instance's presence lease in each room it holds members of; where the lease had
     * lapsed or was forgotten, or an earlier re-assert failed, sets the room's presence on this instance to
     * what it holds. Those rooms' codes.
     */
    async renewLease(codes: Iterable<string>): Promise<string[]> {
      const { id, leaseMs, forgetAfterMs = FORGET_DEAD_INSTANCES_MS } = ownInstance();
      const reasserted: string[] = [];
      // Sent back to back on one connection, without waiting for each answer.
      await Promise.all(
        [...codes].map(async (code) => {
          const renewed = await lease.run(
            redis,
            { instances: keys.instances(code), online: keys.online(code), hostOnline: keys.hostOnline(code), onlineCounts: keys.onlineCounts(code) },
            { instanceId: id, leaseMs, forgetAfterMs },
          );
          // A room marked by a failed re-assert is re-asserted too: its lease was renewed since, so it shows no lapse.
          if (!ledger.takeUnasserted(code) && !renewed.lapsed) return;
          await reassertMembers(code);
          reasserted.push(code);
        }),
      );
      return reasserted;
    },

    /**
     * Records when question `index` was sent to each player by its opening's fan-out, as ms after it opened; a
     * player's first send is kept, and nothing is recorded once the question moved on or was resumed (sent.lua).
     */
    async recordSent(code: string, index: number, lags: Iterable<[playerId: string, lagMs: number]>): Promise<void> {
      const firstSends = [...lags].map(([id, lag]) => [id, Math.max(0, Math.floor(lag))] as const);
      if (firstSends.length) {
        await sent.run(redis, { sent: keys.sent(code, index), room: keys.room(code) }, { ttlSeconds, questionIndex: index, lags: firstSends });
      }
    },

    /** Players connected now to a live socket instance. */
    async onlinePlayers(code: string): Promise<Set<string>> {
      const [fields, leases] = await Promise.all([redis.hgetall(keys.online(code)), redis.hgetall(keys.instances(code))]);
      const [seconds = '0', micros = '0'] = await redis.time();
      const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
      const live = new Set<string>();
      for (const [field, count] of Object.entries(fields)) {
        const cut = field.lastIndexOf('|');
        if (cut > 0 && Number(count) > 0 && Number(leases[field.slice(cut + 1)] ?? 0) > now) live.add(field.slice(0, cut));
      }
      return live;
    },

    /** The host's connections, counted apart from the players'; only for telling an abandoned game. */
    async hostPresence(code: string, hostId: string, delta: 1 | -1): Promise<number> {
      const r = await countMember(code, 'host', hostId, delta, []);
      // Refused only for a kicked member, which only connectPlayer asks about.
      if (!r.ok) throw new Error(`presence refused: ${r.code}`);
      return r.connections;
    },

    /**
     * What a tick or the reconciler needs, in one round trip, counting live presence only: the counts
     * for the host's screen, for how long (ms) nobody has been connected, and whether every live
     * player has answered the open question (`index`, or -1).
     */
    async presenceState(code: string, index: number): Promise<RoomPresence> {
      const r = await roomPresence.run(redis, presenceKeys(code, index), { questionIndex: index, markerTtlSeconds: ttlSeconds });
      return { playerCount: r.players, answeredCount: index >= 0 ? r.answered : 0, vacantForMs: r.vacantForMs, closable: r.closable };
    },

    /**
     * Draws a countdown tick (see tick.lua.ts): publishes `frame` with the room's counts, unless the
     * room is no longer at `gameId` and `frame.version`. `drawn` false: nothing was published.
     */
    async drawTick(code: string, gameId: string, frame: CountdownDraft): Promise<{ drawn: boolean; vacantForMs: number; closable: boolean }> {
      const index = frame.phase === 'question' ? frame.questionIndex : -1;
      return tick.run(
        redis,
        { room: keys.room(code), ...presenceKeys(code, index) },
        {
          gameId,
          version: frame.version,
          questionIndex: index,
          markerTtlSeconds: ttlSeconds,
          channel: keys.channel(code),
          publish: publishCommand(redis),
          message: JSON.stringify(frame),
        },
      );
    },

    /**
     * Room records, in batches, by a bounded SCAN (see room-census.ts), going on from where the last
     * scan with `resumable` stopped (kept in Redis, so any process's next scan goes on from there).
     */
    async scan(onBatch: (records: (string | null)[]) => Promise<void>, { resumable = false, maxRooms }: { resumable?: boolean; maxRooms?: number } = {}) {
      const saved = resumable ? await redis.get(keys.reconcileCursor) : null;
      const from = saved ? (JSON.parse(saved) as ScanPosition) : undefined;
      const scanned = await scanRoomRecords(redis, keys, onBatch, { from, maxRooms });
      if (resumable) {
        if (scanned.next) await redis.set(keys.reconcileCursor, JSON.stringify(scanned.next), 'EX', ttlSeconds);
        else await redis.del(keys.reconcileCursor);
      }
      return scanned;
    },

    async publish(code: string, message: ChannelMessage): Promise<void> {
      await redis.call(publishCommand(redis), keys.channel(code), JSON.stringify(message));
    },

    /** Publishes a version's view, unless the room has moved on from that version (publish-view.lua.ts); true when published. */
    async publishView(code: string, message: Extract<ChannelMessage, { kind: 'view' }>): Promise<boolean> {
      const result = await publishView.run(
        redis,
        { room: keys.room(code) },
        { version: message.version, channel: keys.channel(code), message, publish: publishCommand(redis) },
      );
      return result.ok;
    },
  };
}
export type RoomStore = ReturnType<typeof createRoomStore>;
