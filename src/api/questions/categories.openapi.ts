import { COMMON_ERRORS, type OperationSpec } from '../operation-spec';
import { Categories } from '../schemas';
import { CategoriesQuery, Category, CategoryInput } from './questions.schemas';

const CATEGORY_OWNER = '`FORBIDDEN`: a host or player token, or not the creator of the category nor an admin.';
const NO_CATEGORY = '`NOT_FOUND`: no such category.';

export const categoriesOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/categories',
    operationId: 'listCategories',
    tag: 'questions',
    auth: 'optional-user',
    summary: 'Categories, with question counts per difficulty',
    description:
      'What a room can ask for: a room needs `questionCount` questions that fit its category and difficulty. The counts are of ' +
      'public questions, plus, with a user token, your own private ones (which rooms you host may ask too).',
    query: CategoriesQuery,
    answer: { status: 200, schema: { Categories }, description: 'A page of the categories of the question bank, empty ones too, by name.' },
    errors: {
      400: '`BAD_REQUEST`: `limit` or `offset` out of bounds.',
      401: '`UNAUTHORIZED`: an `Authorization` header with a bad token (send none for public counts).',
    },
  },
  {
    method: 'post',
    path: '/categories',
    operationId: 'createCategory',
    tag: 'questions',
    auth: 'user',
    summary: 'Create a category',
    body: { CategoryInput },
    answer: { status: 201, schema: { Category }, description: 'The category.' },
    errors: {
      400: COMMON_ERRORS.badBody,
      401: COMMON_ERRORS.noAccount,
      403: COMMON_ERRORS.userOnly,
      409: '`CATEGORY_EXISTS`: a category has this name, ignoring case; `TOO_MANY_CATEGORIES`: you created USER_MAX_CATEGORIES already.',
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
      401: COMMON_ERRORS.noToken,
      403: CATEGORY_OWNER,
      404: NO_CATEGORY,
      409: '`CATEGORY_EXISTS`: another category has this name.',
    },
  },
  {
    method: 'delete',
    path: '/categories/{categoryId}',
    operationId: 'deleteCategory',
    tag: 'questions',
    auth: 'user',
    summary: 'Delete an empty category',
    description: 'For its creator or an admin, once no (undeleted) question is in it.',
    answer: { status: 204, description: 'Deleted.' },
    errors: {
      400: COMMON_ERRORS.badId,
      401: COMMON_ERRORS.noToken,
      403: CATEGORY_OWNER,
      404: NO_CATEGORY,
      409: '`CATEGORY_IN_USE`: questions are still in it.',
    },
  },
];
