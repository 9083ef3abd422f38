import { withBreakdown } from '../../game/scoring/results-breakdown';
import type { ResultsTiming } from '../../game/scoring/timing-rule';
import type { GameResults } from '../../shared/game-results';
import type { Knex } from 'knex';
import type { Db } from '../../platform/db';
import type { RoomSnapshot } from '../view-reader';

export type { GameResults };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ids among these that have an account, locked FOR KEY SHARE so none is deleted before `trx` commits. */
async function accountsAmong(trx: Knex.Transaction, ids: readonly (string | null)[]): Promise<Set<string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null && UUID.test(id)))];
  if (wanted.length === 0) return new Set();
  const rows: { id: string }[] = await trx('users').whereIn('id', wanted).forKeyShare().select('id');
  return new Set(rows.map((r) => r.id));
}

export function createGamesRepo(db: Db) {
  return {
    /** Which of these games PostgreSQL holds the results of. */
    async savedOf(gameIds: string[]): Promise<Set<string>> {
      if (gameIds.length === 0) return new Set();
      const rows: { id: string }[] = await db('games').whereIn('id', gameIds).select('id');
      return new Set(rows.map((r) => r.id));
    },

    /** Each saved player's account (null: a guest, or an account deleted before the save), by player id. */
    async playerAccounts(gameId: string): Promise<Map<string, string | null>> {
      const rows: { player_id: string; user_id: string | null }[] = await db('game_players').where({ game_id: gameId }).select('player_id', 'user_id');
      return new Map(rows.map((r) => [r.player_id, r.user_id]));
    },

    /**
     * Writes a finished game in one transaction. Idempotent: a second run for the same game
     * (a retried or duplicated job) finds the row and writes nothing. Returns whether it wrote.
     */
    async saveResults(s: RoomSnapshot): Promise<boolean> {
      const { room } = s;
      return db.transaction(async (trx) => {
        // An account deleted since the room was made (or a database reset under a live token) would fail
        // the foreign keys on every retry: its reference is saved as NULL and the game kept.
        const accounts = await accountsAmong(trx, [room.hostId, ...s.players.map((p) => p.userId)]);
        const account = (id: string | null) => (id !== null && accounts.has(id) ? id : null);
        const inserted = await trx('games')
          .insert({
            id: room.gameId,
            room_code: room.code,
            host_id: account(room.hostId),
            settings: JSON.stringify(room.settings),
            questions: JSON.stringify(s.questions),
            started_at: room.startedAt ? new Date(room.startedAt) : null,
            finished_at: new Date(room.finishedAt ?? Date.now()),
          })
          .onConflict('id')
          .ignore()
          .returning('id');
        if (inserted.length === 0) return false;

        const byId = new Map(s.standings.map((r) => [r.playerId, r]));
        const perAddress = new Map<string, number>();
        for (const p of s.players) if (p.address) perAddress.set(p.address, (perAddress.get(p.address) ?? 0) + 1);
        const players = s.players.map((p) => {
          const st = byId.get(p.id);
          return {
            game_id: room.gameId,
            player_id: p.id,
            nickname: p.nickname,
            user_id: account(p.userId),
            score: st?.score ?? 0,
            rank: st?.rank ?? s.players.length,
            correct_count: s.answers.filter((m) => m.get(p.id)?.correct).length,
            total_answer_ms: st?.totalMs ?? 0,
            same_address_players: p.address ? (perAddress.get(p.address) ?? 1) : null,
          };
        });
        if (players.length) await trx.batchInsert('game_players', players, 500);

        const answers = s.answers.flatMap((byPlayer, i) =>
          [...byPlayer].map(([playerId, a]) => ({
            game_id: room.gameId,
            player_id: playerId,
            question_index: i,
            question_id: s.questions[i]?.id ?? null,
            choice: a.choice,
            text: a.text ?? null,
            correct: a.correct,
            points: a.points,
            elapsed_ms: a.elapsedMs,
            server_ms: a.serverMs ?? null,
            reported_ms: a.reportedMs ?? null,
            rtt_ms: a.rttMs ?? null,
            answered_at: new Date(a.at),
          })),
        );
        if (answers.length) await trx.batchInsert('game_answers', answers, 1000);
        return true;
      });
    },

    /** Who hosted a saved game; null when there is none with this id. */
    async owner(gameId: string): Promise<{ id: string; hostId: string | null } | null> {
      if (!UUID.test(gameId)) return null;
      const row = (await db('games').where({ id: gameId }).first('id', 'host_id')) as { id: string; host_id: string | null } | undefined;
      return row ? { id: row.id, hostId: row.host_id } : null;
    },

    /** The host's choice of who reads the results, kept in the game's settings next to the rest. */
    async setResultsPublic(gameId: string, resultsPublic: boolean): Promise<void> {
      await db('games')
        .where({ id: gameId })
        .update({ settings: db.raw(`jsonb_set(settings::jsonb, '{resultsPublic}', ?::jsonb)`, [JSON.stringify(resultsPublic)]) });
    },

    /** The game as saved, with its breakdown and cheat signals by `timing` (the reading api's settings). */
    async results(gameId: string, timing: ResultsTiming): Promise<GameResults | null> {
      if (!UUID.test(gameId)) return null;
      const game = await db('games').where({ id: gameId }).first();
      if (!game) return null;
      const [players, answers] = await Promise.all([
        db('game_players').where({ game_id: gameId }).orderBy('rank'),
        db('game_answers').where({ game_id: gameId }).orderBy(['question_index', 'answered_at']),
      ]);
      const stored = game.questions as (Omit<GameResults['questions'][number], 'index' | 'breakdown'> & { answer?: number })[];
      // Games saved before question types kept one `answer`; read them as one correct choice.
      const questions = stored.map(({ answer, ...q }, index) => ({ index, ...q, correct: q.correct ?? [answer ?? 0], accepted: q.accepted ?? [] }));
      return withBreakdown(
        {
          game: {
            id: game.id,
            roomCode: game.room_code,
            hostId: game.host_id,
            settings: game.settings,
            startedAt: game.started_at?.toISOString() ?? null,
            finishedAt: game.finished_at.toISOString(),
          },
          questions,
          players: players.map((p) => ({
            playerId: p.player_id,
            nickname: p.nickname,
            userId: p.user_id,
            score: p.score,
            rank: p.rank,
            correctCount: p.correct_count,
            totalAnswerMs: p.total_answer_ms,
            sameAddressPlayers: p.same_address_players,
          })),
          answers: answers.map((a) => ({
            playerId: a.player_id,
            questionIndex: a.question_index,
            choice: a.choice,
            text: a.text,
            correct: a.correct,
            points: a.points,
            elapsedMs: a.elapsed_ms,
            serverMs: a.server_ms,
            reportedMs: a.reported_ms,
            rttMs: a.rtt_ms,
            answeredAt: a.answered_at.toISOString(),
          })),
        },
        timing,
      );
    },
  };
}
export type GamesRepo = ReturnType<typeof createGamesRepo>;
