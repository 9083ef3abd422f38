import bcrypt from 'bcryptjs';
import { signToken } from '../../shared/tokens';
import type { UserRow } from '../../store/repos/users.repo';
import type { AuthAnswer } from '../schemas';

const BCRYPT_COST = 10;
/** Compared when there is no account, so the answer time does not reveal which emails exist. */
const NO_HASH = '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva';

export const hashPassword = (password: string): Promise<string> => bcrypt.hash(password, BCRYPT_COST);

export const passwordMatches = (password: string, user: Pick<UserRow, 'password_hash'> | null): Promise<boolean> =>
  bcrypt.compare(password, user?.password_hash ?? NO_HASH);

/**
 * A user token of the account at its current token version, and the account as clients see it. The role is
 * the account's own, which only an operator changes (`grant-admin`): no role ever follows from an email
 * address, which nobody proved to own. A token keeps the role it was signed with until it expires.
 */
export function signedIn(secret: string, u: UserRow): AuthAnswer {
  return { token: signToken(secret, { kind: 'user', sub: u.id, name: u.display_name, role: u.role, ver: u.token_version }), user: publicUser(u) };
}

/** The account as clients see it: never its password hash. */
export const publicUser = (u: UserRow): AuthAnswer['user'] => ({ id: u.id, email: u.email, displayName: u.display_name, role: u.role });
