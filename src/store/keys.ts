import { ROOM_CODE_LENGTH } from '../game/room-code';

/**
 * Every Redis key and channel quizloop uses is built here; nobody concatenates keys elsewhere.
 * The namespace (default `quizloop`) lets several deployments or test runs share one Redis.
 */
export function createKeys(namespace: string) {
  const room = (code: string) => `${namespace}:room:${code}`;
  const keys = {
    namespace,
    /** The room events stream, read by the workers' consumer group. */
    events: `${namespace}:events`,
    eventsGroup: 'workers',
    /** BullMQ's own prefix; queues live below it. */
    bullPrefix: `${namespace}:bull`,
    socketIoPrefix: `${namespace}:socket.io`,
    room,
    /** SCAN pattern of room records only: a code's six characters, none of the `…:{code}:…` keys below. */
    roomRecordPattern: `${namespace}:room:${'?'.repeat(ROOM_CODE_LENGTH)}`,
    questions: (code: string) => `${room(code)}:questions`,
    /** Hash: question index → its answer key (room-store `AnswerKeyEntry`); read only by the answer and transition scripts. */
    answerKey: (code: string) => `${room(code)}:answer-key`,
    players: (code: string) => `${room(code)}:players`,
    nicknames: (code: string) => `${room(code)}:nicknames`,
    /** Hash: player id → number of open connections. */
    online: (code: string) => `${room(code)}:online`,
    /**
     * Hash: player id → until when (epoch ms, Redis clock) a player whose socket instance shut down is
     * still counted as online: they were told to reconnect, and early close waits for them meanwhile.
     */
    reconnecting: (code: string) => `${room(code)}:reconnecting`,
    answers: (code: string, index: number) => `${room(code)}:answers:${index}`,
    scores: (code: string) => `${room(code)}:scores`,
    streaks: (code: string) => `${room(code)}:streaks`,
    /** Hash: player id → cumulative answer time in ms, the tie-breaker. */
    times: (code: string) => `${room(code)}:times`,
    /** Set of the player ids the host kicked: their tokens no longer work. */
    kicked: (code: string) => `${room(code)}:kicked`,
    /** Hash: host id → number of open host connections (apart from `online`, which counts players for early close). */
    hostOnline: (code: string) => `${room(code)}:host-online`,
    /** Since when (epoch ms) the worker has seen nobody connected to a running game. */
    emptySince: (code: string) => `${room(code)}:empty-since`,
    /** Present while the host has locked the room: nobody new may join. */
    locked: (code: string) => `${room(code)}:locked`,
    /** Sorted set: user id → points, all time. */
    leaderboardGlobal: `${namespace}:leaderboard:global`,
    /** Sorted set: user id → points in one ISO week (`2026-W48`); expires a few weeks after the week. */
    leaderboardWeekly: (week: string) => `${namespace}:leaderboard:weekly:${week}`,
    /** Hash beside each board: user id → games counted on it. Same lifetime as its board. */
    leaderboardGames: (board: string) => `${board}:games`,
    /** Marker: this game's points are on the boards; set by the same script that adds them. */
    leaderboardCounted: (gameId: string) => `${namespace}:leaderboard:counted:${gameId}`,
    /** rate-limiter-flexible's key prefix for one limit (`src/api/rate-limits.ts`); it appends `:<key>`. */
    rateLimit: (name: string) => `${namespace}:rate-limit:${name}`,
    /** Set of the room codes a host created that may still be open: the open-rooms cap counts these. */
    hostRooms: (hostId: string) => `${namespace}:host-rooms:${hostId}`,
    channel: (code: string) => `${namespace}:channel:room:${code}`,
    channelPattern: `${namespace}:channel:room:*`,
    /** All keys of one room, for expiry. */
    allOfRoom(code: string, questionCount: number): string[] {
      const perQuestion = Array.from({ length: questionCount }, (_, i) => keys.answers(code, i));
      return [
        room(code), keys.questions(code), keys.answerKey(code), keys.players(code), keys.nicknames(code),
        keys.online(code), keys.reconnecting(code), keys.scores(code), keys.streaks(code), keys.times(code), keys.kicked(code), keys.locked(code),
        keys.hostOnline(code), keys.emptySince(code), ...perQuestion,
      ];
    },
  };
  return keys;
}
export type Keys = ReturnType<typeof createKeys>;
