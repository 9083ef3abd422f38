import type { ExtendedError } from 'socket.io';
import type { HandshakeRefusal } from '../platform/metrics';
import type { ConnectRefusal } from '../shared/connect-refusal';
import { ErrorCode } from '../shared/error-codes';
import { retryAfterSeconds } from '../shared/retry-after';
import { isRevokedHostToken, revokedHostTokenMessage, verificationKey, verifyToken } from '../shared/tokens';
import type { QuizSocket, RelayDeps } from './types';
import { releaseHandshake } from './upgrade-request';

/** A handshake turned down: counted by reason, and the client's `connect_error` carries `data`. */
export function refusal(metrics: RelayDeps['metrics'], reason: HandshakeRefusal, data: ConnectRefusal): ExtendedError {
  metrics.handshakesRefused.inc({ reason });
  const err = new Error(data.message) as ExtendedError;
  err.data = data;
  return err;
}

/**
 * Admits a socket only with a host or player token for a room that exists and knows it. The token is checked
 * first (no Redis), then the identity spends one connect of its budget (SOCKET_CONNECTS_PER_PLAYER) before
 * any room read, so a client reconnecting in a loop is refused before it costs more than that.
 */
export function authMiddleware({ config, reads, connects, metrics }: RelayDeps) {
  const key = verificationKey(config.jwtSecret);
  const refuse = (reason: HandshakeRefusal, code: ConnectRefusal['code'], message: string) => refusal(metrics, reason, { code, message });
  return async (socket: QuizSocket, next: (err?: ExtendedError) => void) => {
    try {
      const token: unknown = socket.handshake.auth?.token;
      if (typeof token !== 'string' || token === '') {
        return next(refuse('bad_token', ErrorCode.Unauthorized, 'Connect with { auth: { token } }, the token from joining or creating a room.'));
      }
      const claims = verifyToken(key, token);
      if (!claims) return next(refuse('bad_token', ErrorCode.Unauthorized, 'The token is invalid or has expired.'));
      if (claims.kind === 'user') {
        return next(refuse('bad_token', ErrorCode.Forbidden, 'An account token cannot join a game; use the token from joining or creating a room.'));
      }
      const waitMs = await connects.spend(`${claims.room}:${claims.kind}:${claims.sub}`);
      if (waitMs > 0) {
        const retryAfter = retryAfterSeconds(waitMs);
        return next(refusal(metrics, 'rate_limited', { code: ErrorCode.RateLimited, message: connects.describe(retryAfter), retryAfter }));
      }
      // Read together: one round trip, and less held in memory while thousands of players connect at once.
      const [room, player, hostTokenVersion] = await Promise.all([
        reads.get(claims.room),
        claims.kind === 'player' ? reads.getPlayer(claims.room, claims.sub) : null,
        claims.kind === 'host' ? reads.hostTokenVersion(claims.sub) : 0,
      ]);
      if (!room) return next(refuse('room_gone', ErrorCode.RoomNotFound, `Room ${claims.room} does not exist or has expired.`));
      if (claims.kind === 'host') {
        if (room.hostId !== claims.sub) return next(refuse('bad_token', ErrorCode.Forbidden, 'This token is not for the host of this room.'));
        if (isRevokedHostToken(claims, hostTokenVersion)) return next(refuse('bad_token', ErrorCode.Unauthorized, revokedHostTokenMessage(claims.room)));
      } else if (!player) {
        // The kick script removes a player and marks them kicked at once: only a player not found can be a kicked one.
        if (await reads.isKicked(claims.room, claims.sub)) return next(refuse('kicked', ErrorCode.Kicked, 'The host removed this player from the room.'));
        return next(refuse('bad_token', ErrorCode.NotAPlayer, 'This token is not for a player of this room.'));
      }
      socket.data = { kind: claims.kind, roomCode: claims.room, id: claims.sub, name: claims.name };
      // Read once: not kept for as long as the connection lives.
      releaseHandshake(socket.handshake);
      next();
    } catch (err) {
      next(refuse('error', ErrorCode.Internal, `Could not check the token: ${(err as Error).message}`));
    }
  };
}
