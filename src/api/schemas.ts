import { z } from 'zod';
import { ErrorCode } from '../shared/error-codes';
import { plainText } from '../shared/plain-text';
import { RoomPhase, RoomSettings, RoomView } from '../shared/room';
import { isCommonPassword } from './auth/common-passwords';
import { Nickname } from './validation';

/**
 * REST request and answer shapes, one place. The routes parse requests with these schemas, their
 * answers are typed by them, and the OpenAPI document (openapi.ts) is generated from them.
 */

const Email = plainText().max(254).trim().toLowerCase().pipe(z.email()).describe('An email address; case and surrounding spaces do not matter.');

/** A password an account takes, at registration or a change. */
const NewPassword = (field: string) =>
  z
    .string()
    .min(8, `${field} must be at least 8 characters`)
    .max(200)
    .refine((p) => !isCommonPassword(p), `${field} is one of the most common passwords; choose one that is not`)
    .describe('8–200 characters, any you like (spaces and every script welcome), not one of the ~49,000 most common passwords (NIST SP 800-63B).');

/** A password as typed to prove it is the account's own; only its length is checked. */
const GivenPassword = z.string().min(1).max(200);

export const Register = z.object({
  email: Email,
  password: NewPassword('password'),
  displayName: plainText().trim().min(1).max(40),
});

export const Login = z.object({ email: Email, password: GivenPassword });

/** POST /me/password. */
export const ChangePassword = z.object({
  currentPassword: GivenPassword.describe("The account's password now."),
  newPassword: NewPassword('newPassword'),
});

/** DELETE /me: the password, so that a token left in a browser cannot delete the account alone. */
export const DeleteAccount = z.object({ password: GivenPassword.describe("The account's password.") });

const Passphrase = plainText().min(4).max(100);

/** POST /rooms: the room's settings, and the join passphrase that makes it private (kept only hashed). */
export const CreateRoom = RoomSettings.extend({
  passphrase: Passphrase.optional().describe('4–100 characters players must give to join; left out: anyone with the code may join.'),
});

export const Join = z.object({
  nickname: Nickname,
  passphrase: z.string().max(100).optional().describe("The room's join passphrase, when its view says `passphraseRequired`."),
});

/** PUT /games/{id}/visibility: who may read a saved game's results, as its host chooses. */
export const GameVisibility = z.object({
  resultsPublic: z.boolean().describe("true: anyone may read the results; false: only the game's host, its players and admins."),
});
export const GameVisibilitySet = z.object({ gameId: z.string(), resultsPublic: z.boolean() });
export type GameVisibilitySet = z.infer<typeof GameVisibilitySet>;

export { HostControl } from '../shared/host-control';

export const PlayerIdParam = z.string().regex(/^p_[A-Za-z0-9_-]{12}$/, 'a player id as given at join, p_ and 12 characters');

export const Health = z.object({ status: z.literal('ok') });

export const Ready = z.object({
  status: z.literal('ready'),
  checks: z.record(z.string(), z.string()).describe('Each dependency: "ok", or what went wrong.'),
});

export const ClientConfig = z.object({
  socketUrl: z.string().nullable().describe('Where browsers reach Socket.IO; null: this origin, or this host at `socketPort` when that is set.'),
  socketPort: z.number().int().nullable().describe('null: the api serves Socket.IO itself (same origin).'),
  joinUrl: z.string().describe('Where players open the game (PUBLIC_URL, else the LAN address when the page uses localhost): for join links and QR codes.'),
});

export const PublicUser = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(['player', 'admin']),
});

/** GET /me: the account, never its password hash. */
export const Account = PublicUser.extend({ createdAt: z.string().describe('When the account was created (ISO 8601).') });
export type Account = z.infer<typeof Account>;

/** What register and login answer: a user token, good for 7 days, and the account. */
export const AuthAnswer = z.object({ token: z.string(), user: PublicUser });
export type AuthAnswer = z.infer<typeof AuthAnswer>;

export const Categories = z.object({
  categories: z
    .array(
      z.object({
        id: z.number().int(),
        category: z.string().describe('The name, as rooms ask for it in `category`.'),
        createdBy: z.string().nullable().describe('The user who created it; null for the starter bank.'),
        shared: z.boolean().describe("true: everybody's (the starter bank's, or made by an admin); false: its creator's alone."),
        easy: z.number().int(),
        medium: z.number().int(),
        hard: z.number().int(),
        total: z.number().int(),
      }),
    )
    .describe('One page, by name: the categories holding a question you may ask (public ones, and your own), and the ones you made.'),
  total: z.number().int().describe('How many such categories there are, over all pages.'),
  limit: z.number().int(),
  offset: z.number().int(),
});
export type Categories = z.infer<typeof Categories>;

/** A page of a room's standings; `limit` at most STANDINGS_PAGE_MAX (default 100, also when left out). */
export const StandingsQuery = z.object({
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0).describe('Ranks to skip: the page starts at rank offset + 1.'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('Ranks in the page; at most STANDINGS_PAGE_MAX (default 100, also when left out).'),
});

export const CreatedRoom = z.object({
  code: z.string(),
  gameId: z.string(),
  hostToken: z.string().describe('Good for this room only: start it, and connect the host screen to the socket.'),
  room: RoomView,
});
export type CreatedRoom = z.infer<typeof CreatedRoom>;

export const PlayedAgain = CreatedRoom.extend({
  movedPlayers: z.number().int().describe('How many players of the finished room were connected, and so were moved into this one.'),
});
export type PlayedAgain = z.infer<typeof PlayedAgain>;

export const HostTokenReissued = z.object({
  code: z.string(),
  hostToken: z.string().describe("The room's new host token: its older ones, from before the account's password changed, are refused."),
});
export type HostTokenReissued = z.infer<typeof HostTokenReissued>;

export const Joined = z.object({
  playerId: z.string(),
  token: z.string().describe('A player token for this room only: connect to the socket with it.'),
  code: z.string(),
  nickname: z.string(),
});
export type Joined = z.infer<typeof Joined>;

/** The host's list of who is in the room, with the ids a kick needs. */
export const RoomPlayers = z.object({
  players: z.array(
    z.object({
      playerId: z.string(),
      nickname: z.string(),
      online: z.boolean().describe('Has at least one open connection now.'),
      score: z.number().describe('As of the last reveal.'),
      rank: z.number().int(),
    }),
  ),
});
export type RoomPlayers = z.infer<typeof RoomPlayers>;

/** What a webhook answers; `questionIndex` only from `advance`. */
export const WebhookAnswer = z.object({
  phase: RoomPhase,
  version: z.number().int(),
  questionIndex: z.number().int().optional(),
});
export type WebhookAnswer = z.infer<typeof WebhookAnswer>;

/** Every REST error, as RFC 9457 problem details plus our machine-readable `code` (error-handler.ts). */
export const Problem = z.object({
  type: z.string().describe('urn:quizloop:problem:<code in kebab case>'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.enum(ErrorCode),
  instance: z.string().describe('The path of the request.'),
  errors: z
    .array(
      z.object({
        path: z.string(),
        message: z.string(),
        row: z.number().int().optional().describe('IMPORT_REJECTED: the row (CSV record number counting the header as 1; OpenTDB place in `results` from 1).'),
        field: z.string().nullable().optional().describe('IMPORT_REJECTED: the field at fault; null for the row as a whole.'),
      }),
    )
    .optional()
    .describe('On a 400 for a bad body: every bad field; on IMPORT_REJECTED every bad row and field.'),
  checks: z.record(z.string(), z.string()).optional().describe('On a 503 from /ready: each dependency, "ok" or what went wrong.'),
});
