import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** What both contract documents (OpenAPI and AsyncAPI) generate from the zod schemas: JSON Schema, draft 2020-12. */
export type JsonSchema = z.core.JSONSchema.BaseSchema;

/** One schema, inline. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any', override: dropSafeIntegerBounds });
  return json;
}

/**
 * Named schemas, each referring to the others by `refPrefix` + name rather than repeating them.
 * OpenAPI 3.1 takes draft 2020-12; AsyncAPI's own schema format is a superset of draft-07.
 */
export function jsonSchemasOf(
  schemas: Record<string, z.ZodType>,
  io: 'input' | 'output',
  refPrefix: string,
  target: 'draft-2020-12' | 'draft-7' = 'draft-2020-12',
): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, { io, target, uri: (id) => refPrefix + id, override: dropSafeIntegerBounds });
  // Each comes out as a document of its own; inside a components section its `$schema` and `$id` would only mislead.
  return Object.fromEntries(Object.entries(generated.schemas).map(([id, { $schema: _, $id: __, ...schema }]) => [id, schema]));
}

/** `z.number().int()` carries ±(2^53 - 1) bounds, which tell a reader nothing. */
function dropSafeIntegerBounds({ jsonSchema }: { jsonSchema: JsonSchema }): void {
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

/** package.json sits three levels up from src/api/docs, four from dist/src/api/docs. */
export function packageVersion(): string {
  const candidates = [path.resolve(__dirname, '../../../package.json'), path.resolve(__dirname, '../../../../package.json')];
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new Error(`package.json not found at ${candidates.join(' or ')}`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
