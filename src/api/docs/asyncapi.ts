import type { z } from 'zod';
import { ConnectRefusal } from '../../shared/connect-refusal';
import { ErrorBody, ErrorCode } from '../../shared/error-codes';
import { type ClientToServerEvents, SOCKET_EVENT_SCHEMAS, type ServerToClientEvents } from '../../shared/socket-events';
import { type JsonSchema, jsonSchemasOf, packageVersion } from './json-schema';

type Ref = { $ref: string };

export interface AsyncApiDocument {
  asyncapi: '3.1.0';
  info: { title: string; version: string; description: string };
  defaultContentType: 'application/json';
  servers: Record<string, { host: string; protocol: 'ws'; pathname: string; description: string }>;
  channels: Record<string, { address: string; description: string; messages: Record<string, Ref> }>;
  operations: Record<string, { action: 'send' | 'receive'; channel: Ref; summary: string; messages: Ref[]; reply?: { channel: Ref; messages: Ref[] } }>;
  components: { schemas: Record<string, JsonSchema>; messages: Record<string, { name: string; title: string; summary: string; payload?: Ref }> };
}

const ANSWER_REFUSALS = [
  ErrorCode.AlreadyAnswered,
  ErrorCode.TooLate,
  ErrorCode.WrongQuestion,
  ErrorCode.NotAcceptingAnswers,
  ErrorCode.InvalidChoice,
  ErrorCode.WrongAnswerType,
  ErrorCode.BadRequest,
  ErrorCode.NotAPlayer,
  ErrorCode.RoomNotFound,
  ErrorCode.Internal,
];

/** What the server sends, in words; keyed by the event map, so an event added there and not here does not compile. */
const SENT: Record<keyof ServerToClientEvents, string> = {
  'room:view':
    'The public room view, the same for everyone and of the same size whatever the room: counts and the top of the leaderboard ' +
    '(VIEW_LEADERBOARD_SIZE), never every player (GET /rooms/{code}/standings pages them). At once on connect, then on every change, ' +
    'as one broadcast. Never a correct answer before the reveal.',
  'room:you': "This player's own state (score, rank, streak, answer): on connect, then when it changed; `correct` and `points` only after the reveal.",
  'room:countdown': 'Every 2 s in a timed phase; the answered count moves once per tick.',
  'room:closed':
    'The connection ends for good: the game ended, another connection took this token over, the host kicked the player, or (`lost`) the ' +
    "server lost the room's live state mid-game, said within SOCKET_LOST_ROOM_CHECK_MS (2 s) with a `message` to show; the server then closes the connection.",
  'room:next':
    'The host played again with the same players (POST /rooms/{code}/again): sent once to every player connected to the finished room, with a token for the new room, where they are already in with the same nickname.',
  'server:restarting': 'This socket instance is shutting down; the client reconnects by itself and gets the current view.',
};

const RECEIVED: Record<keyof ClientToServerEvents, string> = {
  'answer:submit':
    'Answer the open question; the first answer counts, timed by the server from when it sent this player the question to when ' +
    'the answer arrived (receivedAt), less a capped latency allowance; an optional reactionMs is used only within it (docs/game.md, "Timing"). ' +
    "Every event spends from the socket's budget (RATE_LIMITED past it). The ack is the Socket.IO " +
    `acknowledgement; a refusal's code is one of ${ANSWER_REFUSALS.join(', ')}, and changes nothing. ` +
    `${ErrorCode.NotAcceptingAnswers} means not now, and is not final: no question is open, the host paused before the answer arrived ` +
    '(one that arrived before the pause counts), or it arrived before the question opened.',
  'room:sync':
    'Ask for the current state again; acked with the view the socket process holds for the current version and, for a player, ' +
    'their own state: a few reads whatever the room size.',
};

const DESCRIPTION = `The Socket.IO contract of quizloop's socket process: the events a client receives and sends, and their payloads.

- **Connect** with \`io(url, { auth: { token } })\`, a player token from \`POST /rooms/{code}/players\` or a host token from \`POST /rooms\` (see /openapi.json). A refused handshake gets \`connect_error\` with \`data\` \`{code, message, retryAfter?}\` (the ConnectRefusal schema); Socket.IO's client does not retry a refused handshake by itself. \`UNAUTHORIZED\`, \`FORBIDDEN\`, \`ROOM_NOT_FOUND\`, \`NOT_A_PLAYER\` and \`KICKED\` are final (this token will never get in); \`RATE_LIMITED\` carries \`retryAfter\`, the seconds to wait before connecting again: every player (or host) of a room may connect at most SOCKET_CONNECTS_PER_PLAYER times a window (30 in 60 s by default) over every socket process, and one just dropped for flooding events waits out a refill; \`INTERNAL\`: try again in a moment. A second connection with the same token replaces the first (\`room:closed\`, reason \`replaced\`).
- **Acks** are Socket.IO acknowledgements: \`{ok: true, ...}\` or \`{ok: false, error: {code, message}}\`, described here as each operation's reply.
- The payload schemas are generated from the zod schemas the server validates and builds with (src/shared/socket-events.ts); TypeScript clients import the typed event maps from the package (\`quizloop/client\`).`;

const SCHEMAS = '#/components/schemas/';
const MESSAGES = '#/components/messages/';
const CHANNEL = 'room';

/** `room:view` → `roomView`: AsyncAPI's component keys allow no colon. */
const key = (event: string) => event.replace(/[:-]+(\w)/g, (_, c: string) => c.toUpperCase());
const pascal = (event: string) => key(event).replace(/^\w/, (c) => c.toUpperCase());

/** The AsyncAPI 3 document of the socket process, generated from the zod schemas of the Socket.IO event maps. */
export function buildAsyncApiDocument(): AsyncApiDocument {
  const schemas: Record<string, z.ZodType> = { ErrorBody, ConnectRefusal };
  const messages: AsyncApiDocument['components']['messages'] = {};
  const operations: AsyncApiDocument['operations'] = {};
  const channelMessages: Record<string, Ref> = {};
  const channelRef = { $ref: `#/channels/${CHANNEL}` };

  /** A message of the room channel; its payload schema is a component named like the message, in PascalCase. */
  const message = (id: string, name: string, summary: string, schema: z.ZodType | null): Ref => {
    const schemaName = id.replace(/^\w/, (c) => c.toUpperCase());
    if (schema) schemas[schemaName] = schema;
    messages[id] = { name, title: name, summary, ...(schema ? { payload: { $ref: SCHEMAS + schemaName } } : {}) };
    channelMessages[id] = { $ref: MESSAGES + id };
    return { $ref: `#/channels/${CHANNEL}/messages/${id}` };
  };

  for (const [event, schema] of Object.entries(SOCKET_EVENT_SCHEMAS.serverToClient)) {
    const summary = SENT[event as keyof ServerToClientEvents];
    operations[`send${pascal(event)}`] = { action: 'send', channel: channelRef, summary, messages: [message(key(event), event, summary, schema)] };
  }
  for (const [event, { payload, ack }] of Object.entries(SOCKET_EVENT_SCHEMAS.clientToServer)) {
    const summary = RECEIVED[event as keyof ClientToServerEvents];
    const request = message(key(event), event, summary, payload);
    const reply = message(`${key(event)}Ack`, `${event} ack`, `The acknowledgement of \`${event}\`.`, ack);
    operations[`receive${pascal(event)}`] = {
      action: 'receive',
      channel: channelRef,
      summary,
      messages: [request],
      reply: { channel: channelRef, messages: [reply] },
    };
  }

  return {
    asyncapi: '3.1.0',
    info: { title: 'quizloop socket', version: packageVersion(), description: DESCRIPTION },
    defaultContentType: 'application/json',
    servers: {
      socket: {
        host: 'localhost:3001',
        protocol: 'ws',
        pathname: '/socket.io/',
        description:
          'The api itself (same origin, path /socket.io) unless SOCKETS_ON_API=false; separate socket processes (SOCKET_PORT, 3001 by default) serve the same contract. Socket.IO (Engine.IO 4) over WebSocket or HTTP long-polling.',
      },
    },
    channels: {
      [CHANNEL]: {
        address: '/',
        description: "The default namespace. The server puts each connection in its room's group from the token; a client never joins or leaves one itself.",
        messages: channelMessages,
      },
    },
    operations,
    // As the server builds them; what a client sends (AnswerSubmit) has no default or transform, so it reads the same as input.
    components: { schemas: jsonSchemasOf(schemas, 'output', SCHEMAS, 'draft-7'), messages },
  };
}
