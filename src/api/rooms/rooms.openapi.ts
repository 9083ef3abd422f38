import { RoomView, StandingsPage } from '../../shared/room';
import { COMMON_ERRORS, type OperationSpec } from '../operation-spec';
import { CreateRoom, CreatedRoom, HostControl, HostTokenReissued, Join, Joined, PlayedAgain, RoomPlayers, StandingsQuery } from '../schemas';

const { badBody, badCode, noRoom, noToken, noAccount, codeMisses } = COMMON_ERRORS;
const DELETED = COMMON_ERRORS.deleted;
/** A host token's 401s: its own, or a password change of its account since it was issued (auth.middleware.ts, `checkHostToken`). */
const HOST_TOKEN_REFUSED = `${noToken} Or a host token issued before its account's password changed: get a new one with \`POST /rooms/{code}/host-token\`.`;
const HOST_ONLY = "`FORBIDDEN`: not the host token of this room (a user token, a player token, or another room's host token).";

function hostControl(action: string, operationId: string, summary: string, description: string, refusedWhen: string, versioned = true): OperationSpec {
  return {
    method: 'post',
    path: `/rooms/{code}/${action}`,
    operationId,
    tag: 'rooms',
    auth: 'host',
    summary,
    description,
    body: versioned ? { HostControl } : undefined,
    answer: { status: 200, schema: { RoomView }, description: 'The room after the change.' },
    errors: {
      400: versioned ? `${badCode} Or \`BAD_REQUEST\`: no \`version\` named.` : badCode,
      401: HOST_TOKEN_REFUSED,
      403: HOST_ONLY,
      404: noRoom,
      409: versioned
        ? `\`INVALID_TRANSITION\`: ${refusedWhen}; or \`STALE_VERSION\`: the room is no longer at the \`version\` named (it moved on).`
        : `\`INVALID_TRANSITION\`: ${refusedWhen}.`,
      410: DELETED,
    },
  };
}

const NOT_ENOUGH_QUESTIONS =
  '`NOT_ENOUGH_QUESTIONS`: the bank has fewer than `questionCount` questions the host may use (public ones and their own) for the category and difficulty';
/** RATE_LIMIT_ROOMS_USER counts rooms made (not refused creations); a user's creations run one at a time (rooms.service.ts). */
const TOO_MANY_CREATED =
  '`RATE_LIMITED`: too many rooms created by this user (RATE_LIMIT_ROOMS_USER), or another room of theirs was still being created after 5 s';
const NO_FREE_ROOM_CODE = '`NO_FREE_ROOM_CODE`: no free room code was found in a few tries (nearly every code in use); see `Retry-After`.';

export const roomsOperations: OperationSpec[] = [
  {
    method: 'post',
    path: '/rooms',
    operationId: 'createRoom',
    tag: 'rooms',
    auth: 'user',
    summary: 'Create a room',
    description:
      'The room starts in `building` while a worker picks its questions, then moves to `lobby` (or to `failed`, ' +
      "with a `failureReason`, when they cannot be picked). A room the bank has too few questions for (public ones and the host's own, " +
      'of its `category` and `difficulty`) is refused at once with 409, unless PostgreSQL does not answer within a second (POSTGRES_CHECK_WAIT_MS; after such a miss, it is not asked for POSTGRES_CHECK_RETRY_MS): rooms are ' +
      'made while it is away, and fail in `building` if it is still away. Every setting is optional. `Location` names the room. ' +
      'A `passphrase` makes the room private: its view says `passphraseRequired`, and joining takes the passphrase (kept only hashed).',
    body: { CreateRoom },
    answer: { status: 201, schema: { CreatedRoom }, description: 'The room, its code and a host token.' },
    errors: {
      400: badBody,
      401: `${COMMON_ERRORS.noAccount} The account is read in the same look at PostgreSQL as the bank: while PostgreSQL does not answer, it is not checked.`,
      403: COMMON_ERRORS.userOnly,
      409: `${NOT_ENOUGH_QUESTIONS}; or \`TOO_MANY_ROOMS\`: the host has HOST_MAX_OPEN_ROOMS rooms that have not ended; the detail names their codes.`,
      429: `${TOO_MANY_CREATED}; see \`Retry-After\`.`,
      503: NO_FREE_ROOM_CODE,
    },
  },
  {
    method: 'get',
    path: '/rooms/{code}',
    operationId: 'getRoom',
    tag: 'rooms',
    summary: 'The public view of a room',
    description: 'The same view the socket pushes as `room:view`: never a correct answer before the reveal.',
    answer: { status: 200, schema: { RoomView }, description: 'The room as everyone in it sees it.' },
    errors: { 400: badCode, 404: noRoom, 410: DELETED, 429: codeMisses },
  },
  {
    method: 'delete',
    path: '/rooms/{code}',
    operationId: 'deleteRoom',
    tag: 'rooms',
    auth: 'host',
    summary: 'Delete a room',
    description:
      "For the room's host (its host token, or a user token of the account that made it) or an admin (a user token with the admin role). " +
      'A room that has not ended is cancelled: a game in progress stops and its results are not saved. Everyone in it is shown ' +
      '`failureReason` ("The host deleted this room.") and gets `room:closed`. From then on every read or control of the room answers 410 `ROOM_DELETED`.',
    answer: { status: 204, description: 'Deleted.' },
    errors: {
      400: badCode,
      401: `${HOST_TOKEN_REFUSED} Or a user token whose account is gone or whose password changed since.`,
      403: '`FORBIDDEN`: neither the host of this room nor an admin.',
      404: noRoom,
      410: DELETED,
    },
  },
  {
    method: 'post',
    path: '/rooms/{code}/retry',
    operationId: 'retryRoom',
    tag: 'rooms',
    auth: 'host',
    summary: 'Prepare a failed room again',
    description:
      'A room whose questions could not be prepared (`phase: "failed"`, with a `failureReason`) goes back to `building` with the same ' +
      'settings and code; a worker prepares it, and it reaches `lobby` (or fails again, with a reason). Players already joined stay.',
    answer: { status: 200, schema: { RoomView }, description: 'The room, building again.' },
    errors: {
      400: badCode,
      401: HOST_TOKEN_REFUSED,
      403: HOST_ONLY,
      404: noRoom,
      409: '`INVALID_TRANSITION`: the room is not `failed`; or `STALE_VERSION`: it changed meanwhile.',
      410: DELETED,
    },
  },
  {
    method: 'get',
    path: '/rooms/{code}/standings',
    operationId: 'getStandings',
    tag: 'rooms',
    summary: "A page of a room's standings",
    description:
      "Every player ranked, best first (equal scores: the lower total time first: a correct answer's counted time, the whole question time for any other, also for a question revealed before the player joined), a page at a time: the view " +
      'names only the top (`leaderboard`, VIEW_LEADERBOARD_SIZE players), and each player gets their own rank in `room:you`. ' +
      'Ranks settle at each reveal. Public like the view: nicknames and scores, no player ids.',
    query: StandingsQuery,
    answer: { status: 200, schema: { StandingsPage }, description: 'Ranks offset + 1 to offset + limit, and how many there are.' },
    errors: {
      400: `${badCode}; or \`BAD_REQUEST\`: \`offset\` or \`limit\` out of bounds (limit above STANDINGS_PAGE_MAX).`,
      404: noRoom,
      410: DELETED,
      429: codeMisses,
    },
  },
  {
    method: 'post',
    path: '/rooms/{code}/players',
    operationId: 'joinRoom',
    tag: 'rooms',
    auth: 'optional-user',
    summary: 'Join a room as a player',
    description:
      'Anyone may join as a guest; with a user token the player is also tied to the account. ' +
      'Nicknames are 1–20 characters after NFKC and trimming, without control, bidi or invisible characters or markup, unique in the room by their look-alike skeleton (case, spaces and confusable letters aside), and refused by the profanity filter or the word list (NICKNAME_PROFANITY_FILTER, NICKNAME_BLOCKLIST).',
    body: { Join },
    answer: { status: 201, schema: { Joined }, description: 'A player token for the socket.' },
    errors: {
      400: `${badBody} Or ${badCode} Or \`NICKNAME_REJECTED\`: the nickname holds a word on the list.`,
      401: "`UNAUTHORIZED`: an `Authorization` header with a bad token (send none to join as a guest), or a user token whose account is gone or was issued before the account's password changed (not checked when PostgreSQL does not answer within a second, POSTGRES_CHECK_WAIT_MS, nor for POSTGRES_CHECK_RETRY_MS after such a miss).",
      403:
        "`PASSPHRASE_REQUIRED`: the room is private and no `passphrase` was sent; `WRONG_PASSPHRASE`: not the room's passphrase " +
        '(wrong ones are counted per address and room, RATE_LIMIT_PASSPHRASE_ADDRESS).',
      404: noRoom,
      409: '`NICKNAME_TAKEN`; `ROOM_LOCKED`: the host has locked the room; `ROOM_FULL`: the room holds its `maxPlayers` (ROOM_MAX_PLAYERS); or `ROOM_NOT_JOINABLE`: the room has ended.',
      410: DELETED,
      429:
        '`RATE_LIMITED`: too many joins from this address (RATE_LIMIT_JOIN_ADDRESS), too many wrong passphrases for this room ' +
        '(RATE_LIMIT_PASSPHRASE_ADDRESS), or too many room codes that name no room (RATE_LIMIT_ROOM_MISSES_ADDRESS); see `Retry-After`.',
    },
  },
  hostControl(
    'start',
    'startRoom',
    'Start the game',
    'Opens question 0 with an absolute `deadlineAt`; the worker runs the clock from there.',
    'the room is not in the lobby',
  ),
  hostControl(
    'pause',
    'pauseRoom',
    'Pause the question or reveal in hand',
    "The phase becomes `paused`, keeping the time it had left (`paused.remainingMs`). No tick fires and no answer is taken while paused; the pause does not count against anyone's answer speed.",
    'the room is not in a question or a reveal',
  ),
  hostControl('resume', 'resumeRoom', 'Resume a paused game', 'The paused phase goes on with the time it had left, from now.', 'the room is not paused'),
  hostControl(
    'skip',
    'skipRoom',
    'Skip ahead',
    'In a question: close it now and show the reveal (answers given so far count). In a reveal: go on to the next question, or finish after the last.',
    'the room is not in a question or a reveal (resume a paused room first)',
  ),
  hostControl(
    'end',
    'endRoom',
    'End the game early',
    'A room in the lobby is cancelled. A running game finishes now: answers given to the open question count, and the results are saved as for any finished game.',
    'the room has already ended',
  ),
  hostControl(
    'lock',
    'lockRoom',
    'Lock joining',
    'Nobody new can join (`ROOM_LOCKED`); players already in may reconnect. The game goes on. It moves no phase, so it names no `version`.',
    'the room has ended',
    false,
  ),
  hostControl('unlock', 'unlockRoom', 'Unlock joining', 'Players may join again, also while the game runs (late join).', 'the room has ended', false),
  {
    method: 'post',
    path: '/rooms/{code}/again',
    operationId: 'playAgain',
    tag: 'rooms',
    auth: 'host',
    summary: 'Play again with the same players',
    description:
      'Once a game has finished, its host makes a new room with the same settings (it goes through `building` to `lobby` like any new room). ' +
      'Every player connected to the finished room is joined to the new one under the same nickname and account, and gets `room:next` ' +
      'on the socket with a token for it; players not connected can join with the new code. Once per finished room. ' +
      'Counts against the rooms a user may create (RATE_LIMIT_ROOMS_USER, HOST_MAX_OPEN_ROOMS). `Location` names the new room.',
    answer: { status: 201, schema: { PlayedAgain }, description: 'The new room, its code and host token, and how many players moved.' },
    errors: {
      400: badCode,
      401: `${HOST_TOKEN_REFUSED} Or the host's account no longer exists (read with the bank, when PostgreSQL answers).`,
      403: HOST_ONLY,
      404: noRoom,
      409:
        '`ROOM_NOT_FINISHED`: the game has not finished (still running, or cancelled or failed); `ALREADY_PLAYED_AGAIN`: it was played again already (the detail names the new room); `TOO_MANY_ROOMS`; or ' +
        `${NOT_ENOUGH_QUESTIONS}.`,
      410: DELETED,
      429: `${TOO_MANY_CREATED}; see \`Retry-After\`.`,
      503: NO_FREE_ROOM_CODE,
    },
  },
  {
    method: 'post',
    path: '/rooms/{code}/host-token',
    operationId: 'reissueHostToken',
    tag: 'rooms',
    auth: 'user',
    summary: "A new host token for the room's host",
    description:
      "The account that made the room gets a new host token for it, with its user token. A password change refuses the room's " +
      'older host tokens (controls answer 401, the socket refuses the host screen): the host goes on with this one, the game ' +
      'untouched. Any room not deleted, ended ones too (for playing again).',
    answer: { status: 200, schema: { HostTokenReissued }, description: 'The room code and its new host token.' },
    errors: {
      400: badCode,
      401: noAccount,
      403: '`FORBIDDEN`: the account did not make this room, or a host or player token (this needs the user token of the account that made it).',
      404: noRoom,
      410: DELETED,
    },
  },
  {
    method: 'get',
    path: '/rooms/{code}/players',
    operationId: 'listRoomPlayers',
    tag: 'rooms',
    auth: 'host',
    summary: "The room's players, for the host",
    description: 'Everyone in the room by rank, with the `playerId` a kick needs, whether they are connected now, and their score as of the last reveal.',
    answer: { status: 200, schema: { RoomPlayers }, description: 'The players.' },
    errors: { 400: badCode, 401: HOST_TOKEN_REFUSED, 403: HOST_ONLY, 404: noRoom, 410: DELETED },
  },
  {
    method: 'delete',
    path: '/rooms/{code}/players/{playerId}',
    operationId: 'kickPlayer',
    tag: 'rooms',
    auth: 'host',
    summary: 'Kick a player',
    description:
      'The player leaves the room and its standings, their open connections get `room:closed` (`reason: "kicked"`) and close, ' +
      'and their token is refused from then on (`KICKED`). Their nickname stays taken; their answer to the open question no longer counts, and if everyone left has answered, the question closes.',
    answer: { status: 200, schema: { RoomView }, description: 'The room after the kick.' },
    errors: {
      400: `${badCode} Or the player id is malformed.`,
      401: HOST_TOKEN_REFUSED,
      403: HOST_ONLY,
      404: `${noRoom} Or \`NOT_FOUND\`: no such player in the room.`,
      409: '`INVALID_TRANSITION`: the room has ended.',
      410: DELETED,
    },
  },
];
