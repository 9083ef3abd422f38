import type { z } from 'zod';
import { GameResults } from '../shared/game-results';
import { RoomSettings, RoomView } from '../shared/room';
import { AnswerSubmit } from '../shared/socket-events';
import { SIGNATURE_TOLERANCE_MS, WebhookBody } from '../shared/webhooks';
import { MyGames } from './history.schemas';
import { Leaderboard, LeaderboardAround, LeaderboardCounts, LeaderboardPlayer } from './leaderboards.schemas';
import { historyAndLeaderboardOperations } from './openapi-operations-leaderboards';
import { AuthAnswer, Categories, ClientConfig, CreatedRoom, Health, Join, Joined, Login, Problem, Ready, Register, WebhookAnswer } from './schemas';

/** What clients send, by component name: the schemas the routes (and the socket) parse with, documented as their input. */
export const requestSchemas = {
  Register,
  Login,
  RoomSettings,
  Join,
  PreparedWebhook: WebhookBody.prepared,
  FailedWebhook: WebhookBody.failed,
  AdvanceWebhook: WebhookBody.advance,
  AnswerSubmit,
};

/** Answers by component name, documented as what the api sends. */
export const responseSchemas = {
  Health, Ready, AuthAnswer, Categories, CreatedRoom, RoomView, Joined, GameResults, ClientConfig, WebhookAnswer, Problem,
  Leaderboard, LeaderboardPlayer, LeaderboardAround, LeaderboardCounts, MyGames,
};

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 503;
export type Tag = 'system' | 'auth' | 'rooms' | 'games' | 'leaderboards' | 'web' | 'internal';

/** Who may call: `host-or-user` is the room's host token or the host's own user token. */
export type Auth = 'user' | 'host-or-user' | 'optional-user' | 'webhook';

export interface OperationSpec {
  method: 'get' | 'post';
  /** OpenAPI form: `{code}` where Express has `:code`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: Tag;
  auth?: Auth;
  body?: keyof typeof requestSchemas;
  /** The query string, as the schema the route parses `req.query` with; each field becomes a parameter. */
  query?: z.ZodObject;
  /** A JSON answer by its schema, or another media type. */
  answer: { status: 200 | 201; description: string } & ({ schema: keyof typeof responseSchemas } | { mediaType: 'text/plain' | 'image/svg+xml' | 'text/csv' });
  /** Each error status the operation can answer, with the codes it carries and why. */
  errors: Partial<Record<ErrorStatus, string>>;
}

const BAD_BODY = '`BAD_REQUEST`: the body is not JSON or breaks the schema; `errors` names every bad field.';
const BAD_CODE = '`BAD_REQUEST`: the path does not hold a room code.';
const NO_ROOM = '`ROOM_NOT_FOUND`: no such room, or it has expired.';
const NO_TOKEN = '`UNAUTHORIZED`: no token, or one that is malformed, expired or signed otherwise.';
const UNSIGNED = `\`UNAUTHORIZED\`: unsigned, badly signed, or signed more than ${SIGNATURE_TOLERANCE_MS / 60_000} minutes from the api clock.`;
const STALE = '`STALE_VERSION`: the room is no longer at `version` (a stale or repeated call; nothing changed), or `INVALID_TRANSITION`.';

const WEBHOOK_BODIES = { prepared: 'PreparedWebhook', failed: 'FailedWebhook', advance: 'AdvanceWebhook' } as const;

function webhook(action: keyof typeof WEBHOOK_BODIES, operationId: string, summary: string, description: string): OperationSpec {
  return {
    method: 'post',
    path: `/internal/rooms/{code}/${action}`,
    operationId,
    summary,
    description: `${description} Worker only; idempotent through \`version\`.`,
    tag: 'internal',
    auth: 'webhook',
    body: WEBHOOK_BODIES[action],
    answer: { status: 200, schema: 'WebhookAnswer', description: 'The room moved on.' },
    errors: { 400: `${BAD_BODY} Or ${BAD_CODE}`, 401: UNSIGNED, 404: NO_ROOM, 409: STALE },
  };
}

/** Every REST operation of the api, in the order the docs page lists them. */
export const operations: OperationSpec[] = [
  {
    method: 'get', path: '/health', operationId: 'getHealth', tag: 'system',
    summary: 'Liveness: the process answers',
    answer: { status: 200, schema: 'Health', description: 'The api is up.' },
    errors: {},
  },
  {
    method: 'get', path: '/ready', operationId: 'getReadiness', tag: 'system',
    summary: 'Readiness: Redis and PostgreSQL answer',
    answer: { status: 200, schema: 'Ready', description: 'Ready for traffic.' },
    errors: { 503: '`NOT_READY`: a dependency does not answer; `checks` says which.' },
  },
  {
    method: 'get', path: '/metrics', operationId: 'getMetrics', tag: 'system',
    summary: 'Prometheus metrics of this api process',
    answer: { status: 200, mediaType: 'text/plain', description: 'The Prometheus text exposition format.' },
    errors: {},
  },
  {
    method: 'post', path: '/auth/register', operationId: 'register', tag: 'auth',
    summary: 'Create an account',
    description: 'Answers a user token, which creates rooms and may join them under the account.',
    body: 'Register',
    answer: { status: 201, schema: 'AuthAnswer', description: 'The account is created.' },
    errors: { 400: BAD_BODY, 409: '`EMAIL_TAKEN`: an account with this email exists.' },
  },
  {
    method: 'post', path: '/auth/login', operationId: 'login', tag: 'auth',
    summary: 'Sign in',
    body: 'Login',
    answer: { status: 200, schema: 'AuthAnswer', description: 'Signed in.' },
    errors: { 400: BAD_BODY, 401: '`INVALID_CREDENTIALS`: wrong email or password.' },
  },
  {
    method: 'get', path: '/categories', operationId: 'listCategories', tag: 'rooms',
    summary: 'Question counts per category and difficulty',
    description: 'What a room can ask for: a room needs `questionCount` questions that fit its category and difficulty.',
    answer: { status: 200, schema: 'Categories', description: 'Every category of the question bank.' },
    errors: {},
  },
  {
    method: 'post', path: '/rooms', operationId: 'createRoom', tag: 'rooms', auth: 'user',
    summary: 'Create a room',
    description:
      'The room starts in `building` while a worker picks its questions, then moves to `lobby` (or to `failed`, ' +
      'with a `failureReason`, when the bank has too few). Every setting is optional. `Location` names the room.',
    body: 'RoomSettings',
    answer: { status: 201, schema: 'CreatedRoom', description: 'The room, its code and a host token.' },
    errors: { 400: BAD_BODY, 401: NO_TOKEN, 403: '`FORBIDDEN`: a host or player token; this needs a user token.' },
  },
  {
    method: 'get', path: '/rooms/{code}', operationId: 'getRoom', tag: 'rooms',
    summary: 'The public view of a room',
    description: 'The same view the socket pushes as `room:view`: never a correct answer before the reveal.',
    answer: { status: 200, schema: 'RoomView', description: 'The room as everyone in it sees it.' },
    errors: { 400: BAD_CODE, 404: NO_ROOM },
  },
  {
    method: 'post', path: '/rooms/{code}/players', operationId: 'joinRoom', tag: 'rooms', auth: 'optional-user',
    summary: 'Join a room as a player',
    description:
      'Anyone may join as a guest; with a user token the player is also tied to the account. ' +
      'Nicknames are 1–20 characters, unique in the room ignoring case.',
    body: 'Join',
    answer: { status: 201, schema: 'Joined', description: 'A player token for the socket.' },
    errors: {
      400: `${BAD_BODY} Or ${BAD_CODE}`,
      401: '`UNAUTHORIZED`: an `Authorization` header with a bad token (send none to join as a guest).',
      404: NO_ROOM,
      409: '`NICKNAME_TAKEN`, or `ROOM_NOT_JOINABLE`: the room has ended.',
    },
  },
  {
    method: 'post', path: '/rooms/{code}/start', operationId: 'startRoom', tag: 'rooms', auth: 'host-or-user',
    summary: 'Start the game',
    description: 'Opens question 0 with an absolute `deadlineAt`; the worker runs the clock from there.',
    answer: { status: 200, schema: 'RoomView', description: 'The room, now in its first question.' },
    errors: {
      400: BAD_CODE,
      401: NO_TOKEN,
      403: '`FORBIDDEN`: not the host of this room, or a player token.',
      404: NO_ROOM,
      409: '`INVALID_TRANSITION`: the room is not in the lobby; or `STALE_VERSION`: it changed meanwhile.',
    },
  },
  {
    method: 'get', path: '/games/{id}/results', operationId: 'getGameResults', tag: 'games',
    summary: 'The saved results of a finished game',
    description: 'Saved by a worker shortly after the room finishes; until then this is a 404.',
    answer: { status: 200, schema: 'GameResults', description: 'The whole game: questions with answers, players, every answer.' },
    errors: { 404: '`NOT_FOUND`: no saved game with this id (yet).' },
  },
  ...historyAndLeaderboardOperations,
  {
    method: 'get', path: '/client-config', operationId: 'getClientConfig', tag: 'web',
    summary: 'Where the web client finds the socket process',
    answer: { status: 200, schema: 'ClientConfig', description: 'The socket address for browsers.' },
    errors: {},
  },
  {
    method: 'get', path: '/rooms/{code}/qr.svg', operationId: 'getRoomQrCode', tag: 'web',
    summary: "A QR code of the room's join link",
    answer: { status: 200, mediaType: 'image/svg+xml', description: 'The QR code as SVG.' },
    errors: { 400: BAD_CODE, 404: NO_ROOM },
  },
  webhook('prepared', 'roomPrepared', 'Questions are picked: the room moves to the lobby', 'Stores the questions and opens the lobby.'),
  webhook('failed', 'roomFailed', 'The room cannot be prepared', 'Moves the room to `failed` with the reason players see.'),
  webhook('advance', 'roomAdvance', 'A deadline has passed: the next phase', 'Question → reveal → next question, or → finished after the last.'),
];
