import type { RoomEvent } from '../shared/events';
import type { ChannelMessage } from '../shared/events';
import { type Question, RoomState, type StoredPlayer } from '../shared/room';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';

const STREAM_MAX_LENGTH = 100_000;

export type ApplyResult = 'ok' | 'stale' | 'not-found';
export type JoinResult = 'ok' | 'not-found' | 'closed' | 'nickname-taken';

export interface RoomStoreDeps {
  redis: QuizRedis;
  keys: Keys;
  ttlSeconds: number;
}

/** Reads and writes room records, questions and players. Lifecycle writes go through one CAS script. */
export function createRoomStore({ redis, keys, ttlSeconds }: RoomStoreDeps) {
  async function write(expectedVersion: number, room: RoomState, event: RoomEvent): Promise<ApplyResult> {
    const message: ChannelMessage = { kind: 'state', version: room.version };
    const code = room.code;
    // Moving into a reveal settles the question's answers into the standings (see transition.lua).
    const settles = room.phase === 'reveal';
    const settleKeys = [keys.answers(code, Math.max(room.questionIndex, 0)), keys.players(code), keys.scores(code), keys.streaks(code), keys.times(code)];
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

    /** Applies a transition computed from the record at `expectedVersion`; a concurrent change wins. */
    apply(expectedVersion: number, room: RoomState, event: RoomEvent): Promise<ApplyResult> {
      return write(expectedVersion, room, event);
    },

    /** Stores the picked questions; their answers go to a separate hash that only scripts and reveals read. */
    async saveQuestions(code: string, questions: Question[]): Promise<void> {
      const answerKey: Record<string, string> = {};
      questions.forEach((q, i) => (answerKey[String(i)] = JSON.stringify({ c: q.answer, n: q.choices.length })));
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
        4, keys.room(code), keys.players(code), keys.nicknames(code), keys.scores(code),
        player.id, folded, JSON.stringify(player), ttlSeconds,
      );
      return r === 1 ? 'ok' : r === -1 ? 'not-found' : r === -2 ? 'closed' : 'nickname-taken';
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

    async publish(code: string, message: ChannelMessage): Promise<void> {
      await redis.publish(keys.channel(code), JSON.stringify(message));
    },
  };
}
export type RoomStore = ReturnType<typeof createRoomStore>;
