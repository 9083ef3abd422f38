import { COMMON_ERRORS, type OperationSpec } from '../operation-spec';
import { BankQuestion, ImportQuery, ImportReport, OpenTdbImport, QuestionInput, QuestionPage, QuestionQuery } from './questions.schemas';

const { noAccount, userOnly, badId } = COMMON_ERRORS;
const NOT_YOURS = "`FORBIDDEN`: a host or player token, or the question is another author's (only they or an admin may change it).";
const NO_QUESTION = "`NOT_FOUND`: no such question, it was deleted, or it is another author's private question.";
const BAD_QUESTION = '`BAD_REQUEST`: the body breaks the schema or the rules of its type; `errors` names each problem. Or the id is not a whole number from 1.';
const DUPLICATE = '`DUPLICATE_QUESTION`: you already have a question with this type, text and choices (ignoring case, accents and spaces).';

export const questionsOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/questions',
    operationId: 'listQuestions',
    tag: 'questions',
    auth: 'user',
    summary: 'List and filter the question bank, a page at a time',
    description: 'Public questions and your own (an admin sees all), by id. Answers (`correct`, `accepted`) only on questions you may edit.',
    query: QuestionQuery,
    answer: { status: 200, schema: { QuestionPage }, description: 'One page, and how many match in all.' },
    errors: { 400: '`BAD_REQUEST`: a query parameter breaks its schema.', 401: noAccount, 403: userOnly },
  },
  {
    method: 'post',
    path: '/questions',
    operationId: 'createQuestion',
    tag: 'questions',
    auth: 'user',
    summary: 'Add a question to the bank',
    description: 'You are its author. Private by default: then only rooms you host ask it. `Location` names the question.',
    body: { QuestionInput },
    answer: { status: 201, schema: { BankQuestion }, description: 'The question.' },
    errors: { 400: BAD_QUESTION, 401: noAccount, 403: userOnly, 409: DUPLICATE },
  },
  {
    method: 'post',
    path: '/questions/import',
    operationId: 'importQuestions',
    tag: 'questions',
    auth: 'user',
    summary: 'Import questions from Open Trivia DB JSON or CSV',
    description:
      'All or nothing: every row is checked, then all are saved in one transaction. One bad row (invalid, the same question as ' +
      'another row, or as one of yours) saves none, and the 400 `IMPORT_REJECTED` lists every bad row and field in `errors`. ' +
      'At most IMPORT_MAX_ROWS rows (500), in a body (CSV or JSON alike) up to IMPORT_BODY_LIMIT_KB (1 MB), more a 413; JSON_BODY_LIMIT_KB does not apply here.',
    query: ImportQuery,
    body: { OpenTdbImport },
    csvBody:
      'With format=csv: a header row, then one question a row. Columns: category, difficulty, type, text (required), choice1…choice6, correct (choice numbers from 1 joined by |, or true/false for boolean), accepted (type-answer: answers joined by |), public (true/false).',
    answer: { status: 200, schema: { ImportReport }, description: 'Every row, imported.' },
    errors: {
      400: '`IMPORT_REJECTED`: a bad row; `errors` lists each bad `row` and `field`, nothing was saved. `BAD_REQUEST`: not the format named, a CSV without the required header, more than IMPORT_MAX_ROWS rows, or an OpenTDB `response_code` other than 0.',
      401: noAccount,
      403: userOnly,
      409: '`TOO_MANY_CATEGORIES`: the rows name new categories past USER_MAX_CATEGORIES.',
      413: '`BAD_REQUEST`: the body is over IMPORT_BODY_LIMIT_KB (1 MB).',
      415: '`BAD_REQUEST` or `UNSUPPORTED_MEDIA_TYPE`: the Content-Type does not fit `format`.',
      429: '`RATE_LIMITED`: too many imports by this user (RATE_LIMIT_IMPORTS_USER); see `Retry-After`.',
    },
  },
  {
    method: 'get',
    path: '/questions/{questionId}',
    operationId: 'getQuestion',
    tag: 'questions',
    auth: 'user',
    summary: 'One question of the bank',
    answer: { status: 200, schema: { BankQuestion }, description: 'The question; its answers if you may edit it.' },
    errors: { 400: badId, 401: noAccount, 403: userOnly, 404: NO_QUESTION },
  },
  {
    method: 'put',
    path: '/questions/{questionId}',
    operationId: 'updateQuestion',
    tag: 'questions',
    auth: 'user',
    summary: 'Replace a question',
    description: 'For its author or an admin. Games already played keep the question as it was asked.',
    body: { QuestionInput },
    answer: { status: 200, schema: { BankQuestion }, description: 'The question as it is now.' },
    errors: { 400: BAD_QUESTION, 401: noAccount, 403: NOT_YOURS, 404: NO_QUESTION, 409: DUPLICATE },
  },
  {
    method: 'delete',
    path: '/questions/{questionId}',
    operationId: 'deleteQuestion',
    tag: 'questions',
    auth: 'user',
    summary: 'Delete a question',
    description:
      'For its author or an admin. Rooms stop asking it and the bank stops listing it; finished games keep their ' +
      'copy of it and their answers, and `game_answers.question_id` still names its (soft-deleted) row.',
    answer: { status: 204, description: 'Deleted.' },
    errors: { 400: badId, 401: noAccount, 403: NOT_YOURS, 404: NO_QUESTION },
  },
];
