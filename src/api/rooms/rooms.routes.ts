import { type Request, Router } from 'express';
import type { RoomState } from '../../game/room-state';
import { addressGroup } from '../../platform/client-address';
import { AppError } from '../app-error';
import { accountOf, checkHostToken, optionalClaims, requireAccount, requireClaims } from '../auth/auth.middleware';
import type { ApiDeps } from '../deps';
import type { RoomsService } from './rooms.service';
import {
  CreateRoom,
  type CreatedRoom,
  HostControl,
  type HostTokenReissued,
  Join,
  type Joined,
  type PlayedAgain,
  PlayerIdParam,
  type RoomPlayers,
  StandingsQuery,
} from '../schemas';
import { parse, roomCodeParam } from '../validation';

export function roomsRoutes(deps: ApiDeps, service: RoomsService): Router {
  const router = Router();
  const secret = deps.config.jwtSecret;

  router.post('/rooms', async (req, res) => {
    const user = requireClaims(req, secret, ['user']);
    const { passphrase, ...settings } = parse(CreateRoom, req.body);
    // A spent budget refuses at once; a room counts against it only once made (a refused creation costs nothing).
    await deps.rateLimits.check('roomsPerUser', user.sub);
    const spendRoom = () => deps.rateLimits.consume('roomsPerUser', user.sub);
    const { room, hostToken } = await service.create({ id: user.sub, name: user.name, ver: user.ver }, settings, passphrase, spendRoom);
    res
      .status(201)
      .location(`/rooms/${room.code}`)
      .json({ code: room.code, gameId: room.gameId, hostToken, room: await service.viewOf(room) } satisfies CreatedRoom);
  });

  router.get('/rooms/:code', async (req, res) => {
    const room = await service.lookUp(roomCodeParam(req.params.code), addressGroup(req.ip));
    res.json(await service.viewOf(room));
  });

  router.get('/rooms/:code/standings', async (req, res) => {
    const code = roomCodeParam(req.params.code);
    const { offset, limit } = parse(StandingsQuery, req.query);
    res.json(await service.standings(code, addressGroup(req.ip), offset, limit));
  });

  router.post('/rooms/:code/players', async (req, res) => {
    const code = roomCodeParam(req.params.code);
    const address = addressGroup(req.ip);
    await deps.rateLimits.consume('joinPerAddress', address);
    const { nickname, passphrase } = parse(Join, req.body);
    // A signed-in user may join under their account (for history); anyone else joins as a guest.
    const claims = optionalClaims(req, secret);
    const account = claims?.kind === 'user' ? { id: claims.sub, ver: claims.ver } : null;
    const joined = await service.join(code, nickname, account, address, passphrase);
    res.status(201).json({ ...joined, code, nickname } satisfies Joined);
  });

  /** Host controls take the host token of this very room, and answer with the room's view after the change. */
  async function hostOf(req: Request): Promise<string> {
    const code = roomCodeParam(req.params.code);
    const claims = requireClaims(req, secret, ['host']);
    const room = await service.load(code);
    if (claims.room !== code || claims.sub !== room.hostId) {
      throw AppError.forbidden(`Only the host of room ${code}, with its host token, can do this.`);
    }
    await checkHostToken(claims, deps.rooms);
    return code;
  }

  router.post('/rooms/:code/host-token', async (req, res) => {
    const code = roomCodeParam(req.params.code);
    const { claims } = await requireAccount(req, secret, deps.users);
    res.json({ code, hostToken: await service.reissueHostToken(code, { id: claims.sub, ver: claims.ver }) } satisfies HostTokenReissued);
  });

  // A control that moves the room names the version it was meant for: a late one is refused, not applied to the next phase.
  const controls: Record<string, (code: string, version: number) => Promise<RoomState>> = {
    start: service.start,
    pause: service.pause,
    resume: service.resume,
    skip: service.skip,
    end: service.end,
  };
  for (const [action, run] of Object.entries(controls)) {
    router.post(`/rooms/:code/${action}`, async (req, res) => {
      const code = await hostOf(req);
      const { version } = parse(HostControl, req.body);
      res.json(await service.viewOf(await run(code, version)));
    });
  }
  // Locking moves no phase: it means the same whatever the room is at, so it names no version.
  for (const locked of [true, false]) {
    router.post(`/rooms/:code/${locked ? 'lock' : 'unlock'}`, async (req, res) => {
      const code = await hostOf(req);
      res.json(await service.viewOf(await service.setLocked(code, locked)));
    });
  }

  // Only a failed room can be retried, and a retry leaves it building (a second one is refused): it names no version.
  router.post('/rooms/:code/retry', async (req, res) => {
    const code = await hostOf(req);
    res.json(await service.viewOf(await service.retry(code)));
  });

  // The host (its host token, or the account that made the room) or an admin deletes the room.
  router.delete('/rooms/:code', async (req, res) => {
    const code = roomCodeParam(req.params.code);
    const claims = requireClaims(req, secret, ['host', 'user']);
    const room = await service.load(code);
    const host = claims.sub === room.hostId && (claims.kind === 'user' || claims.room === code);
    const admin = claims.kind === 'user' && claims.role === 'admin';
    if (!host && !admin) throw AppError.forbidden(`Only the host of room ${code}, or an admin, can delete it.`);
    if (claims.kind === 'host') await checkHostToken(claims, deps.rooms);
    else accountOf(await deps.users.byId(claims.sub), claims.ver);
    await service.remove(code, host ? 'host' : 'admin');
    res.status(204).end();
  });

  router.post('/rooms/:code/again', async (req, res) => {
    const code = await hostOf(req);
    const { sub, name, ver } = requireClaims(req, secret, ['host']);
    const spendRoom = () => deps.rateLimits.consume('roomsPerUser', sub);
    const { room, hostToken, movedPlayers } = await service.playAgain(code, { id: sub, name, ver }, spendRoom);
    res
      .status(201)
      .location(`/rooms/${room.code}`)
      .json({ code: room.code, gameId: room.gameId, hostToken, room: await service.viewOf(room), movedPlayers } satisfies PlayedAgain);
  });

  router.get('/rooms/:code/players', async (req, res) => {
    const code = await hostOf(req);
    res.json({ players: await service.players(code) } satisfies RoomPlayers);
  });

  router.delete('/rooms/:code/players/:playerId', async (req, res) => {
    const code = await hostOf(req);
    const playerId = parse(PlayerIdParam, req.params.playerId);
    res.json(await service.viewOf(await service.kick(code, playerId)));
  });

  return router;
}
