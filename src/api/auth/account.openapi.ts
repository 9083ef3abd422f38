import { COMMON_ERRORS, type OperationSpec } from '../operation-spec';
import { Account, AuthAnswer, ChangePassword, DeleteAccount } from '../schemas';

const WRONG_PASSWORD_LIMIT =
  '`RATE_LIMITED`: too many wrong passwords for this account, here or at sign-in (RATE_LIMIT_LOGIN_ACCOUNT); once spent, even the right password waits; see `Retry-After`.';

export const accountOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/me',
    operationId: 'getAccount',
    tag: 'auth',
    auth: 'user',
    summary: 'Your account',
    answer: { status: 200, schema: { Account }, description: 'The account of the token (never its password).' },
    errors: { 401: COMMON_ERRORS.noAccount, 403: COMMON_ERRORS.userOnly },
  },
  {
    method: 'post',
    path: '/me/password',
    operationId: 'changePassword',
    tag: 'auth',
    auth: 'user',
    summary: 'Change your password',
    description:
      'Takes the password now and a new one (the rules of registration). Every user token issued before is refused from then on ' +
      '(401); the answer carries a new one. So is every host token issued before: the host gets a new one for a room with ' +
      '`POST /rooms/{code}/host-token` and the new user token.',
    body: { ChangePassword },
    answer: { status: 200, schema: { AuthAnswer }, description: 'Changed: a new user token, and the account.' },
    errors: {
      400: COMMON_ERRORS.badBody,
      401: COMMON_ERRORS.noAccount,
      403: "`WRONG_PASSWORD`: `currentPassword` is not the account's; nothing changed. Or `FORBIDDEN`: a host or player token.",
      429: WRONG_PASSWORD_LIMIT,
    },
  },
  {
    method: 'delete',
    path: '/me',
    operationId: 'deleteAccount',
    tag: 'auth',
    auth: 'user',
    summary: 'Delete your account',
    description:
      'Takes the password. In one transaction: your private questions and your categories are deleted; your public questions stay in ' +
      'the bank without an author; saved games stay for their other players, without your account (your nickname stays as played). ' +
      'Then every room you host that has not ended is deleted (its players are told why), and you leave the leaderboards. ' +
      'Your tokens are refused from then on.',
    body: { DeleteAccount },
    answer: { status: 204, description: 'Deleted.' },
    errors: {
      400: COMMON_ERRORS.badBody,
      401: COMMON_ERRORS.noAccount,
      403: "`WRONG_PASSWORD`: `password` is not the account's; nothing was deleted. Or `FORBIDDEN`: a host or player token.",
      429: WRONG_PASSWORD_LIMIT,
    },
  },
];
