import type { Db } from '../../platform/db';

/**
 * Deletes an account and what is its alone, in one transaction; false when it was gone already.
 *
 * - Its private questions (soft-deleted ones too) and its categories go. Finished games keep their own
 *   copy of every question they asked (`games.questions`), so no saved result loses its text.
 * - Its public questions stay, authorless, as the starter bank's are: other hosts' rooms pick them and
 *   saved games' leaderboard verdicts read them. One in a category of its own moves to the shared
 *   category of that name (made when there is none), so it stays listed and pickable by category.
 * - Saved games stay whole: `games.host_id` and `game_players.user_id` become null by their foreign
 *   keys; nicknames, scores and answers stay as played.
 */
export async function removeAccount(db: Db, userId: string): Promise<boolean> {
  return db.transaction(async (trx) => {
    const user = await trx('users').where({ id: userId }).forUpdate().first('id');
    if (!user) return false;
    await trx('questions').where({ author_id: userId, is_public: false }).delete();
    // Whatever else sits in its categories (its public questions; anyone's, should an admin have put one there).
    const homeless = trx('categories').where({ owner_id: userId }).select('id');
    const names = (await trx('questions').whereIn('category_id', homeless).distinct('category')) as { category: string }[];
    for (const { category } of names) {
      await trx.raw('insert into categories (name) values (?) on conflict do nothing', [category]);
      const shared = trx('categories').whereNull('owner_id').whereRaw('lower(name) = lower(?)', [category]).select('id');
      await trx('questions')
        .whereIn('category_id', trx('categories').where({ owner_id: userId }).select('id'))
        .whereRaw('lower(category) = lower(?)', [category])
        .update({ category_id: shared });
    }
    // Its categories go by their foreign key (owner_id, on delete cascade); the rest of its links become null.
    await trx('users').where({ id: userId }).delete();
    return true;
  });
}
