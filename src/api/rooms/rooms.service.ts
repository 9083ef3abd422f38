import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { type Transition, isEndPhase, transition } from '../../game/room-machine';
import { createNicknameRules } from '../../game/nickname-filter';
import { nicknameSkeleton } from '../../game/nickname-skeleton';
import { generateRoomCode } from '../../game/room-code';
import { ErrorCode } from '../../shared/error-codes';
import type { Question, RoomSettings, RoomView, StandingsPage } from '../../shared/room';
import type { RoomState } from '../../game/room-state';
import type { AddressGroup } from '../../platform/client-address';
import { signToken } from '../../shared/tokens';
import { AppError } from '../app-error';
import { accountOf } from '../auth/auth.middleware';
import type { ApiDeps } from '../deps';
import { createPostgresChecks } from '../postgres-checks';
import { hashPassphrase, passphraseMatches } from './passphrase';

const CODE_ATTEMPTS = 8;
const HOST_RETRIES = 3;
/** How long a host's room creation waits for another of theirs still running before it is refused (429). */
const CREATION_WAIT_MS = 5_000;

/**
 * Who makes a room: the account, and the token version of the token that asks (a user token's, or the host token's when
 * playing again; none in host tokens older than versions). The room's host token carries it.
 */
export interface RoomHost {
  id: string;
  name: string;
  ver?: number;
}

const REMOVED_BY = {
  host: 'The host deleted this room.',
  admin: 'An admin deleted this room.',
  account: 'The host deleted their account, and with it this room.',
} as const;

/** Room use cases. The api is the only writer of a room's lifecycle; every change is a CAS on `version`. */
export function createRoomsService(deps: ApiDeps) {
  const { rooms, views, config } = deps;
  const nicknameBlocked = createNicknameRules(config.nicknameBlocklist, config.nicknameProfanityFilter);
  const postgres = createPostgresChecks({ ...config.postgresChecks, log: deps.log });

  async function load(code: string): Promise<RoomState> {
    const room = await rooms.get(code);
    if (!room) throw AppError.roomNotFound(code);
    if (room.deletedAt !== undefined) throw AppError.roomDeleted(code);
    return room;
  }

  /**
   * A room by a code a client at `from` sent without a token of the room. Wrong codes are counted per address
   * (RATE_LIMIT_ROOM_MISSES_ADDRESS); once they are spent every lookup from there waits, a right one too,
   * so that open rooms cannot be found by trying codes.
   */
  async function lookUp(code: string, from: AddressGroup): Promise<RoomState> {
    await deps.rateLimits.check('roomMissesPerAddress', from);
    const room = await rooms.get(code);
    if (!room) {
      await deps.rateLimits.consume('roomMissesPerAddress', from);
      throw AppError.roomNotFound(code);
    }
    if (room.deletedAt !== undefined) throw AppError.roomDeleted(code);
    return room;
  }

  async function runningRoom(code: string, action: string): Promise<RoomState> {
    const room = await load(code);
    if (isEndPhase(room.phase)) throw AppError.conflict(ErrorCode.InvalidTransition, `Room ${code} has ended; cannot ${action} it.`);
    return room;
  }

  /** HOST_MAX_OPEN_ROOMS: a room that has not ended counts, whether new or retried. */
  async function checkOpenRooms(hostId: string): Promise<void> {
    const max = config.limits.hostMaxOpenRooms;
    // Fewer noted than the cap: fewer open, without reading each room (a host of many rooms would read them all).
    if ((await rooms.hostRoomCount(hostId)) < max) return;
    const open = await rooms.openRoomsOf(hostId);
    if (open.length >= max) {
      throw AppError.conflict(
        ErrorCode.TooManyRooms,
        `You already have ${open.length} rooms that have not ended (${open.join(', ')}), the most one host may (HOST_MAX_OPEN_ROOMS); end or delete one (DELETE /rooms/{code} with your user token) before creating another.`,
      );
    }
  }

  /**
   * 401 for a joining player whose account is gone or whose user token a password change revoked (`accountOf`). Joins run
   * on Redis alone: when PostgreSQL gives no answer (`postgres-checks.ts`), the player joins unchecked, under the account.
   */
  async function checkAccount({ id, ver }: { id: string; ver: number }): Promise<void> {
    // null: PostgreSQL answered that there is no such account (401 below).
    const account = await postgres.ask(() => deps.users.byId(id));
    if (account === undefined) deps.log.debug('a signed-in player joins unchecked', { user: id });
    else accountOf(account, ver);
  }

  /**
   * Refuses, 409, a room the bank cannot fill for this host, rather than let it fail in building; and, 401,
   * a host whose account is gone or whose user token a password change revoked (`accountOf`): the same read
   * of PostgreSQL. Rooms run on Redis alone: when PostgreSQL gives no answer (`postgres-checks.ts`), the room
   * is made and its preparation says what is wrong, as before.
   */
  async function checkBank(host: RoomHost, { category, difficulty, questionCount }: RoomSettings): Promise<void> {
    const answer = await postgres.ask(() => Promise.all([deps.questions.candidateCount({ category, difficulty, hostId: host.id }), deps.users.byId(host.id)]));
    if (answer === undefined) {
      deps.log.debug('a room is made without counting the question bank', { host: host.id });
      return;
    }
    const [count, account] = answer;
    accountOf(account, host.ver ?? null);
    if (count >= questionCount) return;
    const filter = [category && `category "${category}"`, difficulty && `difficulty ${difficulty}`].filter(Boolean).join(' and ');
    throw AppError.conflict(
      ErrorCode.NotEnoughQuestions,
      `The question bank has ${count} question(s) you may use${filter ? ` for ${filter}` : ''}; the room needs ${questionCount}. ` +
        'Pick a category from GET /categories, ask for fewer questions, or write your own.',
    );
  }

  const hostTokenOf = (code: string, host: RoomHost) =>
    signToken(config.jwtSecret, { kind: 'host', sub: host.id, name: host.name, room: code, ver: host.ver ?? 0 });
  const newPlayerId = () => `p_${randomBytes(9).toString('base64url')}`;
  const playerToken = (playerId: string, nickname: string, code: string) =>
    signToken(config.jwtSecret, { kind: 'player', sub: playerId, name: nickname, room: code });

  /** The room's view; its questions are read in the same round trip as the view's counts, not before them. */
  async function viewOf(room: RoomState): Promise<RoomView> {
    return views.view(room, rooms.getQuestions(room.code));
  }

  /**
   * Builds a new version's view once and publishes it on the room's channel, where every socket
   * process forwards it as it is. Not published when the room moved on during the reads (the next
   * version's writer publishes its own); lost, the socket processes build it themselves.
   */
  async function publishView(room: RoomState): Promise<void> {
    try {
      const view = await viewOf(room);
      await rooms.publishView(room.code, { kind: 'view', version: room.version, openedAt: room.openedAt, view });
    } catch (err) {
      deps.log.warn('view not published; socket processes build it themselves', { room: room.code, err });
    }
  }

  /**
   * Applies `t` to the room as it is now, or only if it is still at `expectedVersion`.
   * A stale or impossible request changes nothing and is answered 409.
   */
  async function change(code: string, t: Transition, expectedVersion?: number, questions?: Question[]): Promise<RoomState> {
    // A control names the version it was meant for, and a stale one is refused: applied again it would act on
    // the next phase (skip a question nobody saw). Only a delete, which names none, means the same whatever
    // the room moved on to while it was computed, so only a delete is computed again from the new state.
    for (let attempt = 1; ; attempt++) {
      try {
        return await changeOnce(code, t, expectedVersion, questions);
      } catch (err) {
        const raced = err instanceof AppError && err.code === ErrorCode.StaleVersion && expectedVersion === undefined && t.type === 'delete';
        if (!raced || attempt >= HOST_RETRIES) throw err;
      }
    }
  }

  /** `questions`: a `prepared` room's, written with the change (inside its version check) or not at all. */
  async function changeOnce(code: string, t: Transition, expectedVersion?: number, questions?: Question[]): Promise<RoomState> {
    const room = await load(code);
    if (expectedVersion !== undefined && room.version !== expectedVersion) {
      const now = room.phase === 'question' || room.phase === 'reveal' ? `${room.phase} of question ${room.questionIndex + 1}` : room.phase;
      throw AppError.conflict(
        ErrorCode.StaleVersion,
        `This was meant for version ${expectedVersion} of room ${code}, but the room has moved on: it is at version ${room.version} (${now}). Nothing was done; look at the room and try again.`,
      );
    }
    const result = transition(room, t);
    if (!result.ok) throw AppError.conflict(ErrorCode.InvalidTransition, `Room ${code}: ${result.reason}.`);
    const applied = await rooms.apply(room.version, result, questions);
    if (!applied.ok && applied.code === 'not-found') throw AppError.roomNotFound(code);
    if (!applied.ok) {
      throw AppError.conflict(
        ErrorCode.StaleVersion,
        `Room ${code} moved on (its clock, or another request) while this was applied; nothing was done. Look at the room and try again.`,
      );
    }
    const next = applied.room;
    await publishView(next);
    deps.log.info('room changed', { room: code, event: result.event.type, phase: next.phase, question: next.questionIndex, version: next.version });
    return next;
  }

  /**
   * A private room takes its passphrase. Wrong ones are counted per address and room (right ones never
   * use the budget up); once spent, even the right one waits, so guessing stays slow.
   */
  async function checkPassphrase(room: RoomState, from: AddressGroup, passphrase: string | undefined): Promise<void> {
    if (room.passphraseHash === undefined) return;
    if (passphrase === undefined || passphrase === '') {
      throw new AppError(ErrorCode.PassphraseRequired, 403, `Room ${room.code} is private: joining takes the passphrase its host set.`);
    }
    const key = `${room.code}:${from}`;
    // The point is taken before the slow compare, so parallel guesses cannot all slip past one count; a right one gives it back.
    await deps.rateLimits.consume('passphrasePerAddress', key);
    if (!(await passphraseMatches(room.passphraseHash, passphrase))) {
      throw new AppError(ErrorCode.WrongPassphrase, 403, `That is not the passphrase of room ${room.code}; ask its host for it.`);
    }
    await deps.rateLimits.reward('passphrasePerAddress', key);
  }

  function checkMaxPlayers(settings: RoomSettings): void {
    const { roomMaxPlayers } = config.limits;
    if (settings.maxPlayers !== undefined && settings.maxPlayers > roomMaxPlayers) {
      throw AppError.badRequest(`maxPlayers may be at most ${roomMaxPlayers} on this server (ROOM_MAX_PLAYERS).`, [
        { path: 'maxPlayers', message: `at most ${roomMaxPlayers}` },
      ]);
    }
  }

  /**
   * A host's room creation: the bank checked, then HOST_MAX_OPEN_ROOMS, the room counted against RATE_LIMIT_ROOMS_USER
   * (`spendRoom`) and made as the host's only creation at the time (Redis alone, a few ms), so that creations sent at
   * once cannot each count the same open rooms. A refused creation costs the host nothing.
   */
  async function createAlone(host: RoomHost, settings: RoomSettings, passphraseHash: string | undefined, spendRoom: () => Promise<void>) {
    await checkBank(host, settings);
    return alone(host.id, async () => {
      await checkOpenRooms(host.id);
      await spendRoom();
      return open(host, settings, passphraseHash);
    });
  }

  /** Runs `work` as the host's only room creation (or retry) at the time; 429 when another of theirs held on past CREATION_WAIT_MS. */
  async function alone<T>(hostId: string, work: () => Promise<T>): Promise<T> {
    const result = await rooms.asOnlyCreation(hostId, CREATION_WAIT_MS, work);
    if (result === 'busy') throw AppError.rateLimited('Another room of yours is still being created; try again in a moment.', 1);
    return result.done;
  }

  /** Makes the room under a free code, once its checks are done (createAlone's). */
  async function open(host: RoomHost, settings: RoomSettings, passphraseHash: string | undefined) {
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const room: RoomState = {
        code: generateRoomCode(),
        gameId: randomUUID(),
        hostId: host.id,
        hostName: host.name,
        phase: 'building',
        version: 1,
        questionIndex: -1,
        settings,
        ...(passphraseHash && { passphraseHash }),
        phaseStartedAt: null,
        openedAt: null,
        deadlineAt: null,
        paused: null,
        failureReason: null,
        // Set from Redis TIME by the script, as every room time is.
        createdAt: 0,
        startedAt: null,
        finishedAt: null,
      };
      const created = await rooms.create(room, { type: 'room.created', roomCode: room.code, version: 1, at: 0 }, ['createdAt']);
      if (created) {
        await rooms.addHostRoom(host.id, room.code);
        deps.log.info('room created', { room: room.code, host: host.id, game: room.gameId });
        const hostToken = hostTokenOf(room.code, host);
        return { room: created, hostToken };
      }
    }
    // Every try hit a room that exists: the codes are nearly all in use (rooms expire, so a moment may free some).
    throw AppError.unavailable(ErrorCode.NoFreeRoomCode, `No free room code was found in ${CODE_ATTEMPTS} tries; try again in a moment.`, 5);
  }

  const service = {
    viewOf,
    load,
    lookUp,

    /** `passphrase`: when given, joining takes it (the room keeps only its hash). `spendRoom`: RATE_LIMIT_ROOMS_USER's count. */
    async create(host: RoomHost, settings: RoomSettings, passphrase: string | undefined, spendRoom: () => Promise<void>) {
      checkMaxPlayers(settings);
      return createAlone(host, settings, passphrase === undefined ? undefined : await hashPassphrase(passphrase), spendRoom);
    },

    /**
     * `account`: the user token's account and version, for a player who joins under their account; null for a guest.
     * `from`: where the join came from; kept only as a keyed hash, for the same-address cheat signal (an IPv6 /64 is one address).
     */
    async join(code: string, nickname: string, account: { id: string; ver: number } | null, from: AddressGroup, passphrase?: string) {
      await checkPassphrase(await lookUp(code, from), from, passphrase);
      if (account) await checkAccount(account);
      if (nicknameBlocked(nickname)) {
        throw new AppError(ErrorCode.NicknameRejected, 400, 'That nickname is not allowed here; pick another.');
      }
      const playerId = newPlayerId();
      const address = createHmac('sha256', config.jwtSecret).update(from).digest('base64url').slice(0, 16);
      const result = await rooms.join(
        code,
        { id: playerId, nickname, userId: account?.id ?? null, joinedAt: 0, address }, // joinedAt: Redis TIME, set by join.lua
        {
          nicknameKey: nicknameSkeleton(nickname),
          maxPlayers: config.limits.roomMaxPlayers,
        },
      );
      switch (result) {
        case 'ok':
          break;
        case 'not-found':
          throw AppError.roomNotFound(code);
        case 'closed':
          throw AppError.conflict(ErrorCode.RoomNotJoinable, `Room ${code} has ended and takes no more players.`);
        case 'locked':
          throw AppError.conflict(ErrorCode.RoomLocked, `The host has locked room ${code}; nobody new can join.`);
        case 'nickname-taken':
          throw AppError.conflict(ErrorCode.NicknameTaken, `The nickname "${nickname}" is taken in this room; pick another.`);
        case 'full':
          throw AppError.conflict(ErrorCode.RoomFull, `Room ${code} is full; nobody more can join.`);
      }
      const token = playerToken(playerId, nickname, code);
      await rooms.publish(code, { kind: 'refresh' });
      return { playerId, token };
    },

    /**
     * A new host token of the room for the account that made it (`account`: its user token's, checked): after a password
     * change, which refuses the room's older host tokens, the host goes on with this one.
     */
    async reissueHostToken(code: string, account: { id: string; ver: number }): Promise<string> {
      const room = await load(code);
      if (room.hostId !== account.id) throw AppError.forbidden(`Only the account that made room ${code} can get its host token.`);
      return hostTokenOf(code, { id: account.id, name: room.hostName, ver: account.ver });
    },

    /** A page of the room's standings, every player ranked; at most STANDINGS_PAGE_MAX a page. */
    async standings(code: string, from: AddressGroup, offset: number, limit = config.limits.standingsPageMax): Promise<StandingsPage> {
      const most = config.limits.standingsPageMax;
      if (limit > most) {
        throw AppError.badRequest(`limit may be at most ${most} on this server (STANDINGS_PAGE_MAX).`, [{ path: 'limit', message: `at most ${most}` }]);
      }
      await lookUp(code, from);
      return views.page(code, offset, limit);
    },

    /**
     * A new room with the same host and settings, once per finished room. Every player connected to
     * the finished room now is joined to it under the same nickname and account, and their
     * connections get `room:next` with a token for it; the others can join with the code.
     */
    async playAgain(code: string, host: RoomHost, spendRoom: () => Promise<void>) {
      const old = await load(code);
      if (old.phase !== 'finished') {
        throw AppError.conflict(ErrorCode.RoomNotFinished, `Room ${code} is in ${old.phase}, not finished; play again once its game has finished.`);
      }
      const claim = await rooms.claimPlayAgain(code);
      if (claim !== null) {
        const where = claim === 'pending' ? 'a new room is being made for it' : `as room ${claim}`;
        throw AppError.conflict(ErrorCode.AlreadyPlayedAgain, `Room ${code} was already played again (${where}).`);
      }
      let created: { room: RoomState; hostToken: string };
      try {
        checkMaxPlayers(old.settings);
        created = await createAlone(host, old.settings, old.passphraseHash, spendRoom);
      } catch (err) {
        await rooms.settlePlayAgain(code, null);
        throw err;
      }
      const { room } = created;
      await rooms.settlePlayAgain(code, room.code);
      const [players, online] = await Promise.all([rooms.getPlayers(code), rooms.onlinePlayers(code)]);
      const tokens: Record<string, string> = {};
      const rules = { maxPlayers: config.limits.roomMaxPlayers };
      await Promise.all(
        players
          .filter((p) => online.has(p.id))
          .map(async (p) => {
            const id = newPlayerId();
            const joined = await rooms.join(room.code, { ...p, id, joinedAt: 0 }, { ...rules, nicknameKey: nicknameSkeleton(p.nickname) });
            if (joined === 'ok') tokens[p.id] = playerToken(id, p.nickname, room.code);
          }),
      );
      await rooms.publish(code, { kind: 'next', code: room.code, gameId: room.gameId, tokens });
      await rooms.publish(room.code, { kind: 'refresh' });
      deps.log.info('room played again', { room: code, next: room.code, moved: Object.keys(tokens).length });
      return { ...created, movedPlayers: Object.keys(tokens).length };
    },

    /** Everyone in the room, by rank, with their ids: what the host needs to kick someone. */
    async players(code: string) {
      await load(code);
      const [players, online, ranked] = await Promise.all([rooms.getPlayers(code), rooms.onlinePlayers(code), views.standings(code)]);
      const names = new Map(players.map((p) => [p.id, p.nickname]));
      return ranked
        .filter((r) => names.has(r.playerId))
        .map((r) => ({ playerId: r.playerId, nickname: names.get(r.playerId) ?? '', online: online.has(r.playerId), score: r.score, rank: r.rank }));
    },

    /** The host removes a player: their token stops working and their connections close. */
    async kick(code: string, playerId: string): Promise<RoomState> {
      const room = await runningRoom(code, 'kick a player from');
      const kicked = await rooms.kick(code, playerId, room.questionIndex);
      if (kicked === 'not-found') throw AppError.notFound(`Room ${code} has no player ${playerId}.`);
      // It ended after runningRoom read it: the finished game's results still hold the player.
      if (kicked === 'ended') throw AppError.conflict(ErrorCode.InvalidTransition, `Room ${code} has ended; cannot kick a player from it.`);
      await rooms.publish(code, { kind: 'kicked', playerId });
      await rooms.publish(code, { kind: 'refresh' });
      // Kicking the one player everyone was waiting for closes the question, as their answer would have:
      // the kick script decided that and sent the close on, atomically with the kick.
      deps.log.info('player kicked', { room: code, player: playerId, closesQuestion: kicked === 'closable' });
      return room;
    },

    async setLocked(code: string, locked: boolean): Promise<RoomState> {
      const room = await runningRoom(code, locked ? 'lock' : 'unlock');
      await rooms.setLocked(code, locked);
      await rooms.publish(code, { kind: 'refresh' });
      deps.log.info(locked ? 'room locked' : 'room unlocked', { room: code });
      return room;
    },

    pause: (code: string, version: number) => change(code, { type: 'pause' }, version),
    resume: (code: string, version: number) => change(code, { type: 'resume' }, version),
    /** Closes the open question now, or ends the reveal now: the same step the deadline would take. */
    skip: (code: string, version: number) => change(code, { type: 'advance' }, version),
    end: (code: string, version: number) => change(code, { type: 'end' }, version),
    /** The worker's housekeeping: ends the room only if it is still at `version`. */
    async endIdle(code: string, version: number, reason: 'idle' | 'abandoned') {
      const room = await change(code, { type: 'end' }, version);
      deps.log.info(reason === 'idle' ? 'room ended: left idle' : 'room ended: everyone left', { room: code, phase: room.phase });
      return room;
    },

    start: (code: string, version: number) => change(code, { type: 'start' }, version),

    prepared: (code: string, version: number, questions: Question[]) => change(code, { type: 'prepared', questionCount: questions.length }, version, questions),

    failed: (code: string, version: number, reason: string) => change(code, { type: 'failed', reason }, version),

    /** The host prepares a failed room again, with the same settings (409 when it is not failed). */
    retry: async (code: string) => {
      // A failed room left the host's open rooms; retried, it counts again, under the same cap (and lock) as a new one.
      const { hostId } = await load(code);
      return alone(hostId, async () => {
        await checkOpenRooms(hostId);
        const room = await change(code, { type: 'retry' });
        await rooms.addHostRoom(room.hostId, code);
        return room;
      });
    },

    /** Ends the room (if it has not ended) with a reason its players are shown; from then on it reads 410. */
    async remove(code: string, by: keyof typeof REMOVED_BY): Promise<RoomState> {
      const room = await change(code, { type: 'delete', reason: REMOVED_BY[by] });
      deps.log.info('room deleted', { room: code, by });
      return room;
    },

    advance: (code: string, version: number) => change(code, { type: 'advance' }, version),
  };
  return service;
}
export type RoomsService = ReturnType<typeof createRoomsService>;
