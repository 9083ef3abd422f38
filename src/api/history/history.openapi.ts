import { GameResults } from '../../shared/game-results';
import { COMMON_ERRORS, type OperationSpec } from '../operation-spec';
import { MyGames, MyGamesQuery } from './history.schemas';

export const historyOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/games/{id}/results',
    operationId: 'getGameResults',
    tag: 'games',
    summary: 'The saved results of a finished game',
    description: 'Saved by a worker shortly after the room finishes; until then this is a 404.',
    answer: { status: 200, schema: { GameResults }, description: 'The whole game: questions with answers, players, every answer.' },
    errors: { 404: COMMON_ERRORS.noGame },
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
      "leading `'`, so spreadsheets do not run it as a formula.",
    answer: { status: 200, mediaType: 'text/csv', description: 'The results, as an attachment.' },
    errors: { 404: COMMON_ERRORS.noGame },
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
