import type { ExtendedError } from 'socket.io';
import { ErrorCode, type ErrorBody } from '../shared/error-codes';
import { verificationKey, verifyToken } from '../shared/tokens';
import type { QuizSocket, RelayDeps } from './types';
import { releaseHandshake } from './upgrade-request';

function refuse(code: ErrorBody['code'], message: string): ExtendedError {
  const err = new Error(message) as ExtendedError;
  err.data = { code, message } satisfies ErrorBody;
  return err;
}

/** Admits a socket only with a host or player token for a room that exists and knows it. */
export function authMiddleware({ config, reads }: RelayDeps) {
  const key = verificationKey(config.jwtSecret);
  return async (socket: QuizSocket, next: (err?: ExtendedError) => void) => {
    try {
      const token: unknown = socket.handshake.auth?.token;
      if (typeof token !== 'string' || token === '') {
        return next(refuse(ErrorCode.Unauthorized, 'Connect with { auth: { token } }, the token from joining or creating a room.'));
      }
      const claims = verifyToken(key, token);
      if (!claims) return next(refuse(ErrorCode.Unauthorized, 'The token is invalid or has expired.'));
      if (claims.kind === 'user') {
        return next(refuse(ErrorCode.Forbidden, 'An account token cannot join a game; use the token from joining or creating a room.'));
      }
      // Read together: one round trip, and less held in memory while thousands of players connect at once.
      const [room, stored] = await Promise.all([reads.get(claims.room), claims.kind === 'player' ? reads.getPlayer(claims.room, claims.sub) : null]);
      if (!room) return next(refuse(ErrorCode.RoomNotFound, `Room ${claims.room} does not exist or has expired.`));
      if (claims.kind === 'host') {
        if (room.hostId !== claims.sub) return next(refuse(ErrorCode.Forbidden, 'This token is not for the host of this room.'));
      } else if (!stored) {
        // The kick script removes a player and marks them kicked at once: only a player not found can be a kicked one.
        if (await reads.isKicked(claims.room, claims.sub)) return next(refuse(ErrorCode.Kicked, 'The host removed this player from the room.'));
        return next(refuse(ErrorCode.NotAPlayer, 'This token is not for a player of this room.'));
      }
      socket.data = { kind: claims.kind, roomCode: claims.room, id: claims.sub, name: claims.name };
      // Read once: not kept for as long as the connection lives.
      releaseHandshake(socket.handshake);
      next();
    } catch (err) {
      next(refuse(ErrorCode.Internal, `Could not check the token: ${(err as Error).message}`));
    }
  };
}
