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
export type { LeaderboardEntry, PlayerYou, PublicQuestion, RoomPhase, RoomView } from './shared/room';
export { ErrorCode, type ErrorBody } from './shared/error-codes';

/** The body of a REST host control that moves the room (start, pause, resume, skip, end). */
export interface HostControl {
  /** The room `version` of the view the control was meant for; a room that moved on refuses it (409 STALE_VERSION). */
  version: number;
}
