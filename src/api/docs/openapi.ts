import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH, ROOM_CODE_PATTERN } from '../../game/room-code';
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_MS, TIMESTAMP_HEADER } from '../../shared/webhooks';
import { BOARD_NAMES } from '../../store/leaderboard-store';
import { type Auth, type OperationSpec, type Tag, operations, requestSchemas, responseSchemas } from './openapi-operations';
import { historyAndLeaderboardOperations } from './openapi-operations-leaderboards';
import { type SocketContract, socketContract } from './openapi-socket';

type JsonSchema = z.core.JSONSchema.BaseSchema;

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
  'x-socket-io': SocketContract;
}

const COMPONENTS = '#/components/schemas/';
const ref = (component: string): JsonSchema => ({ $ref: COMPONENTS + component });

const DESCRIPTION = `Live multiplayer trivia: a host creates a room, players join with its code, and the game runs on the server's clock.

- **Errors** are \`application/problem+json\` (RFC 9457) with a machine-readable \`code\`.
- **Tokens** are HS256 JWTs sent as \`Authorization: Bearer <token>\`: a user token from sign-in, a host token per room from \`POST /rooms\`, and a player token per room from \`POST /rooms/{code}/players\`, which is for the socket only.
- **Playing** happens over Socket.IO on the socket process; \`x-socket-io\` in this document lists its events and payloads.`;

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
    type: 'apiKey', in: 'header', name: SIGNATURE_HEADER,
    description: `\`sha256=<hex HMAC-SHA256 of "<${TIMESTAMP_HEADER}>.<raw body>">\`, keyed with WEBHOOK_SECRET. Only the worker holds the key.`,
  },
  webhookTimestamp: {
    type: 'apiKey', in: 'header', name: TIMESTAMP_HEADER,
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
    name: 'code', in: 'path', required: true, example: 'K7QM2X', schema: { type: 'string', pattern: ROOM_CODE_PATTERN },
    description: `The room code: ${ROOM_CODE_LENGTH} of \`${ROOM_CODE_ALPHABET}\` (lower case is accepted too).`,
  },
  id: { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: 'The `gameId` of the room.' },
  playerId: {
    name: 'playerId', in: 'path', required: true, example: 'p_Xq3vN0aB9kLm', schema: { type: 'string', pattern: '^p_[A-Za-z0-9_-]{12}$' },
    description: 'A player id, as `POST /rooms/{code}/players` gave it (it is also `playerId` in the player\'s `room:you`).',
  },
  questionId: { name: 'questionId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 }, description: 'The id of a question in the bank.' },
  categoryId: { name: 'categoryId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 }, description: 'The id of a category.' },
  board: { name: 'board', in: 'path', required: true, schema: { type: 'string', enum: [...BOARD_NAMES] }, description: 'Which leaderboard.' },
  userId: { name: 'userId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, description: 'A user id, as the boards list it.' },
};

/** The OpenAPI 3.1 document of the api's REST endpoints, generated from the zod schemas the routes use. */
export function buildOpenApiDocument(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const spec of [...operations, ...historyAndLeaderboardOperations]) paths[spec.path] = { ...paths[spec.path], [spec.method]: operation(spec) };
  return {
    openapi: '3.1.0',
    info: { title: 'quizloop api', version: packageVersion(), description: DESCRIPTION },
    servers: [{ url: '/' }],
    tags: TAGS,
    paths,
    components: {
      // Requests as their input (a field with a default is optional), answers as their output.
      schemas: { ...componentSchemas(requestSchemas, 'input'), ...componentSchemas(responseSchemas, 'output') },
      securitySchemes: SECURITY_SCHEMES,
    },
    'x-socket-io': socketContract(ref),
  };
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
    const { $schema: _, description = '', ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', override: dropSafeIntegerBounds });
    return { name, in: 'query', required: !schema.safeParse(undefined).success, description, schema: json };
  });
}

function requestBody(name: keyof typeof requestSchemas, csv: string | undefined): Operation['requestBody'] {
  // The routes parse a missing body as {}, so a body whose every field has a default may be left out.
  const required = !requestSchemas[name].safeParse({}).success;
  const content: Content = { 'application/json': { schema: ref(name) } };
  if (csv) content['text/csv'] = { schema: { type: 'string', description: csv } };
  return { required, content };
}

function responses({ answer, errors }: OperationSpec): Operation['responses'] {
  const content: Content | undefined = 'schema' in answer
    ? { 'application/json': { schema: ref(answer.schema) } }
    : 'mediaType' in answer ? { [answer.mediaType]: { schema: { type: 'string' } } } : undefined;
  const out: Operation['responses'] = { [answer.status]: { description: answer.description, content } };
  for (const [status, description] of Object.entries(errors)) {
    out[status] = { description, content: { 'application/problem+json': { schema: ref('Problem') } } };
  }
  return out;
}

function componentSchemas(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, { io, uri: (id) => COMPONENTS + id, override: dropSafeIntegerBounds });
  // Each comes out as a document of its own; inside `components` its `$schema` and `$id` would only mislead.
  return Object.fromEntries(Object.entries(generated.schemas).map(([id, { $schema: _, $id: __, ...schema }]) => [id, schema]));
}

/** `z.number().int()` carries ±(2^53 - 1) bounds, which tell a reader nothing. */
function dropSafeIntegerBounds({ jsonSchema }: { jsonSchema: JsonSchema }): void {
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

/** package.json sits three levels up from src/api/docs, four from dist/src/api/docs. */
function packageVersion(): string {
  const candidates = [path.resolve(__dirname, '../../../package.json'), path.resolve(__dirname, '../../../../package.json')];
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new Error(`package.json not found at ${candidates.join(' or ')}`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
