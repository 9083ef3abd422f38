import { type Db, createDb } from '../../src/platform/db';

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

/** Removes the questions and categories a test's author added, so later rooms of other tests never pick them. */
export async function removeAuthored(databaseUrl: string, userId: string): Promise<void> {
  const db = createDb(databaseUrl);
  try {
    await db('questions').where({ author_id: userId }).delete();
    await db('categories').where({ created_by: userId }).delete();
  } finally {
    await db.destroy();
  }
}
