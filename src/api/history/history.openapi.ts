import { GameResultsRead } from '../../shared/game-results';
import { COMMON_ERRORS, type OperationSpec } from '../operation-spec';
import { GameVisibility, GameVisibilitySet } from '../schemas';
import { MyGames, MyGamesQuery } from './history.schemas';

const READERS =
  "Readable by the game's host (their user or host token), its players (the player token they played with, or the account they " +
  'joined under) and admins; by anyone once the host made the results public (room setting `resultsPublic`, or PUT /games/{id}/visibility).';
const PRIVATE_RESULTS = {
  401: "`UNAUTHORIZED`: an `Authorization` header with a bad token, or a user token whose account is gone or whose password changed since, or a host token issued before its account's password changed.",
  403: "`RESULTS_PRIVATE`: the results are not public and no token was sent, or the token is not the host's, a player's or an admin's.",
  404: COMMON_ERRORS.noGame,
} as const;

export const historyOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/games/{id}/results',
    operationId: 'getGameResults',
    tag: 'games',
    summary: 'The saved results of a finished game',
    auth: 'optional-user',
    description: `Saved by a worker shortly after the room finishes; until then this is a 404. ${READERS}`,
    answer: {
      status: 200,
      schema: { GameResultsRead },
      description: 'The whole game: questions with answers, players, every answer, and whether it counted on the leaderboards and why not.',
    },
    errors: PRIVATE_RESULTS,
  },
  {
    method: 'get',
    path: '/games/{id}/results.csv',
    operationId: 'getGameResultsCsv',
    tag: 'games',
    summary: 'The saved results of a finished game, as CSV',
    description:
      'One row per player per question, players by final rank, after a header row (RFC 4180, UTF-8, CRLF). A player ' +
      'who did not answer a question has an empty `answer` and `answer_ms`. Text that would start with `= + - @` gets a ' +
      "leading `'`, so spreadsheets do not run it as a formula. " +
      READERS,
    auth: 'optional-user',
    answer: { status: 200, mediaType: 'text/csv', description: 'The results, as an attachment.' },
    errors: PRIVATE_RESULTS,
  },
  {
    method: 'put',
    path: '/games/{id}/visibility',
    operationId: 'setGameVisibility',
    tag: 'games',
    auth: 'user',
    summary: 'Make the results of a saved game public, or private again',
    description: "The game's host (their user token, or the room's host token) or an admin. Public results are readable by anyone who has the game id.",
    body: { GameVisibility },
    answer: { status: 200, schema: { GameVisibilitySet }, description: 'The visibility now.' },
    errors: {
      400: COMMON_ERRORS.badBody,
      401: `${COMMON_ERRORS.noAccount} Or a host token issued before its account's password changed.`,
      403: "`FORBIDDEN`: not the game's host or an admin.",
      404: COMMON_ERRORS.noGame,
    },
  },
  {
    method: 'get',
    path: '/me/games',
    operationId: 'listMyGames',
    tag: 'games',
    auth: 'user',
    summary: 'Games you hosted or played, newest first',
    description: 'Played means joined with your user token. Pages follow `nextCursor`.',
    query: MyGamesQuery,
    answer: { status: 200, schema: { MyGames }, description: 'A page of your finished games.' },
    errors: {
      400: '`BAD_REQUEST`: `limit` out of bounds, or a `cursor` this api did not give out.',
      401: '`UNAUTHORIZED`: no token, or a bad one.',
      403: COMMON_ERRORS.userOnly,
    },
  },
];
