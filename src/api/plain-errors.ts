import { z } from 'zod';

type Issue = Parameters<z.core.$ZodErrorMap>[0];

const unit = (origin: unknown, n: number) =>
  origin === 'string' ? (n === 1 ? 'character' : 'characters') : origin === 'array' || origin === 'set' ? (n === 1 ? 'item' : 'items') : '';

/**
 * Zod's messages in plain words ("must not be empty", "must be at most 40 characters") for every
 * schema that does not word its own: a 400 names the field, and the web client shows the message
 * beside it, so no schema internals ("Too small: expected string to have >=1 characters") reach a person.
 */
export function plainWords(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string' && min === 1) return 'must not be empty';
      const u = unit(issue.origin, min);
      return u ? `must be at least ${min} ${u}` : `must be ${min} or more`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      const u = unit(issue.origin, max);
      return u ? `must be at most ${max} ${u}` : `must be ${max} or less`;
    }
    case 'invalid_format':
      return issue.format === 'email' ? 'must be an email address' : issue.format === 'url' ? 'must be a web address' : `must be a valid ${issue.format}`;
    case 'invalid_value':
      return issue.input === undefined
        ? `is required, one of: ${issue.values.map(String).join(', ')}`
        : `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return `has unknown fields: ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
}

/** Installed once for the process: zod's error map is global by design. */
export function usePlainErrorMessages(): void {
  z.config({ customError: plainWords });
}
