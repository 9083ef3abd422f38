import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { type Transition, isEndPhase, transition } from '../../game/room-machine';
import { createNicknameRules } from '../../game/nickname-filter';
import { nicknameSkeleton } from '../../game/nickname-skeleton';
import { generateRoomCode } from '../../game/room-code';
import { ErrorCode } from '../../shared/error-codes';
import type { Question, RoomSettings, RoomView } from '../../shared/room';
import type { RoomState } from '../../game/room-state';
import { signToken } from '../../shared/tokens';
import { AppError } from '../app-error';
import type { ApiDeps } from '../deps';

const CODE_ATTEMPTS = 8;
const HOST_RETRIES = 3;

/** Room use cases. The api is the only writer of a room's lifecycle; every change is a CAS on `version`. */
export function createRoomsService(deps: ApiDeps) {
  const { rooms, views, config } = deps;
  const nicknameBlocked = createNicknameRules(config.nicknameBlocklist, config.nicknameProfanityFilter);

  async function load(code: string): Promise<RoomState> {
    const room = await rooms.get(code);
    if (!room) throw AppError.roomNotFound(code);
    return room;
  }

  async function runningRoom(code: string, action: string): Promise<RoomState> {
    const room = await load(code);
    if (isEndPhase(room.phase)) throw AppError.conflict(ErrorCode.InvalidTransition, `Room ${code} has ended; cannot ${action} it.`);
    return room;
  }

  const newPlayerId = () => `p_${randomBytes(9).toString('base64url')}`;
  const playerToken = (playerId: string, nickname: string, code: string) =>
    signToken(config.jwtSecret, { kind: 'player', sub: playerId, name: nickname, room: code });

  async function viewOf(room: RoomState): Promise<RoomView> {
    return views.view(room, await rooms.getQuestions(room.code));
  }

  /**
   * Applies `t` to the room as it is now, or only if it is still at `expectedVersion`.
   * A stale or impossible request changes nothing and is answered 409.
   */
  async function change(code: string, t: Transition, expectedVersion?: number, beforeApply?: () => Promise<void>): Promise<RoomState> {
    // Only "end" means the same whatever the room moved on to while it was computed, so only a host's
    // end is computed again from the new state. A skip or pause that lost a race with the clock would,
    // applied again, act on the next phase (skip a question nobody saw): it is refused instead.
    for (let attempt = 1; ; attempt++) {
      try {
        return await changeOnce(code, t, expectedVersion, beforeApply);
      } catch (err) {
        const raced = err instanceof AppError && err.code === ErrorCode.StaleVersion && expectedVersion === undefined && t.type === 'end';
        if (!raced || attempt >= HOST_RETRIES) throw err;
      }
    }
  }

  async function changeOnce(code: string, t: Transition, expectedVersion?: number, beforeApply?: () => Promise<void>): Promise<RoomState> {
    const room = await load(code);
    if (expectedVersion !== undefined && room.version !== expectedVersion) {
      const now = room.phase === 'question' || room.phase === 'reveal' ? `${room.phase} of question ${room.questionIndex + 1}` : room.phase;
      throw AppError.conflict(
        ErrorCode.StaleVersion,
        `This was meant for version ${expectedVersion} of room ${code}, but the room has moved on: it is at version ${room.version} (${now}). Nothing was done; look at the room and try again.`,
      );
    }
    const result = transition(room, t, Date.now());
    if (!result.ok) throw AppError.conflict(ErrorCode.InvalidTransition, `Room ${code}: ${result.reason}.`);
    await beforeApply?.();
    const applied = await rooms.apply(room.version, result.room, result.event, result.settles);
    if (applied === 'not-found') throw AppError.roomNotFound(code);
    if (applied === 'stale') {
      throw AppError.conflict(
        ErrorCode.StaleVersion,
        `Room ${code} moved on (its clock, or another request) while this was applied; nothing was done. Look at the room and try again.`,
      );
    }
    const next = result.room;
    deps.log.info('room changed', { room: code, event: result.event.type, phase: next.phase, question: next.questionIndex, version: next.version });
    return next;
  }

  const service = {
    viewOf,
    load,

    async create(host: { id: string; name: string }, settings: RoomSettings) {
      const { roomMaxPlayers, hostMaxOpenRooms } = config.limits;
      if (settings.maxPlayers !== undefined && settings.maxPlayers > roomMaxPlayers) {
        throw AppError.badRequest(`maxPlayers may be at most ${roomMaxPlayers} on this server (ROOM_MAX_PLAYERS).`, [
          { path: 'maxPlayers', message: `at most ${roomMaxPlayers}` },
        ]);
      }
      if ((await rooms.openRoomsOf(host.id)) >= hostMaxOpenRooms) {
        throw AppError.conflict(ErrorCode.TooManyRooms, `You already have ${hostMaxOpenRooms} rooms that have not ended; end one before creating another.`);
      }
      const now = Date.now();
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
          phaseStartedAt: null,
          openedAt: null,
          deadlineAt: null,
          paused: null,
          failureReason: null,
          createdAt: now,
          startedAt: null,
          finishedAt: null,
        };
        const created = await rooms.create(room, { type: 'room.created', roomCode: room.code, version: 1, at: now });
        if (created) {
          await rooms.addHostRoom(host.id, room.code);
          deps.log.info('room created', { room: room.code, host: host.id, game: room.gameId });
          const hostToken = signToken(config.jwtSecret, { kind: 'host', sub: host.id, name: host.name, room: room.code });
          return { room, hostToken };
        }
      }
      throw new Error('Could not find a free room code');
    },

    /** `ip`: where the join came from; kept only as a keyed hash, for the same-address cheat signal. */
    async join(code: string, nickname: string, userId: string | null, ip = '') {
      if (nicknameBlocked(nickname)) {
        throw new AppError(ErrorCode.NicknameRejected, 400, 'That nickname is not allowed here; pick another.');
      }
      const playerId = newPlayerId();
      const address = createHmac('sha256', config.jwtSecret).update(ip).digest('base64url').slice(0, 16);
      const result = await rooms.join(
        code,
        { id: playerId, nickname, userId, joinedAt: Date.now(), address },
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
     * A new room with the same host and settings, once per finished room. Every player connected to
     * the finished room now is joined to it under the same nickname and account, and their
     * connections get `room:next` with a token for it; the others can join with the code.
     */
    async playAgain(code: string, host: { id: string; name: string }, spendRoom: () => Promise<void>) {
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
        // Spent only by a request that gets this far: a refused one costs the host nothing.
        await spendRoom();
        created = await service.create(host, old.settings);
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
            const joined = await rooms.join(room.code, { ...p, id, joinedAt: Date.now() }, { ...rules, nicknameKey: nicknameSkeleton(p.nickname) });
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
      await rooms.publish(code, { kind: 'kicked', playerId });
      await rooms.publish(code, { kind: 'refresh' });
      deps.log.info('player kicked', { room: code, player: playerId });
      // Kicking the one player everyone was waiting for closes the question, as their answer would have.
      if (room.phase === 'question' && kicked === 'closable') {
        return change(code, { type: 'advance' }, room.version).catch(() => load(code));
      }
      return room;
    },

    async setLocked(code: string, locked: boolean): Promise<RoomState> {
      const room = await runningRoom(code, locked ? 'lock' : 'unlock');
      await rooms.setLocked(code, locked);
      await rooms.publish(code, { kind: 'refresh' });
      deps.log.info(locked ? 'room locked' : 'room unlocked', { room: code });
      return room;
    },

    pause: (code: string, version?: number) => change(code, { type: 'pause' }, version),
    resume: (code: string, version?: number) => change(code, { type: 'resume' }, version),
    /** Closes the open question now, or ends the reveal now: the same step the deadline would take. */
    skip: (code: string, version?: number) => change(code, { type: 'advance' }, version),
    end: (code: string) => change(code, { type: 'end' }),
    /** The worker's housekeeping: ends the room only if it is still at `version`. */
    async endIdle(code: string, version: number, reason: 'idle' | 'abandoned') {
      const room = await change(code, { type: 'end' }, version);
      deps.log.info(reason === 'idle' ? 'room ended: left idle' : 'room ended: everyone left', { room: code, phase: room.phase });
      return room;
    },

    start: (code: string) => change(code, { type: 'start' }),

    prepared: (code: string, version: number, questions: Question[]) =>
      change(code, { type: 'prepared', questionCount: questions.length }, version, () => rooms.saveQuestions(code, questions)),

    failed: (code: string, version: number, reason: string) => change(code, { type: 'failed', reason }, version),

    advance: (code: string, version: number) => change(code, { type: 'advance' }, version),
  };
  return service;
}
export type RoomsService = ReturnType<typeof createRoomsService>;
