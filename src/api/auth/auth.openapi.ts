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
    errors: {
      400: COMMON_ERRORS.badBody,
      409: '`EMAIL_TAKEN`: an account with this email exists.',
      429: '`RATE_LIMITED`: too many registrations from this address (RATE_LIMIT_REGISTER_ADDRESS); see `Retry-After`.',
    },
  },
  {
    method: 'post',
    path: '/auth/login',
    operationId: 'login',
    tag: 'auth',
    summary: 'Sign in',
    body: { Login },
    answer: { status: 200, schema: { AuthAnswer }, description: 'Signed in.' },
    errors: {
      400: COMMON_ERRORS.badBody,
      401: '`INVALID_CREDENTIALS`: wrong email or password.',
      429: '`RATE_LIMITED`: too many failed sign-ins for this account (RATE_LIMIT_LOGIN_ACCOUNT) or from this address (RATE_LIMIT_LOGIN_ADDRESS); once spent, even the right password waits; see `Retry-After`.',
    },
  },
];
