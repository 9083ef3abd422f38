import type { z } from 'zod';
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH, ROOM_CODE_PATTERN } from '../../game/room-code';
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_MS, TIMESTAMP_HEADER } from '../../shared/webhooks';
import { accountOperations } from '../auth/account.openapi';
import { authOperations } from '../auth/auth.openapi';
import { historyOperations } from '../history/history.openapi';
import { internalOperations } from '../internal/internal.openapi';
import { BoardName } from '../leaderboards/leaderboards.schemas';
import { leaderboardsOperations } from '../leaderboards/leaderboards.openapi';
import { type Auth, BODY_ERRORS, type Named, type OperationSpec, type Tag } from '../operation-spec';
import { opsOperations } from '../ops/ops.openapi';
import { categoriesOperations } from '../questions/categories.openapi';
import { questionsOperations } from '../questions/questions.openapi';
import { roomsOperations } from '../rooms/rooms.openapi';
import { PlayerIdParam, Problem } from '../schemas';
import { webOperations } from '../web/web.openapi';
import { type JsonSchema, jsonSchemaOf, jsonSchemasOf, packageVersion } from './json-schema';

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description: string;
  schema: JsonSchema;
  example?: string;
}
interface Content {
  [mediaType: string]: { schema: JsonSchema };
}
interface Response {
  description: string;
  content?: Content;
}
export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: Tag[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: Content };
  responses: Record<string, Response>;
}
type SecurityScheme =
  | { type: 'http'; scheme: 'bearer'; bearerFormat: 'JWT'; description: string }
  | { type: 'apiKey'; in: 'header'; name: string; description: string };

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: Tag; description: string }[];
  paths: Record<string, Partial<Record<OperationSpec['method'], Operation>>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, SecurityScheme> };
}

/** Every REST operation of the api, each declared in its feature folder beside its routes, in the order the docs page lists them. */
export const OPERATIONS: readonly OperationSpec[] = [
  ...opsOperations,
  ...authOperations,
  ...accountOperations,
  ...categoriesOperations,
  ...questionsOperations,
  ...roomsOperations,
  ...historyOperations,
  ...leaderboardsOperations,
  ...webOperations,
  ...internalOperations,
];

const COMPONENTS = '#/components/schemas/';
const ref = (component: string): JsonSchema => ({ $ref: COMPONENTS + component });

const DESCRIPTION = `Live multiplayer trivia: a host creates a room, players join with its code, and the game runs on the server's clock.

- **Errors** are \`application/problem+json\` (RFC 9457) with a machine-readable \`code\`.
- **Tokens** are HS256 JWTs sent as \`Authorization: Bearer <token>\`: a user token from sign-in, a host token per room from \`POST /rooms\`, and a player token per room from \`POST /rooms/{code}/players\`, which is for the socket only.
- **Playing** happens over Socket.IO on the socket process; its events and payloads are an AsyncAPI 3 document at [/asyncapi.json](/asyncapi.json).`;

const TAGS: OpenApiDocument['tags'] = [
  { name: 'system', description: 'Liveness, readiness, metrics' },
  { name: 'auth', description: 'Accounts and user tokens' },
  { name: 'rooms', description: 'Create, join and start rooms' },
  { name: 'games', description: 'Results of finished games, and your own games' },
  { name: 'questions', description: 'The question bank: questions, categories, imports' },
  { name: 'leaderboards', description: 'All-time and weekly leaderboards of signed-in players' },
  { name: 'web', description: 'What the web client needs besides its files' },
  { name: 'internal', description: 'Webhooks the worker calls, HMAC-signed' },
];

const SECURITY_SCHEMES: Record<string, SecurityScheme> = {
  userToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A user token from `POST /auth/register` or `POST /auth/login`.' },
  hostToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A host token from `POST /rooms`, good for that room only.' },
  webhookSignature: {
    type: 'apiKey',
    in: 'header',
    name: SIGNATURE_HEADER,
    description: `\`sha256=<hex HMAC-SHA256 of "<${TIMESTAMP_HEADER}>.<raw body>">\`, keyed with WEBHOOK_SECRET. Only the worker holds the key.`,
  },
  webhookTimestamp: {
    type: 'apiKey',
    in: 'header',
    name: TIMESTAMP_HEADER,
    description: `Epoch ms of signing. A request more than ${SIGNATURE_TOLERANCE_MS / 60_000} minutes from the api's clock is refused, so a captured one cannot be replayed.`,
  },
};

const SECURITY: Record<Auth, Record<string, string[]>[]> = {
  user: [{ userToken: [] }],
  host: [{ hostToken: [] }],
  // The empty requirement makes the token optional.
  'optional-user': [{}, { userToken: [] }],
  webhook: [{ webhookSignature: [], webhookTimestamp: [] }],
};

const PATH_PARAMETERS: Record<string, Parameter> = {
  code: {
    name: 'code',
    in: 'path',
    required: true,
    example: 'K7QM2X',
    schema: { type: 'string', pattern: ROOM_CODE_PATTERN },
    description: `The room code: ${ROOM_CODE_LENGTH} of \`${ROOM_CODE_ALPHABET}\` (lower case is accepted too).`,
  },
  id: { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: 'The `gameId` of the room.' },
  playerId: {
    name: 'playerId',
    in: 'path',
    required: true,
    example: 'p_Xq3vN0aB9kLm',
    schema: jsonSchemaOf(PlayerIdParam, 'input'),
    description: "A player id, as `POST /rooms/{code}/players` gave it (it is also `playerId` in the player's `room:you`).",
  },
  questionId: { name: 'questionId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 }, description: 'The id of a question in the bank.' },
  categoryId: { name: 'categoryId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 }, description: 'The id of a category.' },
  board: { name: 'board', in: 'path', required: true, schema: jsonSchemaOf(BoardName, 'input'), description: 'Which leaderboard.' },
  userId: { name: 'userId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: 'A user id, as the boards list it.' },
};

/** The OpenAPI 3.1 document of the api's REST endpoints, generated from the zod schemas the routes use. */
export function buildOpenApiDocument(operations: readonly OperationSpec[] = OPERATIONS): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const spec of operations) paths[spec.path] = { ...paths[spec.path], [spec.method]: operation(spec) };
  const { requests, responses } = namedSchemas(operations);
  return {
    openapi: '3.1.0',
    info: { title: 'quizloop api', version: packageVersion(), description: DESCRIPTION },
    servers: [{ url: '/' }],
    tags: TAGS,
    paths,
    components: {
      // Requests as their input (a field with a default is optional), answers as their output.
      schemas: { ...componentSchemas(requests, 'input'), ...componentSchemas(responses, 'output') },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

/** The one name and schema of `{ RoomSettings }`. */
function nameOf(named: Named): [string, z.ZodType] {
  const entries = Object.entries(named);
  const [entry] = entries;
  if (!entry || entries.length > 1) throw new Error(`a component is one schema under its name, not ${entries.length}`);
  return entry;
}

/** Every schema the operations name, as a request or as an answer; one name is one schema. */
function namedSchemas(operations: readonly OperationSpec[]) {
  const requests: Record<string, z.ZodType> = {};
  const responses: Record<string, z.ZodType> = { Problem };
  const add = (into: Record<string, z.ZodType>, named: Named) => {
    const [name, schema] = nameOf(named);
    const taken = requests[name] ?? responses[name];
    if (taken && taken !== schema) throw new Error(`two schemas are named ${name}`);
    into[name] = schema;
  };
  for (const spec of operations) {
    if (spec.body) add(requests, spec.body);
    if ('schema' in spec.answer) add(responses, spec.answer.schema);
  }
  for (const name of Object.keys(requests)) if (name in responses) throw new Error(`${name} is both a request and an answer`);
  return { requests, responses };
}

function operation(spec: OperationSpec): Operation {
  const parameters = [...spec.path.matchAll(/\{(\w+)\}/g)].map(([, name = '']) => {
    const parameter = PATH_PARAMETERS[name];
    if (!parameter) throw new Error(`${spec.operationId}: no description for the path parameter {${name}}`);
    return parameter;
  });
  parameters.push(...queryParameters(spec.query));
  // Keys left undefined are dropped when the document is sent.
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description,
    tags: [spec.tag],
    security: spec.auth && SECURITY[spec.auth],
    parameters: parameters.length ? parameters : undefined,
    requestBody: spec.body && requestBody(spec.body, spec.csvBody),
    responses: responses(spec),
  };
}

/** Each field of a query schema as a parameter; one with a default, or optional, may be left out. */
function queryParameters(query: OperationSpec['query']): Parameter[] {
  return Object.entries(query?.shape ?? {}).map(([name, schema]) => {
    const { description = '', ...json } = jsonSchemaOf(schema, 'input');
    return { name, in: 'query', required: !schema.safeParse(undefined).success, description, schema: json };
  });
}

function requestBody(body: Named, csv: string | undefined): Operation['requestBody'] {
  const [name, schema] = nameOf(body);
  // The routes parse a missing body as {}, so a body whose every field has a default may be left out.
  const required = !schema.safeParse({}).success;
  const content: Content = { 'application/json': { schema: ref(name) } };
  if (csv) content['text/csv'] = { schema: { type: 'string', description: csv } };
  return { required, content };
}

function responses({ answer, errors, body, auth }: OperationSpec): Operation['responses'] {
  const content: Content | undefined =
    'schema' in answer
      ? { 'application/json': { schema: ref(nameOf(answer.schema)[0]) } }
      : 'mediaType' in answer
        ? { [answer.mediaType]: { schema: { type: 'string' } } }
        : undefined;
  const out: Operation['responses'] = { [answer.status]: { description: answer.description, content } };
  // The worker's webhooks are not the clients' to get wrong.
  for (const [status, description] of Object.entries(body && auth !== 'webhook' ? { ...BODY_ERRORS, ...errors } : errors)) {
    out[status] = { description, content: { 'application/problem+json': { schema: ref('Problem') } } };
  }
  return out;
}

function componentSchemas(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  return jsonSchemasOf(schemas, io, COMPONENTS);
}
