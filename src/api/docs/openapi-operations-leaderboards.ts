import { MyGamesQuery } from '../history/history.schemas';
import { LeaderboardAroundQuery, LeaderboardPlayerQuery, LeaderboardQuery } from '../leaderboards/leaderboards.schemas';
import type { OperationSpec } from './openapi-operations';

const NO_GAME = '`NOT_FOUND`: no saved game with this id (yet).';
const BAD_QUERY = '`BAD_REQUEST`: a query parameter is out of bounds or malformed (`errors` names it), or `week` on the global board.';
const NO_BOARD = '`NOT_FOUND`: no such board (they are `global` and `weekly`)';
const BAD_USER = `${BAD_QUERY} Or the path does not hold a user id.`;
const RANKING =
  'Boards hold signed-in players only; each finished game adds its final score once. Entries are listed by score, ' +
  'high to low, and equal scores by user id, high to low; equal scores share a rank (1, 2, 2, 4).';

/** The history, results export and leaderboard operations, listed in `operations` after the game results. */
export const historyAndLeaderboardOperations: OperationSpec[] = [
  {
    method: 'get', path: '/games/{id}/results.csv', operationId: 'getGameResultsCsv', tag: 'games',
    summary: 'The saved results of a finished game, as CSV',
    description:
      'One row per player per question, players by final rank, after a header row (RFC 4180, UTF-8, CRLF). A player ' +
      'who did not answer a question has an empty `answer` and `answer_ms`. Text that would start with `= + - @` gets a ' +
      "leading `'`, so spreadsheets do not run it as a formula.",
    answer: { status: 200, mediaType: 'text/csv', description: 'The results, as an attachment.' },
    errors: { 404: NO_GAME },
  },
  {
    method: 'get', path: '/me/games', operationId: 'listMyGames', tag: 'games', auth: 'user',
    summary: 'Games you hosted or played, newest first',
    description: 'Played means joined with your user token. Pages follow `nextCursor`.',
    query: MyGamesQuery,
    answer: { status: 200, schema: 'MyGames', description: 'A page of your finished games.' },
    errors: { 400: '`BAD_REQUEST`: `limit` out of bounds, or a `cursor` this api did not give out.', 401: '`UNAUTHORIZED`: no token, or a bad one.', 403: '`FORBIDDEN`: a host or player token; this needs a user token.' },
  },
  {
    method: 'get', path: '/leaderboards', operationId: 'countLeaderboards', tag: 'leaderboards',
    summary: 'The boards and how many players each holds',
    answer: { status: 200, schema: 'LeaderboardCounts', description: 'The global board and this week’s board.' },
    errors: {},
  },
  {
    method: 'get', path: '/leaderboards/{board}', operationId: 'getLeaderboard', tag: 'leaderboards',
    summary: 'The top of a board',
    description: RANKING,
    query: LeaderboardQuery,
    answer: { status: 200, schema: 'Leaderboard', description: 'The top `limit` players, and how many the board holds.' },
    errors: { 400: BAD_QUERY, 404: `${NO_BOARD}.` },
  },
  {
    method: 'get', path: '/leaderboards/{board}/players/{userId}', operationId: 'getLeaderboardPlayer', tag: 'leaderboards',
    summary: "A player's rank and score on a board",
    description: RANKING,
    query: LeaderboardPlayerQuery,
    answer: { status: 200, schema: 'LeaderboardPlayer', description: 'The player’s entry.' },
    errors: { 400: BAD_USER, 404: `${NO_BOARD}, or the player is not on it.` },
  },
  {
    method: 'get', path: '/leaderboards/{board}/players/{userId}/around', operationId: 'getLeaderboardAround', tag: 'leaderboards',
    summary: 'The players around a player on a board',
    description: RANKING,
    query: LeaderboardAroundQuery,
    answer: { status: 200, schema: 'LeaderboardAround', description: 'The player’s entry and up to `radius` entries above and below.' },
    errors: { 400: BAD_USER, 404: `${NO_BOARD}, or the player is not on it.` },
  },
];
