import type { z } from 'zod';
import { ErrorCode } from '../../shared/error-codes';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket-events';

type JsonSchema = z.core.JSONSchema.BaseSchema;

interface SocketEventDoc {
  summary: string;
  /** A schema where one exists, else the shape in brief. */
  payload?: JsonSchema | string;
  ack?: string;
}

const ANSWER_REFUSALS = [
  ErrorCode.AlreadyAnswered, ErrorCode.TooLate, ErrorCode.WrongQuestion, ErrorCode.NotAcceptingAnswers, ErrorCode.InvalidChoice,
  ErrorCode.WrongAnswerType, ErrorCode.BadRequest,
];

/**
 * The Socket.IO contract in brief, for the `x-socket-io` extension: OpenAPI has no words for it.
 * Keyed by the typed event maps, so an event added there and not here does not compile.
 */
export function socketContract(ref: (component: string) => JsonSchema) {
  const serverToClient = {
    'room:view': { summary: 'The public room view: at once on connect, then on every change.', payload: ref('RoomView') },
    'room:you': {
      summary: "This player's own state, after every change.",
      payload: '{playerId, nickname, score, rank, streak, answer: {questionIndex, choice, text?, correct?, points?} | null}; choice null and text set for a type-answer question; correct and points only after the reveal',
    },
    'room:countdown': { summary: 'Every 2 s in a timed phase.', payload: '{remainingMs, deadlineAt, serverNow, questionIndex, phase, answeredCount, playerCount}; the answered count moves once per tick' },
    'room:closed': { summary: 'The connection ends for good.', payload: '{reason: "finished" | "failed" | "cancelled" | "replaced" | "kicked", gameId}' },
    'server:restarting': { summary: 'This socket instance is shutting down; the client reconnects by itself.', payload: '{reconnect: true}' },
  } satisfies Record<keyof ServerToClientEvents, SocketEventDoc>;

  const clientToServer = {
    'answer:submit': {
      summary:
        'Answer the open question; the first answer counts, timed by the server from when it sent this player the question to when the answer arrived ' +
        '(receivedAt), less a capped latency allowance; an optional reactionMs is used only within it (README, "Timing").',
      payload: ref('AnswerSubmit'),
      ack: `{ok: true, questionIndex, choice | text, receivedAt} | {ok: false, error: {code, message}}, code one of ${ANSWER_REFUSALS.join(', ')}`,
    },
    'room:sync': { summary: 'Ask for the current state again.', ack: '{ok: true, view, you}' },
  } satisfies Record<keyof ClientToServerEvents, SocketEventDoc>;

  return {
    server: 'This api itself (same origin, path /socket.io) unless SOCKETS_ON_API=false; separate socket processes (SOCKET_PORT, 3001 by default) serve the same contract.',
    handshake:
      'io(url, { auth: { token } }) with a player token (POST /rooms/{code}/players) or a host token (POST /rooms). ' +
      'A refused handshake gets connect_error, its data {code, message}. A second connection with the same token replaces the first.',
    serverToClient,
    clientToServer,
  };
}
export type SocketContract = ReturnType<typeof socketContract>;
