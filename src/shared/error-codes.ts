import { z } from 'zod';

/** Every error code a client can see, REST or socket. One place, so clients can switch on them. */
export const ErrorCode = {
  BadRequest: 'BAD_REQUEST',
  Unauthorized: 'UNAUTHORIZED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  EmailTaken: 'EMAIL_TAKEN',
  InvalidCredentials: 'INVALID_CREDENTIALS',
  RoomNotFound: 'ROOM_NOT_FOUND',
  RoomNotJoinable: 'ROOM_NOT_JOINABLE',
  NicknameTaken: 'NICKNAME_TAKEN',
  NicknameRejected: 'NICKNAME_REJECTED',
  RoomLocked: 'ROOM_LOCKED',
  Kicked: 'KICKED',
  StaleVersion: 'STALE_VERSION',
  InvalidTransition: 'INVALID_TRANSITION',
  NotAcceptingAnswers: 'NOT_ACCEPTING_ANSWERS',
  WrongQuestion: 'WRONG_QUESTION',
  TooLate: 'TOO_LATE',
  AlreadyAnswered: 'ALREADY_ANSWERED',
  InvalidChoice: 'INVALID_CHOICE',
  /** A choice sent for a type-answer question, or text for a question with choices. */
  WrongAnswerType: 'WRONG_ANSWER_TYPE',
  NotAPlayer: 'NOT_A_PLAYER',
  /** The author already has this question (same type, text and choices; see question-identity.ts). */
  DuplicateQuestion: 'DUPLICATE_QUESTION',
  CategoryExists: 'CATEGORY_EXISTS',
  /** A category still holds questions, so it cannot be deleted. */
  CategoryInUse: 'CATEGORY_IN_USE',
  Internal: 'INTERNAL',
  /** A process's dependencies (Redis, PostgreSQL) do not answer; from GET /ready. */
  NotReady: 'NOT_READY',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ErrorBody = z.object({ code: z.enum(ErrorCode), message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;
