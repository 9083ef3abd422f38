import { ErrorCode } from '../../shared/error-codes';
import { removeAccount } from '../../store/repos/account-removal';
import type { UserRow } from '../../store/repos/users.repo';
import { AppError } from '../app-error';
import type { ApiDeps } from '../deps';
import type { RoomsService } from '../rooms/rooms.service';
import { hashPassword, passwordMatches } from './credentials';

/** The signed-in user's own account: change its password, delete it. */
export function createAccountService(
  deps: Pick<ApiDeps, 'db' | 'users' | 'rooms' | 'leaderboards' | 'rateLimits' | 'log'>,
  roomsService: Pick<RoomsService, 'remove'>,
) {
  const { users, rateLimits, log } = deps;

  /**
   * A wrong password counts against the account's sign-in attempts (RATE_LIMIT_LOGIN_ACCOUNT), as a failed
   * sign-in does, so a token in someone else's hands cannot be used to guess it; the point is taken before
   * the slow compare, and a right password clears the count.
   */
  async function provePassword(user: UserRow, password: string): Promise<void> {
    await rateLimits.consume('loginPerAccount', user.email);
    if (!(await passwordMatches(password, user))) {
      throw new AppError(ErrorCode.WrongPassword, 403, "That is not this account's password; nothing was changed.");
    }
    await rateLimits.reset('loginPerAccount', user.email);
  }

  /** Ends every room the account hosts that has not ended, telling its players why; none may be left without a host. */
  async function endRoomsOf(userId: string): Promise<void> {
    for (const code of await deps.rooms.openRoomsOf(userId)) {
      try {
        await roomsService.remove(code, 'account');
      } catch (err) {
        // Gone or ended meanwhile; otherwise the idle rule ends it (ROOM_IDLE_SECONDS) as any room left alone.
        log.warn('a room of a deleted account was not ended', { room: code, err });
      }
    }
  }

  return {
    /**
     * The new password, and the account at its next token version: every token issued before is refused from now on,
     * user tokens by PostgreSQL's version, host tokens by its copy in Redis, raised once PostgreSQL has the change (a
     * failed change leaves every token as it was). Should Redis fail just then, the password has changed all the
     * same and the host tokens issued before it keep their rooms until they expire: logged as an error.
     */
    async changePassword(user: UserRow, currentPassword: string, newPassword: string): Promise<UserRow> {
      await provePassword(user, currentPassword);
      const changed = await users.setPassword(user.id, await hashPassword(newPassword), user.token_version);
      if (!changed) throw AppError.unauthorized('The account changed or was deleted while this was done (another request); sign in again.');
      log.info('password changed', { user: user.id });
      try {
        await deps.rooms.raiseHostTokenVersion(user.id, changed.token_version);
      } catch (err) {
        log.error('the password changed, but the host tokens issued before it were not revoked: Redis did not take the new version', {
          user: user.id,
          err,
        });
      }
      return changed;
    },

    /**
     * Deletes the account in one transaction (what goes and what stays: account-removal.ts), then ends its
     * open rooms and takes it off the leaderboards. Those live in Redis: should Redis fail there, the account
     * is deleted all the same, its rooms end by the idle rule and a board shows its entry without a name.
     */
    async deleteAccount(user: UserRow, password: string): Promise<void> {
      await provePassword(user, password);
      if (!(await removeAccount(deps.db, user.id))) throw AppError.unauthorized('The account was deleted already; nothing more to do.');
      log.info('account deleted', { user: user.id });
      await endRoomsOf(user.id);
      await deps.leaderboards
        .forget(user.id, Date.now())
        .catch((err: unknown) => log.warn('a deleted account was not taken off the leaderboards', { user: user.id, err }));
    },
  };
}
export type AccountService = ReturnType<typeof createAccountService>;
