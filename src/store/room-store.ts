import type { RoomEvent } from '../shared/events';
import type { ChannelMessage } from '../shared/events';
import { normalizeAnswerText } from '../shared/answer-text';
import type { Question } from '../shared/room';
import { RoomState, type StoredPlayer } from '../game/room-state';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';

const STREAM_MAX_LENGTH = 100_000;

export type ApplyResult = 'ok' | 'stale' | 'not-found';
export type JoinResult = 'ok' | 'not-found' | 'closed' | 'nickname-taken' | 'locked';

export interface RoomStoreDeps {
  redis: QuizRedis;
  keys: Keys;
  ttlSeconds: number;
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
export function createRoomStore({ redis, keys, ttlSeconds }: RoomStoreDeps) {
  async function write(expectedVersion: number, room: RoomState, event: RoomEvent, settles = false): Promise<ApplyResult> {
    const message: ChannelMessage = { kind: 'state', version: room.version };
    const code = room.code;
    const settleKeys = [
      keys.answers(code, Math.max(room.questionIndex, 0)), keys.players(code), keys.scores(code), keys.streaks(code), keys.times(code), keys.answerKey(code),
    ];
    const others = keys.allOfRoom(code, room.settings.questionCount).slice(1).filter((k) => !settleKeys.includes(k));
    const result = await redis.qlTransition(
      2 + settleKeys.length + others.length,
      keys.room(code), keys.events, ...settleKeys, ...others,
      expectedVersion, JSON.stringify(room), event.type, JSON.stringify(event),
      keys.channel(code), JSON.stringify(message), ttlSeconds, STREAM_MAX_LENGTH, settles ? 1 : 0,
    );
    return result === 1 ? 'ok' : result === -2 ? 'stale' : 'not-found';
  }

  return {
    /** Creates the room and emits `room.created`; false when the code is taken. */
    async create(room: RoomState, event: RoomEvent): Promise<boolean> {
      return (await write(-1, room, event)) === 'ok';
    },

    async get(code: string): Promise<RoomState | null> {
      const raw = await redis.get(keys.room(code));
      return raw ? RoomState.parse(JSON.parse(raw)) : null;
    },

    /**
     * Applies a transition computed from the record at `expectedVersion`; a concurrent change wins.
     * `settles`: the change closes the open question, whose answers go into the standings with it.
     */
    apply(expectedVersion: number, room: RoomState, event: RoomEvent, settles = room.phase === 'reveal'): Promise<ApplyResult> {
      return write(expectedVersion, room, event, settles);
    },

    /** Stores the picked questions; their answers go to a separate hash that only scripts and reveals read. */
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

    async join(code: string, player: StoredPlayer): Promise<JoinResult> {
      const folded = player.nickname.toLocaleLowerCase('en');
      const r = await redis.qlJoin(
        5, keys.room(code), keys.players(code), keys.nicknames(code), keys.scores(code), keys.locked(code),
        player.id, folded, JSON.stringify(player), ttlSeconds,
      );
      return r === 1 ? 'ok' : r === -1 ? 'not-found' : r === -2 ? 'closed' : r === -4 ? 'locked' : 'nickname-taken';
    },

    /** Removes a player for good (see kick.lua); false when no such player is in the room. */
    /**
     * Removes a player for good (see kick.lua): 'not-found' when no such player is in the room,
     * 'closable' when everyone left has now answered the open question.
     */
    async kick(code: string, playerId: string, openQuestion: number): Promise<'kicked' | 'closable' | 'not-found'> {
      const r = await redis.qlKick(
        8, keys.players(code), keys.reconnecting(code), keys.online(code), keys.scores(code), keys.streaks(code), keys.times(code),
        keys.kicked(code), keys.answers(code, Math.max(openQuestion, 0)),
        playerId, ttlSeconds,
      );
      return r === 2 ? 'closable' : r === 1 ? 'kicked' : 'not-found';
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

    /** Connection counting for early close; returns the player's open connections after the change. */
    presence(code: string, playerId: string, delta: 1 | -1): Promise<number> {
      return redis.qlPresence(2, keys.online(code), keys.reconnecting(code), playerId, delta);
    },

    /** Counts players as online for `graceMs` more, or until they connect again: their socket instance is going away. */
    async expectBack(code: string, playerIds: string[], graceMs: number): Promise<void> {
      if (playerIds.length) await redis.qlReconnecting(1, keys.reconnecting(code), graceMs, ttlSeconds, ...playerIds);
    },

    async onlinePlayers(code: string): Promise<Set<string>> {
      return new Set(await redis.hkeys(keys.online(code)));
    },

    /** The host's connections, counted apart from the players'; only for telling an abandoned game. */
    hostPresence(code: string, hostId: string, delta: 1 | -1): Promise<number> {
      return redis.qlPresence(1, keys.hostOnline(code), hostId, delta);
    },

    /**
     * What a tick needs, in one round trip: the counts for the host's screen, and for how long (ms)
     * nobody, host or player, has been connected (0 while someone is), as seen tick by tick.
     * Only ticks write `emptySince`, and a room's ticks run one after another.
     */
    async tickState(code: string, index: number, now: number): Promise<{ playerCount: number; answeredCount: number; vacantForMs: number }> {
      const replies =
        (await redis
          .pipeline()
          .hlen(keys.players(code))
          .hlen(keys.answers(code, Math.max(index, 0)))
          .hlen(keys.online(code))
          .hlen(keys.hostOnline(code))
          .get(keys.emptySince(code))
          .exec()) ?? [];
      const [players = 0, answered = 0, online = 0, hosts = 0] = replies.slice(0, 4).map((r) => Number(r?.[1] ?? 0));
      const emptySince = (replies[4]?.[1] as string | null | undefined) ?? null;
      let vacantForMs = 0;
      if (online + hosts > 0) {
        if (emptySince !== null) await redis.del(keys.emptySince(code));
      } else if (emptySince === null) {
        await redis.set(keys.emptySince(code), String(now), 'EX', ttlSeconds);
      } else {
        vacantForMs = now - Number(emptySince);
      }
      return { playerCount: players, answeredCount: index >= 0 ? answered : 0, vacantForMs };
    },

    async publish(code: string, message: ChannelMessage): Promise<void> {
      await redis.publish(keys.channel(code), JSON.stringify(message));
    },
  };
}
export type RoomStore = ReturnType<typeof createRoomStore>;
