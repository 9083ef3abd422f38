/**
 * What a TypeScript client of quizloop imports (`quizloop/client`): the typed Socket.IO event maps and
 * every payload and ack, as `io<ServerToClientEvents, ClientToServerEvents>(url, { auth: { token } })`
 * expects them. The shapes are inferred from the zod schemas the server validates and builds with;
 * /asyncapi.json describes the same contract for other languages.
 */
export type {
  AnswerAck,
  AnswerSubmit,
  ClientToServerEvents,
  Countdown,
  RoomClosed,
  ServerRestarting,
  ServerToClientEvents,
  SyncAck,
} from './shared/socket-events';
export type { LeaderboardEntry, PlayerYou, PublicQuestion, RoomPhase, RoomView, StandingsPage } from './shared/room';
export { ErrorCode, type ErrorBody } from './shared/error-codes';
/**
 * A refused handshake's `connect_error` data (`retryAfter` with RATE_LIMITED), and what to do after one:
 * Socket.IO's client does not retry a handshake the server refused, so a client waits `retryAfter` and connects again.
 */
export { type ConnectRefusal, afterConnectError } from './shared/connect-refusal';
/** The body of a REST host control that moves the room (start, pause, resume, skip, end): the `version` of the view it was meant for. */
export type { HostControl } from './shared/host-control';
