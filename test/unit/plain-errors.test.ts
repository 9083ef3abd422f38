import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { usePlainErrorMessages } from '../../src/api/plain-errors';
import { Register } from '../../src/api/schemas';

usePlainErrorMessages();

const messages = (schema: z.ZodType, input: unknown) => {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the messages a refused request carries', () => {
  it('say what is wrong with each field in plain words', () => {
    const said = messages(Register, { displayName: '', email: 'nope', password: 'x' });

    expect(said).toHaveLength(3);
    expect(said).toEqual(
      expect.arrayContaining(['email: must be an email address', 'displayName: must not be empty', 'password: password must be at least 8 characters']),
    );
  });

  it('name a missing field, a wrong type, a bound and a choice without schema terms', () => {
    const schema = z.object({ count: z.number().int().min(1).max(50), mode: z.enum(['timed', 'first-correct']), name: z.string() });

    expect(messages(schema, { count: 99, mode: 'fast' })).toEqual([
      'count: must be 50 or less',
      'mode: must be one of: timed, first-correct',
      'name: is required',
    ]);
    expect(messages(schema, { count: 'ten', mode: 'timed', name: 'x' })).toEqual(['count: must be a number']);
    expect(messages(schema, { count: 1, name: 'x' })).toEqual(['mode: is required, one of: timed, first-correct']);
  });

  it('keep a message a schema words itself', () => {
    expect(messages(z.string().min(1, 'nickname must not be empty'), '')).toEqual([': nickname must not be empty']);
  });
});
