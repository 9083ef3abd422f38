import type { OperationSpec } from '../operation-spec';
import {
  Leaderboard,
  LeaderboardAround,
  LeaderboardAroundQuery,
  LeaderboardCounts,
  LeaderboardPlayer,
  LeaderboardPlayerQuery,
  LeaderboardQuery,
} from './leaderboards.schemas';

const BAD_QUERY = '`BAD_REQUEST`: a query parameter is out of bounds or malformed (`errors` names it), or `week` on the global board.';
const NO_BOARD = '`NOT_FOUND`: no such board (they are `global` and `weekly`)';
const BAD_USER = `${BAD_QUERY} Or the path does not hold a user id.`;
const RANKING =
  'Boards hold signed-in players only; each finished game adds its final score once. Entries are listed by score, ' +
  'high to low, and equal scores by user id, high to low; equal scores share a rank (1, 2, 2, 4).';

export const leaderboardsOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/leaderboards',
    operationId: 'countLeaderboards',
    tag: 'leaderboards',
    summary: 'The boards and how many players each holds',
    answer: { status: 200, schema: { LeaderboardCounts }, description: 'The global board and this week’s board.' },
    errors: {},
  },
  {
    method: 'get',
    path: '/leaderboards/{board}',
    operationId: 'getLeaderboard',
    tag: 'leaderboards',
    summary: 'The top of a board',
    description: RANKING,
    query: LeaderboardQuery,
    answer: { status: 200, schema: { Leaderboard }, description: 'The top `limit` players, and how many the board holds.' },
    errors: { 400: BAD_QUERY, 404: `${NO_BOARD}.` },
  },
  {
    method: 'get',
    path: '/leaderboards/{board}/players/{userId}',
    operationId: 'getLeaderboardPlayer',
    tag: 'leaderboards',
    summary: "A player's rank and score on a board",
    description: RANKING,
    query: LeaderboardPlayerQuery,
    answer: { status: 200, schema: { LeaderboardPlayer }, description: 'The player’s entry.' },
    errors: { 400: BAD_USER, 404: `${NO_BOARD}, or the player is not on it.` },
  },
  {
    method: 'get',
    path: '/leaderboards/{board}/players/{userId}/around',
    operationId: 'getLeaderboardAround',
    tag: 'leaderboards',
    summary: 'The players around a player on a board',
    description: RANKING,
    query: LeaderboardAroundQuery,
    answer: { status: 200, schema: { LeaderboardAround }, description: 'The player’s entry and up to `radius` entries above and below.' },
    errors: { 400: BAD_USER, 404: `${NO_BOARD}, or the player is not on it.` },
  },
];
