import { buildPlayerYou, buildRoomView, shownPhase } from '../game/view';
import { rankPlayers } from '../game/scoring/ranking';
import type { LeaderboardEntry, PlayerYou, Question, RoomView } from '../shared/room';
import type { RoomState, StoredAnswer, StoredPlayer } from '../game/room-state';
import type { Keys } from './keys';
import type { QuizRedis } from './redis';

const LEADERBOARD_SIZE = 5;

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
 * Reads views out of Redis. A view costs a fixed number of round trips per room update;
 * `you` costs one pipelined round trip for all the players one socket instance holds.
 * `now`: Redis's clock read locally (redis-clock.ts), the clock of `deadlineAt`, for `serverNow`.
 */
export function createViewReader({ redis, keys, now = Date.now }: { redis: QuizRedis; keys: Keys; now?: () => number }) {
  async function standings(code: string) {
    const [scores, times] = await Promise.all([redis.zrange(keys.scores(code), 0, -1, 'WITHSCORES'), redis.hgetall(keys.times(code))]);
    return rankRows(scores, times);
  }

  function rankRows(scores: string[], times: Record<string, string>) {
    const rows: { playerId: string; score: number; totalMs: number }[] = [];
    for (let i = 0; i + 1 < scores.length; i += 2) {
      const playerId = scores[i] as string;
      rows.push({ playerId, score: Number(scores[i + 1]), totalMs: Number(times[playerId] ?? 0) });
    }
    return rankPlayers(rows);
  }

  return {
    standings,

    async view(room: RoomState, questions: Question[], serverNow = now()): Promise<RoomView> {
      const code = room.code;
      const index = room.questionIndex;
      const phase = shownPhase(room);
      const inQuestion = index >= 0 && (phase === 'question' || phase === 'reveal');
      const finished = room.phase === 'finished';
      const [playerCount, answered, ranked, locked] = await Promise.all([
        redis.hlen(keys.players(code)),
        inQuestion ? redis.hvals(keys.answers(code, index)) : Promise.resolve([] as string[]),
        standings(code),
        redis.exists(keys.locked(code)),
      ]);
      const named = finished ? ranked : ranked.slice(0, LEADERBOARD_SIZE);
      const names = named.length ? await redis.hmget(keys.players(code), ...named.map((r) => r.playerId)) : [];
      const entries: LeaderboardEntry[] = named.map((r, i) => ({
        rank: r.rank,
        nickname: names[i] ? (JSON.parse(names[i]) as StoredPlayer).nickname : '?',
        score: r.score,
      }));
      return buildRoomView(
        {
          room,
          question: inQuestion ? (questions[index] ?? null) : null,
          playerCount,
          answeredCount: answered.length,
          leaderboard: entries.slice(0, LEADERBOARD_SIZE),
          answers: phase === 'reveal' ? answered.map((a) => JSON.parse(a) as StoredAnswer) : [],
          locked: locked === 1,
          standings: finished ? entries : null,
        },
        serverNow,
      );
    },

    /** One player's answer to question `index`, if they gave one. */
    async ownAnswer(code: string, index: number, playerId: string): Promise<StoredAnswer | null> {
      const raw = await redis.hget(keys.answers(code, index), playerId);
      return raw ? (JSON.parse(raw) as StoredAnswer) : null;
    },

    /** Own state of each given player, with rank by the same tie-break as the leaderboard. */
    async you(room: RoomState, players: { id: string; nickname: string }[]): Promise<Map<string, PlayerYou>> {
      const out = new Map<string, PlayerYou>();
      if (players.length === 0) return out;
      const code = room.code;
      // One MULTI: scores, times and streaks all from before or all from after a reveal's settling, never a mix.
      const tx = redis.multi().zrange(keys.scores(code), 0, -1, 'WITHSCORES').hgetall(keys.times(code));
      for (const p of players) {
        tx.hget(keys.streaks(code), p.id);
        tx.hget(keys.answers(code, Math.max(room.questionIndex, 0)), p.id);
      }
      const replies = (await tx.exec()) ?? [];
      const ranked = rankRows((replies[0]?.[1] as string[]) ?? [], (replies[1]?.[1] as Record<string, string>) ?? {});
      const byId = new Map(ranked.map((r) => [r.playerId, r]));
      players.forEach((p, i) => {
        const streak = Number(replies[2 + 2 * i]?.[1] ?? 0);
        const rawAnswer = replies[3 + 2 * i]?.[1] as string | null | undefined;
        const r = byId.get(p.id);
        out.set(
          p.id,
          buildPlayerYou(room, p, {
            score: r?.score ?? 0,
            rank: r?.rank ?? ranked.length + 1,
            streak,
            answer: room.questionIndex >= 0 && rawAnswer ? (JSON.parse(rawAnswer) as StoredAnswer) : null,
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
        standings: ranked,
      };
    },
  };
}
export type ViewReader = ReturnType<typeof createViewReader>;
