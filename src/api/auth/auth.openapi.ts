import { COMMON_ERRORS, type OperationSpec } from '../operation-spec';
import { AuthAnswer, Login, Register } from '../schemas';

export const authOperations: OperationSpec[] = [
  {
    method: 'post',
    path: '/auth/register',
    operationId: 'register',
    tag: 'auth',
    summary: 'Create an account',
    description: 'Answers a user token, which creates rooms and may join them under the account.',
    body: { Register },
    answer: { status: 201, schema: { AuthAnswer }, description: 'The account is created.' },
    errors: { 400: COMMON_ERRORS.badBody, 409: '`EMAIL_TAKEN`: an account with this email exists.' },
  },
  {
    method: 'post',
    path: '/auth/login',
    operationId: 'login',
    tag: 'auth',
    summary: 'Sign in',
    body: { Login },
    answer: { status: 200, schema: { AuthAnswer }, description: 'Signed in.' },
    errors: { 400: COMMON_ERRORS.badBody, 401: '`INVALID_CREDENTIALS`: wrong email or password.' },
  },
];
