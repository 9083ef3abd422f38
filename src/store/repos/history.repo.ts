import type { Db } from '../../platform/db';

export interface HistoryGame {
  gameId: string;
  roomCode: string;
  startedAt: string | null;
  finishedAt: string;
  category: string | null;
  difficulty: string | null;
  questionCount: number;
  playerCount: number;
  /** The user hosted this game. */
  hosted: boolean;
  /** The user's place in it, when they played; their best, when they joined under two nicknames. */
  played: { playerId: string; nickname: string; score: number; rank: number; correctCount: number } | null;
}

/** Where a page ends: the last game's finish time and id, newest first. */
export interface HistoryCursor {
  finishedAt: string;
  gameId: string;
}

/** The games a user hosted or played, from PostgreSQL. */
export function createHistoryRepo(db: Db) {
  return {
    /** Newest first (finish time, then game id, both descending); `limit + 1` rows are read to know whether more follow. */
    async gamesOf(userId: string, limit: number, after: HistoryCursor | null): Promise<{ games: HistoryGame[]; next: HistoryCursor | null }> {
      const query = db('games as g')
        .select('g.id', 'g.room_code', 'g.started_at', 'g.finished_at', 'g.host_id', 'g.settings', db.raw('jsonb_array_length(g.questions) as question_count'))
        .where((w) =>
          w.where('g.host_id', userId).orWhereExists(db('game_players as gp').select(db.raw('1')).whereRaw('gp.game_id = g.id').andWhere('gp.user_id', userId)),
        )
        .orderBy([
          { column: 'g.finished_at', order: 'desc' },
          { column: 'g.id', order: 'desc' },
        ])
        .limit(limit + 1);
      if (after) query.whereRaw('(g.finished_at, g.id) < (?::timestamptz, ?::uuid)', [after.finishedAt, after.gameId]);
      const rows = await query;
      const page = rows.slice(0, limit);
      const ids = page.map((g) => g.id as string);
      const [mine, counts] = ids.length
        ? await Promise.all([
            db('game_players').whereIn('game_id', ids).andWhere('user_id', userId).orderBy('rank'),
            db('game_players').whereIn('game_id', ids).groupBy('game_id').select('game_id').count({ n: '*' }) as Promise<{ game_id: string; n: string }[]>,
          ])
        : [[], []];
      const best = new Map<string, (typeof mine)[number]>();
      for (const p of mine) if (!best.has(p.game_id)) best.set(p.game_id, p);
      const playerCounts = new Map(counts.map((c) => [c.game_id, Number(c.n)]));
      const games = page.map((g): HistoryGame => {
        const p = best.get(g.id);
        return {
          gameId: g.id,
          roomCode: g.room_code,
          startedAt: g.started_at?.toISOString() ?? null,
          finishedAt: g.finished_at.toISOString(),
          category: g.settings?.category ?? null,
          difficulty: g.settings?.difficulty ?? null,
          questionCount: Number(g.question_count),
          playerCount: playerCounts.get(g.id) ?? 0,
          hosted: g.host_id === userId,
          played: p ? { playerId: p.player_id, nickname: p.nickname, score: p.score, rank: p.rank, correctCount: p.correct_count } : null,
        };
      });
      const last = games.at(-1);
      return { games, next: rows.length > limit && last ? { finishedAt: last.finishedAt, gameId: last.gameId } : null };
    },
  };
}
export type HistoryRepo = ReturnType<typeof createHistoryRepo>;
