import { randomBytes } from 'node:crypto';
import type { LeaderboardEntry, RoomView, StandingsPage } from '../../src/shared/room';
import type { GameResults } from '../../src/store/repos/games.repo';
import { sleep } from './infra';

export interface HttpResult<T = unknown> {
  status: number;
  contentType: string;
  body: T;
}

export interface CreatedRoom {
  code: string;
  gameId: string;
  hostToken: string;
  room: RoomView;
}

export interface RoomSettingsInput {
  questionCount: number;
  questionSeconds: number;
  revealSeconds: number;
  category?: string;
  difficulty?: 'easy' | 'medium' | 'hard';
  mode?: 'timed' | 'first-correct';
  streakBonus?: boolean;
  maxPlayers?: number;
  resultsPublic?: boolean;
  passphrase?: string;
}

interface Tracker {
  game(id: string): void;
  email(email: string): void;
}

/** The api's REST surface as a test uses it. Helpers that expect success throw with the response otherwise. */
export class ApiClient {
  /** Results are private to the host (and players): the host token of each room this client created reads them. */
  private readonly hostTokens = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly track: Tracker,
  ) {}

  async request<T = unknown>(
    method: string,
    path: string,
    opts: { body?: unknown; token?: string; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Left as text: the assertion that follows shows it.
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: parsed as T };
  }

  private async expect<T>(status: number, method: string, path: string, opts: Parameters<ApiClient['request']>[2] = {}): Promise<T> {
    const res = await this.request<T>(method, path, opts);
    if (res.status !== status) {
      throw new Error(`${method} ${path}: expected ${status}, got ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body;
  }

  /** Registers a fresh account (a random email unless one is given); its token may create rooms. */
  async registerHost(
    displayName = 'Host',
    email = `host-${randomBytes(6).toString('hex')}@quizloop.test`,
  ): Promise<{ token: string; userId: string; email: string }> {
    this.track.email(email);
    const res = await this.expect<{ token: string; user: { id: string } }>(201, 'POST', '/auth/register', {
      body: { email, password: 'correct horse battery', displayName },
    });
    return { token: res.token, userId: res.user.id, email };
  }

  async createRoom(userToken: string, settings: RoomSettingsInput): Promise<CreatedRoom> {
    const created = await this.expect<CreatedRoom>(201, 'POST', '/rooms', { token: userToken, body: settings });
    this.track.game(created.gameId);
    this.hostTokens.set(created.gameId, created.hostToken);
    return created;
  }

  room(code: string): Promise<RoomView> {
    return this.expect<RoomView>(200, 'GET', `/rooms/${code}`);
  }

  standings(code: string, offset = 0, limit = 100): Promise<StandingsPage> {
    return this.expect<StandingsPage>(200, 'GET', `/rooms/${code}/standings?offset=${offset}&limit=${limit}`);
  }

  /** Every rank of a room, page after page. */
  async allStandings(code: string): Promise<LeaderboardEntry[]> {
    const all: LeaderboardEntry[] = [];
    for (;;) {
      const page = await this.standings(code, all.length);
      all.push(...page.entries);
      if (page.entries.length === 0 || all.length >= page.total) return all;
    }
  }

  /** Waits until the worker has picked the questions; a room that fails instead stops the wait. */
  async waitForLobby(code: string, timeoutMs = 15_000): Promise<RoomView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.room(code);
      if (view.phase === 'lobby') return view;
      if (view.phase !== 'building') throw new Error(`room ${code} went to ${view.phase} instead of lobby: ${view.failureReason}`);
      if (Date.now() > deadline) throw new Error(`room ${code} still building after ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  join(code: string, nickname: string): Promise<{ playerId: string; token: string }> {
    return this.expect(201, 'POST', `/rooms/${code}/players`, { body: { nickname } });
  }

  start(code: string, hostToken: string, version?: number): Promise<RoomView> {
    return this.control(code, 'start', hostToken, version);
  }

  /**
   * A host control that must succeed; use `request` to see a refusal. One that moves the room names
   * `version`, or else the version the room is at now, read first (as a host screen names the view it
   * shows) and read again when the room's clock moved it on meanwhile (409 STALE_VERSION), as a host taps again.
   */
  async control(
    code: string,
    action: 'start' | 'pause' | 'resume' | 'skip' | 'end' | 'lock' | 'unlock',
    hostToken: string,
    version?: number,
  ): Promise<RoomView> {
    if (action === 'lock' || action === 'unlock') return this.expect<RoomView>(200, 'POST', `/rooms/${code}/${action}`, { token: hostToken });
    for (let attempt = 1; ; attempt++) {
      const body = { version: version ?? (await this.room(code)).version };
      const res = await this.request<RoomView>('POST', `/rooms/${code}/${action}`, { token: hostToken, body });
      if (res.status === 200) return res.body;
      const stale = res.status === 409 && (res.body as unknown as { code?: string })?.code === 'STALE_VERSION';
      if (!stale || version !== undefined || attempt >= 3)
        throw new Error(`POST /rooms/${code}/${action}: expected 200, got ${res.status} ${JSON.stringify(res.body)}`);
    }
  }

  kick(code: string, playerId: string, hostToken: string): Promise<RoomView> {
    return this.expect<RoomView>(200, 'DELETE', `/rooms/${code}/players/${playerId}`, { token: hostToken });
  }

  /** Results appear once the worker's persist-results job has run; read with `token`, or the host token of a room this client created. */
  async waitForResults(gameId: string, timeoutMs = 15_000, token = this.hostTokens.get(gameId)): Promise<GameResults> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await this.request<GameResults>('GET', `/games/${gameId}/results`, { token });
      if (res.status === 200) return res.body;
      if (res.status !== 404) throw new Error(`GET /games/${gameId}/results: ${res.status} ${JSON.stringify(res.body)}`);
      if (Date.now() > deadline) throw new Error(`no results for game ${gameId} after ${timeoutMs} ms`);
      await sleep(200);
    }
  }
}
