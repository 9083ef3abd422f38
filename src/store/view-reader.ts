import { type PhaseOf, buildPlayerYou, buildRoomView, shownPhase } from '../game/view';
import type { LeaderboardEntry, PlayerYou, Question, RoomView, StandingsPage } from '../shared/room';
import type { RoomState, StoredAnswer, StoredPlayer } from '../game/room-state';
import { TIE_BREAK_CHARGED } from '../game/scoring/ranking';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';
import { onlineCount } from './scripts/presence.lua';

/** The default of VIEW_LEADERBOARD_SIZE: how many of the top players a room's view names. */
export const LEADERBOARD_SIZE = 10;

/** Up to this many players' own states read their ranks by ZRANK each; more read the whole order once. */
export const RANKS_BY_ZRANK = 64;

/** Everything a finished room holds, for the results record. */
export interface RoomSnapshot {
  room: RoomState;
  questions: Question[];
  players: StoredPlayer[];
  /** answers[i] maps player id → their answer to question i. */
  answers: Map<string, StoredAnswer>[];
  standings: { playerId: string; score: number; totalMs: number; rank: number }[];
}

/**
 * Reads views out of Redis. Ranks come from the room's `ranking` sorted set, kept in rank order by
 * the scripts that change scores, so no read ranks players here: a view reads the top of it and a
 * few counts, a player's own state their own rank, whatever the room's size.
 * `now`: Redis's clock read locally (redis-clock.ts), the clock of `deadlineAt`, for `serverNow`.
 */
export function createViewReader({
  redis,
  keys,
  leaderboardSize = LEADERBOARD_SIZE,
  now = Date.now,
}: {
  redis: QuizRedis;
  keys: Keys;
  /** How many of the top players a view names: at least 1 (VIEW_LEADERBOARD_SIZE). */
  leaderboardSize?: number;
  now?: () => number;
}) {
  /** Every player, in rank order (the whole room: for the host's player list and the results). */
  async function standings(code: string) {
    const replies =
      (await redis.multi().zrange(keys.ranking(code), 0, -1).zrange(keys.scores(code), 0, -1, 'WITHSCORES').hgetall(keys.times(code)).exec()) ?? [];
    const order = (replies[0]?.[1] as string[] | undefined) ?? [];
    const flat = (replies[1]?.[1] as string[] | undefined) ?? [];
    const times = (replies[2]?.[1] as Record<string, string> | undefined) ?? {};
    const scores = new Map<string, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) scores.set(flat[i] as string, Number(flat[i + 1]));
    // The tie-break time: what every player was charged, less what this one's correct answers saved (ranking.ts). A game
    // whose reveals all ran before that rule has no charge: its times are each player's own total (transitional, see transition.lua.ts).
    const charged = times[TIE_BREAK_CHARGED];
    const totalMs = (id: string) => (charged === undefined ? Number(times[id] ?? 0) : Number(charged) - Number(times[id] ?? 0));
    return order.map((playerId, i) => ({ playerId, score: scores.get(playerId) ?? 0, totalMs: totalMs(playerId), rank: i + 1 }));
  }

  /** Ranks offset + 1 to offset + limit, with nicknames and scores: two round trips whatever the room's size. */
  async function page(code: string, offset: number, limit: number): Promise<StandingsPage> {
    const replies =
      (await redis
        .multi()
        .zcard(keys.ranking(code))
        .zrange(keys.ranking(code), offset, offset + limit - 1)
        .exec()) ?? [];
    const total = Number(replies[0]?.[1] ?? 0);
    const ids = (replies[1]?.[1] as string[] | undefined) ?? [];
    if (limit <= 0) return { total, offset, limit, entries: [] };
    return { total, offset, limit, entries: await entries(code, offset, ids) };
  }

  /** The leaderboard entries of the players `ids`, ranked offset + 1 on: their nicknames and scores in one round trip. */
  async function entries(code: string, offset: number, ids: string[]): Promise<LeaderboardEntry[]> {
    if (ids.length === 0) return [];
    const named =
      (await redis
        .multi()
        .hmget(keys.players(code), ...ids)
        .zmscore(keys.scores(code), ...ids)
        .exec()) ?? [];
    const players = (named[0]?.[1] as (string | null)[] | undefined) ?? [];
    const scores = (named[1]?.[1] as (string | null)[] | undefined) ?? [];
    return ids.map((_, i) => {
      const raw = players[i];
      return { rank: offset + i + 1, nickname: raw ? (JSON.parse(raw) as StoredPlayer).nickname : '?', score: Number(scores[i] ?? 0) };
    });
  }

  return {
    standings,
    page,

    /** The shared view: counts, the top of the standings, and the reveal's answer counts once revealed. `questions`: or a read of them under way. */
    async view(room: RoomState, questions: Question[] | Promise<Question[]>, serverNow = now()): Promise<RoomView> {
      const code = room.code;
      const index = room.questionIndex;
      const phase = shownPhase(room);
      const inQuestion = index >= 0 && (phase === 'question' || phase === 'reveal');
      // The counts and the top of the ranking in one MULTI; the top's names and scores in a second.
      const tx = redis
        .multi()
        .hlen(keys.players(code))
        .exists(keys.locked(code))
        .zrange(keys.ranking(code), 0, leaderboardSize - 1);
      if (inQuestion && phase === 'reveal') tx.hvals(keys.answers(code, index));
      else if (inQuestion) tx.hlen(keys.answers(code, index));
      // The questions may still be on their way (a writer's read sent just before): they share this round trip.
      const [replies, online, shown] = await Promise.all([
        tx.exec(),
        onlineCount.run(redis, { online: keys.online(code), instances: keys.instances(code), onlineCounts: keys.onlineCounts(code) }, {}),
        questions,
      ]);
      const top = await entries(code, 0, (replies?.[2]?.[1] as string[] | undefined) ?? []);
      const answers = phase === 'reveal' && inQuestion ? ((replies?.[3]?.[1] as string[] | undefined) ?? []).map((a) => JSON.parse(a) as StoredAnswer) : [];
      const answeredCount = !inQuestion ? 0 : phase === 'reveal' ? answers.length : Number(replies?.[3]?.[1] ?? 0);
      return buildRoomView(
        {
          room,
          question: inQuestion ? (shown[index] ?? null) : null,
          playerCount: Number(replies?.[0]?.[1] ?? 0),
          onlineCount: online.ok ? online.online : 0,
          answeredCount,
          leaderboard: top,
          answers,
          locked: replies?.[1]?.[1] === 1,
        },
        serverNow,
      );
    },

    /**
     * Own state of each given player at the room's version `at.version`: rank, score, streak and the
     * answer to the current question, in one MULTI of a few commands (all from before or all from
     * after a reveal's settling, never a mix). Ranks are a ZRANK each for a few players, one ZRANGE of
     * the order for many. Null when the room is no longer at that version: its own states are the
     * next version's, and would show a reveal's scores with the question.
     */
    async you(code: string, at: PhaseOf & { version: number }, players: { id: string; nickname: string }[]): Promise<Map<string, PlayerYou> | null> {
      const out = new Map<string, PlayerYou>();
      const ids = players.map((p) => p.id);
      const byRange = ids.length > RANKS_BY_ZRANK;
      const tx = redis.multi().get(keys.room(code)).zcard(keys.ranking(code));
      if (ids.length)
        tx.zmscore(keys.scores(code), ...ids)
          .hmget(keys.streaks(code), ...ids)
          .hmget(keys.answers(code, Math.max(at.questionIndex, 0)), ...ids);
      if (byRange) tx.zrange(keys.ranking(code), 0, -1);
      else for (const id of ids) tx.zrank(keys.ranking(code), id);
      const replies = (await tx.exec()) ?? [];
      const record = replies[0]?.[1] as string | null | undefined;
      if (!record || (JSON.parse(record) as { version: number }).version !== at.version) return null;
      const total = Number(replies[1]?.[1] ?? 0);
      const [scores, streaks, answers] = [2, 3, 4].map((k) => (replies[k]?.[1] as (string | null)[] | undefined) ?? []);
      const order = byRange ? new Map(((replies[5]?.[1] as string[] | undefined) ?? []).map((id, i) => [id, i])) : null;
      players.forEach((p, i) => {
        const rank = order ? order.get(p.id) : (replies[5 + i]?.[1] as number | null | undefined);
        const rawAnswer = answers?.[i];
        out.set(
          p.id,
          buildPlayerYou(at, p, {
            score: Number(scores?.[i] ?? 0),
            rank: typeof rank === 'number' ? rank + 1 : total + 1,
            streak: Number(streaks?.[i] ?? 0),
            answer: at.questionIndex >= 0 && typeof rawAnswer === 'string' ? (JSON.parse(rawAnswer) as StoredAnswer) : null,
          }),
        );
      });
      return out;
    },

    async snapshot(room: RoomState, questions: Question[]): Promise<RoomSnapshot> {
      const code = room.code;
      const [rawPlayers, ranked] = await Promise.all([redis.hvals(keys.players(code)), standings(code)]);
      const players = rawPlayers.map((raw) => JSON.parse(raw) as StoredPlayer);
      const present = new Set(players.map((p) => p.id));
      // A game ended early keeps only the questions it showed; a kicked player's answers leave with them.
      const played = questions.slice(0, Math.max(room.questionIndex + 1, 0));
      const answers = await Promise.all(
        played.map(async (_, i) => {
          const all = await redis.hgetall(keys.answers(code, i));
          return new Map(
            Object.entries(all)
              .filter(([id]) => present.has(id))
              .map(([id, raw]) => [id, JSON.parse(raw) as StoredAnswer]),
          );
        }),
      );
      return {
        room,
        questions: played,
        players,
        answers,
        standings: ranked.filter((r) => present.has(r.playerId)),
      };
    },
  };
}
export type ViewReader = ReturnType<typeof createViewReader>;
