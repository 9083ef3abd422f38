import { ROOM_CODE_LENGTH } from '../game/room-code';

/** FNV-1a: a stable, well-spread hash of a room code, the same in every process. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Every Redis key and channel quizloop uses is built here; nobody concatenates keys elsewhere.
 * The namespace (default `quizloop`) lets several deployments or test runs share one Redis.
 *
 * Redis Cluster: every key of a room carries its partition's hash tag (`{p3}`), and so does that
 * partition's event stream and the room's channel, so each Lua script (which also appends the
 * room's event and publishes to its channel) stays in one slot. Rooms spread over `partitions` slots.
 */
export function createKeys(namespace: string, partitions = 1) {
  const partitionOf = (code: string) => fnv1a(code) % partitions;
  const tag = (partition: number) => `{p${partition}}`;
  const room = (code: string) => `${namespace}:room:${tag(partitionOf(code))}:${code}`;
  const eventStream = (partition: number) => `${namespace}:events:${tag(partition)}`;
  /** Leaderboards and their markers are written together by one script: one hash tag for all of them. */
  const board = `${namespace}:leaderboard:{lb}`;
  const keys = {
    namespace,
    partitions,
    /** The room events stream a room's events go to; one stream per partition. */
    events: (code: string) => eventStream(partitionOf(code)),
    /** Every partition's events stream; every worker reads all of them with one consumer group each. */
    eventStreams: Array.from({ length: partitions }, (_, i) => eventStream(i)),
    eventsGroup: 'workers',
    /** BullMQ's prefix of one queue: its own hash tag, so each queue's keys share a slot and queues spread over the cluster. */
    bullPrefix: (queue: string) => `${namespace}:bull:{${queue}}`,
    socketIoPrefix: `${namespace}:socket.io`,
    room,
    /** SCAN pattern of room records only: a code's six characters, none of the `…:{code}:…` keys below. */
    roomRecordPattern: `${namespace}:room:{p*}:${'?'.repeat(ROOM_CODE_LENGTH)}`,
    questions: (code: string) => `${room(code)}:questions`,
    /** Hash: question index → its answer key (room-store `AnswerKeyEntry`); read only by the answer and transition scripts. */
    answerKey: (code: string) => `${room(code)}:answer-key`,
    players: (code: string) => `${room(code)}:players`,
    nicknames: (code: string) => `${room(code)}:nicknames`,
    /**
     * Hash: `{player id}|{socket instance id}` → that instance's open connections of the player.
     * Counted only while the instance's lease in `instances` runs (see presence.lua.ts).
     */
    online: (code: string) => `${room(code)}:online`,
    /**
     * Hash beside `online`, kept by the presence script: socket instance id → players connected on it,
     * `{a}|{b}` → players connected on both, so live players are counted without reading `online`
     * (online-counts.lua.ts). Same expiry as `online`.
     */
    onlineCounts: (code: string) => `${room(code)}:online-counts`,
    /** Hash: socket instance id → until when (epoch ms, Redis clock) its presence counts; it renews it while alive. */
    instances: (code: string) => `${room(code)}:instances`,
    /**
     * Hash: player id → until when (epoch ms, Redis clock) a player whose socket instance shut down is
     * still counted as online: they were told to reconnect, and early close waits for them meanwhile.
     */
    reconnecting: (code: string) => `${room(code)}:reconnecting`,
    answers: (code: string, index: number) => `${room(code)}:answers:${index}`,
    /** Hash: player id → ms after the question opened that it was first sent to them (fair timing). */
    sent: (code: string, index: number) => `${room(code)}:sent:${index}`,
    /** Hash: where the answer script's early-close scan of presence stopped, and the player it found waiting (early-close.lua). */
    closeScan: (code: string, index: number) => `${room(code)}:close-scan:${index}`,
    scores: (code: string) => `${room(code)}:scores`,
    /**
     * Sorted set: player id → rankKey(score, tie-break ms), less the charge every player shares (src/game/scoring/ranking.ts).
     * Ascending order is the standings: ZRANK is a player's rank, ZRANGE a page of them.
     */
    ranking: (code: string) => `${room(code)}:ranking`,
    streaks: (code: string) => `${room(code)}:streaks`,
    /**
     * Hash: `*` → ms every player was charged for the tie-break (each revealed question's time, polls aside), and player
     * id → ms that player's correct answers saved of it (TIE_BREAK_CHARGED in src/game/scoring/ranking.ts, transition.lua.ts).
     */
    times: (code: string) => `${room(code)}:times`,
    /** Set of the player ids the host kicked: their tokens no longer work. */
    kicked: (code: string) => `${room(code)}:kicked`,
    /** Hash: `{host id}|{instance id}` → open host connections (apart from `online`, which counts players for early close). */
    hostOnline: (code: string) => `${room(code)}:host-online`,
    /** Since when (epoch ms) the worker has seen nobody connected to a running game. */
    emptySince: (code: string) => `${room(code)}:empty-since`,
    /** The code of the room this finished room was played again as ('pending' while it is being made). */
    playedAgain: (code: string) => `${room(code)}:played-again`,
    /** Present while the host has locked the room: nobody new may join. */
    locked: (code: string) => `${room(code)}:locked`,
    /** Sorted set: user id → points, all time. */
    leaderboardGlobal: `${board}:global`,
    /** Sorted set: user id → points in one ISO week (`2026-W48`); expires a few weeks after the week. */
    leaderboardWeekly: (week: string) => `${board}:weekly:${week}`,
    /** Hash beside each board: user id → games counted on it. Same lifetime as its board. */
    leaderboardGames: (board: string) => `${board}:games`,
    /** Marker: this game's points are on the boards; set by the same script that adds them. */
    leaderboardCounted: (gameId: string) => `${board}:counted:${gameId}`,
    /** The reconciler's last report (see reconcile-report.ts). */
    reconcileReport: `${namespace}:reconcile:last`,
    /** Where the reconciler's bounded SCAN of room records stopped, for the next pass to go on from. */
    reconcileCursor: `${namespace}:reconcile:cursor`,
    /** Where the reconciler's bounded HSCAN of the results backlog stopped, for the next pass to go on from. */
    resultsBacklogCursor: `${namespace}:reconcile:results-cursor`,
    /** Hash: game id → its results snapshot (JSON), kept until PostgreSQL has them; no expiry. */
    resultsPending: `${namespace}:{results}:pending`,
    /** Hash beside it: game id → room code, so the backlog is listed without reading the snapshots. */
    resultsPendingRooms: `${namespace}:{results}:pending-rooms`,
    /** A room's channel, in its room's slot: a sharded channel (SPUBLISH) on a cluster. */
    channel: (code: string) => `${namespace}:channel:room:${tag(partitionOf(code))}:${code}`,
    /** rate-limiter-flexible's key prefix for one limit (`src/api/rate-limits.ts`); it appends `:<key>`. */
    rateLimit: (name: string) => `${namespace}:rate-limit:${name}`,
    /** Set of the room codes a host created that may still be open: the open-rooms cap counts these. */
    hostRooms: (hostId: string) => `${namespace}:host-rooms:${hostId}`,
    /** The lock of a host's room creation (room-store.ts, `asOnlyCreation`). */
    roomCreation: (hostId: string) => `${namespace}:room-creation:${hostId}`,
    /** The token version a host token of this account must carry at least, once a password change raised it. */
    hostTokenVersion: (hostId: string) => `${namespace}:host-token-version:${hostId}`,
    /** All keys of one room, for expiry. */
    allOfRoom(code: string, questionCount: number): string[] {
      const perQuestion = Array.from({ length: questionCount }, (_, i) => [keys.answers(code, i), keys.sent(code, i), keys.closeScan(code, i)]).flat();
      return [
        room(code),
        keys.questions(code),
        keys.answerKey(code),
        keys.players(code),
        keys.nicknames(code),
        keys.online(code),
        keys.onlineCounts(code),
        keys.reconnecting(code),
        keys.scores(code),
        keys.ranking(code),
        keys.streaks(code),
        keys.times(code),
        keys.kicked(code),
        keys.locked(code),
        keys.playedAgain(code),
        keys.hostOnline(code),
        keys.instances(code),
        keys.emptySince(code),
        ...perQuestion,
      ];
    },
  };
  return keys;
}
export type Keys = ReturnType<typeof createKeys>;
