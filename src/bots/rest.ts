import type { RoomView } from '../shared/room';

/** A refusal from the api: its status, its problem `code`, and for a 429 the seconds its `Retry-After` asks to wait. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A tiny client for the api's REST endpoints; a problem+json answer becomes an ApiError with its detail. */
export function createRestClient(base: string) {
  async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new Error(`cannot reach the api at ${base} (${(err as Error).message}); is "npm start" running?`);
    }
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const retryAfter = Number(res.headers.get('retry-after'));
      throw new ApiError(
        `${method} ${path}: ${res.status} ${json?.detail ?? text}`,
        res.status,
        typeof json?.code === 'string' ? json.code : null,
        res.status === 429 && retryAfter > 0 ? retryAfter : null,
      );
    }
    return json as T;
  }
  return {
    register: (email: string, password: string, displayName: string) => call<{ token: string }>('POST', '/auth/register', { email, password, displayName }),
    login: (email: string, password: string) => call<{ token: string }>('POST', '/auth/login', { email, password }),
    createRoom: (token: string, settings: Record<string, unknown>) =>
      call<{ code: string; gameId: string; hostToken: string; room: RoomView }>('POST', '/rooms', settings, token),
    room: (code: string) => call<RoomView>('GET', `/rooms/${code}`),
    join: (code: string, nickname: string, passphrase: string | null) =>
      call<{ playerId: string; token: string }>('POST', `/rooms/${code}/players`, { nickname, ...(passphrase === null ? {} : { passphrase }) }),
    /** `version`: the lobby's, as the host saw it; a room that moved on since refuses the start (409 STALE_VERSION). */
    start: (code: string, hostToken: string, version: number) => call<RoomView>('POST', `/rooms/${code}/start`, { version }, hostToken),
    /** `token`: the host's or a player's; results are private to them (and admins) unless the host made them public. */
    results: (gameId: string, token: string) =>
      call<{ players: { nickname: string; score: number; rank: number; correctCount: number }[] }>('GET', `/games/${gameId}/results`, undefined, token),
  };
}
export type RestClient = ReturnType<typeof createRestClient>;
