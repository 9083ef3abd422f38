import { COMMON_ERRORS, type OperationSpec } from '../operation-spec';
import { Categories } from '../schemas';
import { CategoriesQuery, Category, CategoryInput } from './questions.schemas';

const CATEGORY_OWNER = '`FORBIDDEN`: a host or player token, or a shared category you did not create (and you are no admin).';
const NO_CATEGORY = "`NOT_FOUND`: no such category, or another user's private one.";
const SCOPES =
  "A category is its creator's alone (`shared: false`), or everybody's (`shared: true`: the starter bank's, and those an admin makes). " +
  "Your names are unique among your own categories and the shared ones, ignoring case; other users' private categories never clash with " +
  "them, and a question goes in its author's own category of its name, else the shared one, never in another user's.";

export const categoriesOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/categories',
    operationId: 'listCategories',
    tag: 'questions',
    auth: 'optional-user',
    summary: 'Categories, with question counts per difficulty',
    description:
      'What a room can ask for: a room needs `questionCount` questions that fit its category and difficulty. Listed are the categories ' +
      'holding a public question, plus, with a user token, those holding one of your own and those you made (empty ones too); other ' +
      "users' private categories are not. The counts are of public questions, plus your own private ones (which rooms you host may ask too). " +
      SCOPES,
    query: CategoriesQuery,
    answer: { status: 200, schema: { Categories }, description: 'A page of the categories you may pick, by name.' },
    errors: {
      400: '`BAD_REQUEST`: `limit` or `offset` out of bounds.',
      401: '`UNAUTHORIZED`: an `Authorization` header with a bad token, or a user token whose account is gone or whose password changed since (send none for public counts).',
    },
  },
  {
    method: 'post',
    path: '/categories',
    operationId: 'createCategory',
    tag: 'questions',
    auth: 'user',
    summary: 'Create a category',
    description: `Yours alone; an admin's is shared. ${SCOPES}`,
    body: { CategoryInput },
    answer: { status: 201, schema: { Category }, description: 'The category.' },
    errors: {
      400: COMMON_ERRORS.badBody,
      401: COMMON_ERRORS.noAccount,
      403: COMMON_ERRORS.userOnly,
      409:
        '`CATEGORY_EXISTS`: you (or, for an admin, the shared categories) have one of this name already, ignoring case, or a shared one has it; ' +
        '`TOO_MANY_CATEGORIES`: you created USER_MAX_CATEGORIES already.',
    },
  },
  {
    method: 'put',
    path: '/categories/{categoryId}',
    operationId: 'renameCategory',
    tag: 'questions',
    auth: 'user',
    summary: 'Rename a category',
    description: 'Its questions move with it. For its creator or an admin.',
    body: { CategoryInput },
    answer: { status: 200, schema: { Category }, description: 'The renamed category.' },
    errors: {
      400: `${COMMON_ERRORS.badBody} Or ${COMMON_ERRORS.badId}`,
      401: COMMON_ERRORS.noAccount,
      403: CATEGORY_OWNER,
      404: NO_CATEGORY,
      409: '`CATEGORY_EXISTS`: another category of the same owner (or a shared one) has this name.',
    },
  },
  {
    method: 'delete',
    path: '/categories/{categoryId}',
    operationId: 'deleteCategory',
    tag: 'questions',
    auth: 'user',
    summary: 'Delete an empty category',
    description: "For its creator or an admin, once no (undeleted) question is in it; other users' questions are never in a private category.",
    answer: { status: 204, description: 'Deleted.' },
    errors: {
      400: COMMON_ERRORS.badId,
      401: COMMON_ERRORS.noAccount,
      403: CATEGORY_OWNER,
      404: NO_CATEGORY,
      409: '`CATEGORY_IN_USE`: questions are still in it.',
    },
  },
];
