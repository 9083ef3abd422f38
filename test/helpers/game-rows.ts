import type { Db } from '../../src/platform/db';

/** A game's rows in PostgreSQL, read with `db`: give it a direct connection, not one through a proxy or the api. */
export async function gameRows(db: Db, gameId: string) {
  const [games, players, answers] = await Promise.all([
    db('games').where({ id: gameId }),
    db('game_players').where({ game_id: gameId }),
    db('game_answers').where({ game_id: gameId }),
  ]);
  return { games, players, answers };
}
export type GameRows = Awaited<ReturnType<typeof gameRows>>;
