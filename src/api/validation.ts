import { z } from 'zod';
import { isRoomCode, normalizeRoomCode } from '../game/room-code';
import { isPlainText } from '../shared/plain-text';
import { AppError } from './app-error';

/** Parses with a schema, so a bad request becomes a 400 naming every bad field. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  return schema.parse(input ?? {});
}

/** A number from the query string (which arrives as text): an integer in bounds, or a 400 naming the bound. */
export const queryInt = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback).describe(`${min}–${max}, default ${fallback}.`);

/** PostgreSQL's `integer`, the type of the question bank's ids: a larger id names no row (and PostgreSQL would refuse it). */
const SERIAL_MAX = 2_147_483_647;

/** A question's or category's id from the path: a whole number from 1 to SERIAL_MAX, or a 400 naming `what`. */
export function serialIdParam(raw: unknown, what: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1 || id > SERIAL_MAX)
    throw AppError.badRequest(`"${String(raw)}" is not ${what} id (a whole number from 1 to ${SERIAL_MAX}).`);
  return id;
}

export function roomCodeParam(raw: unknown): string {
  const code = normalizeRoomCode(String(raw ?? ''));
  if (!isRoomCode(code)) throw AppError.badRequest(`"${String(raw)}" is not a room code (six letters and digits).`);
  return code;
}

/**
 * 1–20 characters after NFKC (full-width and other compatibility forms folded) and trimming; no
 * control, bidi, invisible or private-use characters, nor markup, since every screen in the room shows it.
 */
export const Nickname = z
  .string()
  .max(200)
  .transform((s) => s.normalize('NFKC').trim())
  .pipe(
    z
      .string()
      .min(1, 'nickname must not be empty')
      .max(20, 'nickname must be at most 20 characters')
      .refine((s) => isPlainText(s), 'nickname must not contain control, bidi or invisible characters')
      .refine((s) => !/[<>]/u.test(s), 'nickname must not contain < or >'),
  )
  // The docs show only the input (a string) of a transform, so they get the rules in words.
  .describe('1–20 characters after NFKC and trimming; no control, bidi or invisible characters, < or >; unique in the room by its look-alike skeleton.');
