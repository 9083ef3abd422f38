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
  /** A change to the account (new password, deletion) sent a password that is not the account's (REST 403). */
  WrongPassword: 'WRONG_PASSWORD',
  RoomNotFound: 'ROOM_NOT_FOUND',
  RoomNotJoinable: 'ROOM_NOT_JOINABLE',
  /** The host or an admin deleted the room (REST 410). */
  RoomDeleted: 'ROOM_DELETED',
  NicknameTaken: 'NICKNAME_TAKEN',
  NicknameRejected: 'NICKNAME_REJECTED',
  RoomLocked: 'ROOM_LOCKED',
  Kicked: 'KICKED',
  StaleVersion: 'STALE_VERSION',
  InvalidTransition: 'INVALID_TRANSITION',
  /** Play again: the room has not finished yet. */
  RoomNotFinished: 'ROOM_NOT_FINISHED',
  /** Play again: this room was already played again (the problem names the new room). */
  AlreadyPlayedAgain: 'ALREADY_PLAYED_AGAIN',
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
  /** A body in a type the route does not read (REST 415). */
  UnsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  /** An import with a bad row saves nothing; the problem lists every bad row and field. */
  ImportRejected: 'IMPORT_REJECTED',
  /** Too many requests or events: REST 429 with Retry-After, or a socket error ack. */
  RateLimited: 'RATE_LIMITED',
  /** The room holds as many players as it may (its `maxPlayers`, under ROOM_MAX_PLAYERS). */
  RoomFull: 'ROOM_FULL',
  /** The host already holds HOST_MAX_OPEN_ROOMS rooms that have not ended. */
  TooManyRooms: 'TOO_MANY_ROOMS',
  /** A new room asks for more questions than the bank holds for its host, category and difficulty. */
  NotEnoughQuestions: 'NOT_ENOUGH_QUESTIONS',
  /** The user created USER_MAX_CATEGORIES categories already. */
  TooManyCategories: 'TOO_MANY_CATEGORIES',
  /** The room has a join passphrase and none was sent (REST 403). */
  PassphraseRequired: 'PASSPHRASE_REQUIRED',
  /** The join passphrase sent is not the room's (REST 403; attempts are rate-limited). */
  WrongPassphrase: 'WRONG_PASSPHRASE',
  /** A game's results are readable only by its host, its players and admins, until the host makes them public. */
  ResultsPrivate: 'RESULTS_PRIVATE',
  /** A new room found no free code in a few tries (REST 503 with Retry-After): the codes are nearly all in use. */
  NoFreeRoomCode: 'NO_FREE_ROOM_CODE',
  Internal: 'INTERNAL',
  /** A process's dependencies (Redis, PostgreSQL) do not answer; from GET /ready. */
  NotReady: 'NOT_READY',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ErrorBody = z.object({ code: z.enum(ErrorCode), message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;
