import type { Knex } from 'knex';

/**
 * Categories get an owner: a user's category is theirs alone (its name is unique among their own),
 * a shared one (no owner: the starter bank's, or one an admin made) is everybody's (its name unique
 * among shared ones). Questions point at their category by id, so what is "in" a category no longer
 * depends on a name other users may also have picked.
 *
 * Existing rows: categories with no creator or made by an admin become shared; the rest become their
 * creator's. A question lands in its author's own category of its name, else the shared one; a
 * question another user put into someone's private category gets a category of its author's own, of
 * the same name (so it no longer keeps the owner from deleting theirs).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('categories', (t) => {
    // Deleting an account deletes its categories; its questions stay (author null), no longer in one.
    t.uuid('owner_id').nullable().references('users.id').onDelete('CASCADE');
  });
  await knex.raw(`update categories c set owner_id = c.created_by from users u where u.id = c.created_by and u.role <> 'admin'`);
  await knex.raw('drop index categories_name_ci');
  await knex.raw('create unique index categories_shared_name on categories (lower(name)) where owner_id is null');
  await knex.raw('create unique index categories_owner_name on categories (owner_id, lower(name)) where owner_id is not null');
  await knex.raw('create index categories_owner on categories (owner_id)');

  await knex.schema.alterTable('questions', (t) => {
    // Null only for a question whose category was deleted (a deleted question, or one of a deleted account).
    t.integer('category_id').nullable().references('categories.id').onDelete('SET NULL');
    t.index(['category_id']);
  });

  // An author's question in a name only someone else's private category has: a category of the author's own.
  await knex.raw(`
    insert into categories (name, created_by, owner_id)
    select min(q.category), q.author_id, q.author_id from questions q
    where q.author_id is not null
      and not exists (select 1 from categories c where c.owner_id = q.author_id and lower(c.name) = lower(q.category))
      and not exists (select 1 from categories c where c.owner_id is null and lower(c.name) = lower(q.category))
    group by q.author_id, lower(q.category)`);
  // A question of a deleted account in such a name: a shared category, as the starter bank's are.
  await knex.raw(`
    insert into categories (name)
    select min(q.category) from questions q
    where q.author_id is null
      and not exists (select 1 from categories c where c.owner_id is null and lower(c.name) = lower(q.category))
    group by lower(q.category)`);
  await knex.raw(`
    update questions q set category_id = coalesce(
      (select c.id from categories c where c.owner_id = q.author_id and lower(c.name) = lower(q.category)),
      (select c.id from categories c where c.owner_id is null and lower(c.name) = lower(q.category)))`);
}

/** Back to one category per name: same-named ones are merged into the oldest. */
export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('questions', (t) => t.dropColumn('category_id'));
  await knex.raw('delete from categories c where exists (select 1 from categories o where lower(o.name) = lower(c.name) and o.id < c.id)');
  await knex.raw('drop index categories_owner');
  await knex.raw('drop index categories_owner_name');
  await knex.raw('drop index categories_shared_name');
  await knex.raw('create unique index categories_name_ci on categories (lower(name))');
  await knex.schema.alterTable('categories', (t) => t.dropColumn('owner_id'));
}
