import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode } from '../shared/error-codes';
import { ApiError, type RestClient } from './rest';

interface Credentials {
  email: string;
  password: string;
}

/**
 * The bots' host account for each api URL, kept in DATA_DIR/bots.json (mode 0600) beside the secrets
 * `npm start` makes there: every `--host` run signs in to the same account instead of spending one of
 * the address's registrations (RATE_LIMIT_REGISTER_ADDRESS) on a new one. Deleting `.data` forgets it
 * along with the database it was in.
 */
export function hostAccountFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.DATA_DIR || '.data', 'bots.json');
}

function readAll(file: string): Record<string, Credentials> {
  try {
    const kept: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof kept === 'object' && kept !== null ? (kept as Record<string, Credentials>) : {};
  } catch {
    return {};
  }
}

function keep(file: string, api: string, credentials: Credentials): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const draft = `${file}.${process.pid}.tmp`;
    writeFileSync(draft, `${JSON.stringify({ ...readAll(file), [api]: credentials }, null, 2)}\n`, { mode: 0o600 });
    renameSync(draft, file);
  } catch (err) {
    // The run goes on; the next one registers again.
    process.stderr.write(`bots: could not keep the bot host's sign-in in ${file} (${(err as Error).message})\n`);
  }
}

/** Registers a new bot host account, keeps its credentials for `api`, and returns its token. */
export async function registerHost(rest: RestClient, api: string, file: string): Promise<string> {
  const id = randomBytes(4).toString('hex');
  const credentials = { email: `bot-host-${id}@bots.quizloop.invalid`, password: randomBytes(12).toString('hex') };
  const { token } = await rest.register(credentials.email, credentials.password, `Bot host ${id}`);
  keep(file, api, credentials);
  return token;
}

/**
 * A user token of the kept bot host for `api`: signed in when there is one (a right password costs no
 * sign-in budget), registered when there is none or it no longer signs in (the server's data was reset).
 */
export async function signInHost(rest: RestClient, api: string, file: string): Promise<string> {
  const kept = readAll(file)[api];
  if (kept && typeof kept.email === 'string' && typeof kept.password === 'string') {
    try {
      return (await rest.login(kept.email, kept.password)).token;
    } catch (err) {
      if (!(err instanceof ApiError && err.code === ErrorCode.InvalidCredentials)) throw err;
    }
  }
  return registerHost(rest, api, file);
}
