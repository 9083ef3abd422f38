import type { z } from 'zod';
import { GameResults } from '../../shared/game-results';
import { RoomSettings, RoomView } from '../../shared/room';
import { AnswerSubmit } from '../../shared/socket-events';
import { SIGNATURE_TOLERANCE_MS, WebhookBody } from '../../shared/webhooks';
import {
  BankQuestion, CategoriesQuery, Category, CategoryInput, ImportQuery, ImportReport, OpenTdbImport, QuestionInput, QuestionPage, QuestionQuery,
} from '../questions/questions.schemas';
import { MyGames } from '../history/history.schemas';
import { Leaderboard, LeaderboardAround, LeaderboardCounts, LeaderboardPlayer } from '../leaderboards/leaderboards.schemas';
import { AuthAnswer, Categories, ClientConfig, CreatedRoom, Health, HostControl, Join, Joined, Login, Problem, Ready, Register, RoomPlayers, WebhookAnswer } from '../schemas';

/** What clients send, by component name: the schemas the routes (and the socket) parse with, documented as their input. */
export const requestSchemas = {
  Register,
  Login,
  RoomSettings,
  Join,
  HostControl,
  PreparedWebhook: WebhookBody.prepared,
  FailedWebhook: WebhookBody.failed,
  AdvanceWebhook: WebhookBody.advance,
  EndWebhook: WebhookBody.end,
  AnswerSubmit,
  QuestionInput,
  CategoryInput,
  OpenTdbImport,
};

/** Answers by component name, documented as what the api sends. */
export const responseSchemas = {
  Health, Ready, AuthAnswer, Categories, CreatedRoom, RoomView, Joined, GameResults, ClientConfig, WebhookAnswer, Problem,
  BankQuestion, QuestionPage, ImportReport, Category,
  Leaderboard, LeaderboardPlayer, LeaderboardAround, LeaderboardCounts, MyGames, RoomPlayers,
};

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 415 | 503;
export type Tag = 'system' | 'auth' | 'rooms' | 'games' | 'questions' | 'leaderboards' | 'web' | 'internal';

/** Who may call: `host` is the host token of the room in the path. */
export type Auth = 'user' | 'host' | 'optional-user' | 'webhook';

export interface OperationSpec {
  method: 'get' | 'post' | 'put' | 'delete';
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
  /** The body may also be text/csv, described so. */
  csvBody?: string;
  /** A JSON answer by its schema, another media type, or (204) nothing. */
  answer:
    | ({ status: 200 | 201; description: string } & ({ schema: keyof typeof responseSchemas } | { mediaType: 'text/plain' | 'image/svg+xml' | 'text/csv' }))
    | { status: 204; description: string };
  /** Each error status the operation can answer, with the codes it carries and why. */
  errors: Partial<Record<ErrorStatus, string>>;
}

const BAD_BODY = '`BAD_REQUEST`: the body is not JSON or breaks the schema; `errors` names every bad field.';
const BAD_CODE = '`BAD_REQUEST`: the path does not hold a room code.';
const NO_ROOM = '`ROOM_NOT_FOUND`: no such room, or it has expired.';
const NO_TOKEN = '`UNAUTHORIZED`: no token, or one that is malformed, expired or signed otherwise.';
const UNSIGNED = `\`UNAUTHORIZED\`: unsigned, badly signed, or signed more than ${SIGNATURE_TOLERANCE_MS / 60_000} minutes from the api clock.`;
const STALE = '`STALE_VERSION`: the room is no longer at `version` (a stale or repeated call; nothing changed), or `INVALID_TRANSITION`.';

const USER_ONLY = '`FORBIDDEN`: a host or player token; this needs a user token.';
const NOT_YOURS = '`FORBIDDEN`: a host or player token, or the question is another author\'s (only they or an admin may change it).';
const BAD_ID = '`BAD_REQUEST`: the id is not a whole number from 1.';
const NO_QUESTION = '`NOT_FOUND`: no such question, it was deleted, or it is another author\'s private question.';
const BAD_QUESTION = `${'`BAD_REQUEST`'}: the body breaks the schema or the rules of its type; \`errors\` names each problem. Or the id is not a whole number from 1.`;
const DUPLICATE = '`DUPLICATE_QUESTION`: you already have a question with this type, text and choices (ignoring case, accents and spaces).';
const CATEGORY_OWNER = '`FORBIDDEN`: a host or player token, or not the creator of the category nor an admin.';

const WEBHOOK_BODIES = { prepared: 'PreparedWebhook', failed: 'FailedWebhook', advance: 'AdvanceWebhook', end: 'EndWebhook' } as const;

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

const HOST_ONLY = '`FORBIDDEN`: not the host token of this room (a user token, a player token, or another room\'s host token).';

function hostControl(action: string, operationId: string, summary: string, description: string, refusedWhen: string, versioned = false): OperationSpec {
  return {
    method: 'post', path: `/rooms/{code}/${action}`, operationId, tag: 'rooms', auth: 'host',
    summary,
    description,
    body: versioned ? 'HostControl' : undefined,
    answer: { status: 200, schema: 'RoomView', description: 'The room after the change.' },
    errors: {
      400: BAD_CODE,
      401: NO_TOKEN,
      403: HOST_ONLY,
      404: NO_ROOM,
      409: `\`INVALID_TRANSITION\`: ${refusedWhen}; or \`STALE_VERSION\`: it changed meanwhile.`,
    },
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
    method: 'get', path: '/categories', operationId: 'listCategories', tag: 'questions', auth: 'optional-user',
    summary: 'Categories, with question counts per difficulty',
    description:
      'What a room can ask for: a room needs `questionCount` questions that fit its category and difficulty. The counts are of ' +
      'public questions, plus, with a user token, your own private ones (which rooms you host may ask too).',
    query: CategoriesQuery,
    answer: { status: 200, schema: 'Categories', description: 'A page of the categories of the question bank, empty ones too, by name.' },
    errors: { 400: '`BAD_REQUEST`: `limit` or `offset` out of bounds.', 401: '`UNAUTHORIZED`: an `Authorization` header with a bad token (send none for public counts).' },
  },
  {
    method: 'post', path: '/categories', operationId: 'createCategory', tag: 'questions', auth: 'user',
    summary: 'Create a category',
    body: 'CategoryInput',
    answer: { status: 201, schema: 'Category', description: 'The category.' },
    errors: { 400: BAD_BODY, 401: NO_TOKEN, 403: USER_ONLY, 409: '`CATEGORY_EXISTS`: a category has this name, ignoring case; `TOO_MANY_CATEGORIES`: you created USER_MAX_CATEGORIES already.' },
  },
  {
    method: 'put', path: '/categories/{categoryId}', operationId: 'renameCategory', tag: 'questions', auth: 'user',
    summary: 'Rename a category',
    description: 'Its questions move with it. For its creator or an admin.',
    body: 'CategoryInput',
    answer: { status: 200, schema: 'Category', description: 'The renamed category.' },
    errors: { 400: `${BAD_BODY} Or ${BAD_ID}`, 401: NO_TOKEN, 403: CATEGORY_OWNER, 404: '`NOT_FOUND`: no such category.', 409: '`CATEGORY_EXISTS`: another category has this name.' },
  },
  {
    method: 'delete', path: '/categories/{categoryId}', operationId: 'deleteCategory', tag: 'questions', auth: 'user',
    summary: 'Delete an empty category',
    description: 'For its creator or an admin, once no (undeleted) question is in it.',
    answer: { status: 204, description: 'Deleted.' },
    errors: { 400: BAD_ID, 401: NO_TOKEN, 403: CATEGORY_OWNER, 404: '`NOT_FOUND`: no such category.', 409: '`CATEGORY_IN_USE`: questions are still in it.' },
  },
  {
    method: 'get', path: '/questions', operationId: 'listQuestions', tag: 'questions', auth: 'user',
    summary: 'List and filter the question bank, a page at a time',
    description: 'Public questions and your own (an admin sees all), by id. Answers (`correct`, `accepted`) only on questions you may edit.',
    query: QuestionQuery,
    answer: { status: 200, schema: 'QuestionPage', description: 'One page, and how many match in all.' },
    errors: { 400: '`BAD_REQUEST`: a query parameter breaks its schema.', 401: NO_TOKEN, 403: USER_ONLY },
  },
  {
    method: 'post', path: '/questions', operationId: 'createQuestion', tag: 'questions', auth: 'user',
    summary: 'Add a question to the bank',
    description: 'You are its author. Private by default: then only rooms you host ask it. `Location` names the question.',
    body: 'QuestionInput',
    answer: { status: 201, schema: 'BankQuestion', description: 'The question.' },
    errors: { 400: BAD_QUESTION, 401: NO_TOKEN, 403: USER_ONLY, 409: DUPLICATE },
  },
  {
    method: 'post', path: '/questions/import', operationId: 'importQuestions', tag: 'questions', auth: 'user',
    summary: 'Import questions from Open Trivia DB JSON or CSV',
    description:
      'All or nothing: every row is checked, then all are saved in one transaction. One bad row (invalid, the same question as ' +
      'another row, or as one of yours) saves none, and the 400 `IMPORT_REJECTED` lists every bad row and field in `errors`. ' +
      'At most IMPORT_MAX_ROWS rows (500); a CSV body up to 1 MB, JSON up to JSON_BODY_LIMIT_KB (64 kB).',
    query: ImportQuery,
    body: 'OpenTdbImport',
    csvBody: 'With format=csv: a header row, then one question a row. Columns: category, difficulty, type, text (required), choice1…choice6, correct (choice numbers from 1 joined by |, or true/false for boolean), accepted (type-answer: answers joined by |), public (true/false).',
    answer: { status: 200, schema: 'ImportReport', description: 'Every row, imported.' },
    errors: {
      400: '`IMPORT_REJECTED`: a bad row; `errors` lists each bad `row` and `field`, nothing was saved. `BAD_REQUEST`: not the format named, a CSV without the required header, more than IMPORT_MAX_ROWS rows, or an OpenTDB `response_code` other than 0.',
      401: NO_TOKEN, 403: USER_ONLY, 415: '`BAD_REQUEST` or `UNSUPPORTED_MEDIA_TYPE`: the Content-Type does not fit `format`.',
    },
  },
  {
    method: 'get', path: '/questions/{questionId}', operationId: 'getQuestion', tag: 'questions', auth: 'user',
    summary: 'One question of the bank',
    answer: { status: 200, schema: 'BankQuestion', description: 'The question; its answers if you may edit it.' },
    errors: { 400: BAD_ID, 401: NO_TOKEN, 403: USER_ONLY, 404: NO_QUESTION },
  },
  {
    method: 'put', path: '/questions/{questionId}', operationId: 'updateQuestion', tag: 'questions', auth: 'user',
    summary: 'Replace a question',
    description: 'For its author or an admin. Games already played keep the question as it was asked.',
    body: 'QuestionInput',
    answer: { status: 200, schema: 'BankQuestion', description: 'The question as it is now.' },
    errors: { 400: BAD_QUESTION, 401: NO_TOKEN, 403: NOT_YOURS, 404: NO_QUESTION, 409: DUPLICATE },
  },
  {
    method: 'delete', path: '/questions/{questionId}', operationId: 'deleteQuestion', tag: 'questions', auth: 'user',
    summary: 'Delete a question',
    description:
      'For its author or an admin. Rooms stop asking it and the bank stops listing it; finished games keep their ' +
      'copy of it and their answers, and `game_answers.question_id` still names its (soft-deleted) row.',
    answer: { status: 204, description: 'Deleted.' },
    errors: { 400: BAD_ID, 401: NO_TOKEN, 403: NOT_YOURS, 404: NO_QUESTION },
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
      'Nicknames are 1–20 characters after trimming, unique in the room ignoring case, without control characters or markup, and not on the word list (NICKNAME_BLOCKLIST).',
    body: 'Join',
    answer: { status: 201, schema: 'Joined', description: 'A player token for the socket.' },
    errors: {
      400: `${BAD_BODY} Or ${BAD_CODE} Or \`NICKNAME_REJECTED\`: the nickname holds a word on the list.`,
      401: '`UNAUTHORIZED`: an `Authorization` header with a bad token (send none to join as a guest).',
      404: NO_ROOM,
      409: '`NICKNAME_TAKEN`; `ROOM_LOCKED`: the host has locked the room; or `ROOM_NOT_JOINABLE`: the room has ended.',
    },
  },
  hostControl('start', 'startRoom', 'Start the game', 'Opens question 0 with an absolute `deadlineAt`; the worker runs the clock from there.', 'the room is not in the lobby'),
  hostControl(
    'pause', 'pauseRoom', 'Pause the question or reveal in hand',
    'The phase becomes `paused`, keeping the time it had left (`paused.remainingMs`). No tick fires and no answer is taken while paused; the pause does not count against anyone\'s answer speed.',
    'the room is not in a question or a reveal',
    true,
  ),
  hostControl('resume', 'resumeRoom', 'Resume a paused game', 'The paused phase goes on with the time it had left, from now.', 'the room is not paused', true),
  hostControl(
    'skip', 'skipRoom', 'Skip ahead',
    'In a question: close it now and show the reveal (answers given so far count). In a reveal: go on to the next question, or finish after the last.',
    'the room is not in a question or a reveal (resume a paused room first)',
    true,
  ),
  hostControl(
    'end', 'endRoom', 'End the game early',
    'A room in the lobby is cancelled. A running game finishes now: answers given to the open question count, and the results are saved as for any finished game.',
    'the room has already ended',
  ),
  hostControl('lock', 'lockRoom', 'Lock joining', 'Nobody new can join (`ROOM_LOCKED`); players already in may reconnect. The game goes on.', 'the room has ended'),
  hostControl('unlock', 'unlockRoom', 'Unlock joining', 'Players may join again, also while the game runs (late join).', 'the room has ended'),
  {
    method: 'get', path: '/rooms/{code}/players', operationId: 'listRoomPlayers', tag: 'rooms', auth: 'host',
    summary: "The room's players, for the host",
    description: 'Everyone in the room by rank, with the `playerId` a kick needs, whether they are connected now, and their score as of the last reveal.',
    answer: { status: 200, schema: 'RoomPlayers', description: 'The players.' },
    errors: { 400: BAD_CODE, 401: NO_TOKEN, 403: HOST_ONLY, 404: NO_ROOM },
  },
  {
    method: 'delete', path: '/rooms/{code}/players/{playerId}', operationId: 'kickPlayer', tag: 'rooms', auth: 'host',
    summary: 'Kick a player',
    description:
      'The player leaves the room and its standings, their open connections get `room:closed` (`reason: "kicked"`) and close, ' +
      'and their token is refused from then on (`KICKED`). Their nickname stays taken; their answer to the open question no longer counts, and if everyone left has answered, the question closes.',
    answer: { status: 200, schema: 'RoomView', description: 'The room after the kick.' },
    errors: {
      400: `${BAD_CODE} Or the player id is malformed.`,
      401: NO_TOKEN,
      403: HOST_ONLY,
      404: `${NO_ROOM} Or \`NOT_FOUND\`: no such player in the room.`,
      409: '`INVALID_TRANSITION`: the room has ended.',
    },
  },
  {
    method: 'get', path: '/games/{id}/results', operationId: 'getGameResults', tag: 'games',
    summary: 'The saved results of a finished game',
    description: 'Saved by a worker shortly after the room finishes; until then this is a 404.',
    answer: { status: 200, schema: 'GameResults', description: 'The whole game: questions with answers, players, every answer.' },
    errors: { 404: '`NOT_FOUND`: no saved game with this id (yet).' },
  },
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
  webhook(
    'end', 'roomEnd', 'Housekeeping: end a room left idle or abandoned',
    'A lobby not started or a game left paused for `ROOM_IDLE_SECONDS`, or a running game with nobody connected for `ROOM_ABANDONED_SECONDS`: a lobby is cancelled, a game finishes and its results are saved.',
  ),
];
