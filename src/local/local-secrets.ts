import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const NAMES = ['JWT_SECRET', 'WEBHOOK_SECRET'] as const;

/**
 * Outside production, a secret left unset is made once per data directory and kept in
 * DATA_DIR/secrets.json (mode 0600): the processes started from one checkout agree on it, and no
 * secret printed in this repository signs tokens or webhooks for a server on a LAN.
 */
export function withLocalSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.NODE_ENV === 'production' || NAMES.every((name) => env[name])) return env;
  const file = path.join(env.DATA_DIR || '.data', 'secrets.json');
  const kept = readOrCreate(file);
  return { ...env, ...Object.fromEntries(NAMES.map((name) => [name, env[name] || kept[name]])) };
}

function readOrCreate(file: string): Record<(typeof NAMES)[number], string> {
  mkdirSync(path.dirname(file), { recursive: true });
  const made = Object.fromEntries(NAMES.map((name) => [name, randomBytes(32).toString('hex')])) as Record<(typeof NAMES)[number], string>;
  // Written whole, then linked into place: of two processes starting together, one makes the file and the
  // other reads it complete (a link fails when the name exists).
  const draft = `${file}.${process.pid}.tmp`;
  writeFileSync(draft, `${JSON.stringify(made, null, 2)}\n`, { mode: 0o600 });
  try {
    linkSync(draft, file);
    return made;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    rmSync(draft, { force: true });
  }
  let kept: unknown;
  try {
    kept = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    kept = null;
  }
  const valid = (v: unknown): v is Record<(typeof NAMES)[number], string> =>
    typeof v === 'object' &&
    v !== null &&
    NAMES.every((name) => typeof (v as Record<string, unknown>)[name] === 'string' && ((v as Record<string, string>)[name] ?? '').length >= 16);
  if (!valid(kept))
    throw new Error(`${file} does not hold the secrets quizloop made (JWT_SECRET and WEBHOOK_SECRET of 16+ characters): remove it, and sign in again`);
  return kept;
}
