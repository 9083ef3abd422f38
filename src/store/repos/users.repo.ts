import type { Db } from '../../platform/db';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  role: 'player' | 'admin';
  /** Bumped by a password change; user tokens of another version are refused (auth.middleware.ts). */
  token_version: number;
  created_at: Date;
}

export function createUsersRepo(db: Db) {
  return {
    /** Returns null when the email is taken (unique violation), so the caller can answer 409. */
    async insert(user: { email: string; displayName: string; passwordHash: string }): Promise<UserRow | null> {
      const rows = await db<UserRow>('users')
        .insert({ email: user.email, display_name: user.displayName, password_hash: user.passwordHash })
        .onConflict('email')
        .ignore()
        .returning('*');
      return rows[0] ?? null;
    },
    /** Sets an account's role; false when there is no account with this email. */
    async setRole(email: string, role: UserRow['role']): Promise<boolean> {
      return (await db<UserRow>('users').where({ email: email.trim().toLowerCase() }).update({ role })) > 0;
    },
    /** The account, if it is still there: a token outlives its account (deleted, or the database reset under the same JWT_SECRET). */
    async byId(id: string): Promise<UserRow | null> {
      if (!UUID.test(id)) return null;
      return (await db<UserRow>('users').where({ id }).first()) ?? null;
    },
    /**
     * A new password hash, and the next token version, so every token issued before stops working. Only
     * while the account is still at `tokenVersion`: of two changes at once, the second finds it moved (null).
     */
    async setPassword(id: string, passwordHash: string, tokenVersion: number): Promise<UserRow | null> {
      const [row] = await db<UserRow>('users')
        .where({ id, token_version: tokenVersion })
        .update({ password_hash: passwordHash, token_version: tokenVersion + 1 })
        .returning('*');
      return row ?? null;
    },
    async byEmail(email: string): Promise<UserRow | null> {
      return (await db<UserRow>('users').where({ email }).first()) ?? null;
    },
    /** Display names by user id; ids of deleted accounts are missing from the map. */
    async displayNames(ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await db<UserRow>('users').whereIn('id', ids).select('id', 'display_name');
      return new Map(rows.map((r) => [r.id, r.display_name]));
    },
  };
}
export type UsersRepo = ReturnType<typeof createUsersRepo>;
