import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Request, Router } from 'express';
import QRCode from 'qrcode';
import type { z } from 'zod';
import { joinOrigin } from '../../platform/lan-address';
import { AppError } from '../app-error';
import type { ApiDeps } from '../deps';
import type { ClientConfig } from '../schemas';
import { roomCodeParam } from '../validation';

/** `web/` sits at the repository root: three levels up from src/api/web, four from dist/src/api/web. */
const WEB_ROOTS = [path.resolve(__dirname, '../../../web'), path.resolve(__dirname, '../../../../web')];

/** The browser build of Socket.IO; its package does not export dist/*.min.js, so go through package.json. */
const socketIoDist = path.join(path.dirname(require.resolve('socket.io-client/package.json')), 'dist');

/**
 * The web client (host and player screens) and what it needs from the api: the Socket.IO
 * browser client, where the socket process is, and a QR code of a room's join link.
 */
export function webRoutes({ config, rooms, log }: ApiDeps): Router {
  const router = Router();
  /** The origin the browser used (so the link works behind a proxy too: `trust proxy` is on), or PUBLIC_URL, or the LAN address for localhost. */
  const joinUrlFor = (req: Request) => {
    const host = new URL(`${req.protocol}://${req.get('host') ?? 'localhost'}`);
    const port = Number(host.port) || (req.protocol === 'https' ? 443 : 80);
    return joinOrigin(config.publicUrl, { protocol: req.protocol, hostname: host.hostname, port });
  };

  router.get('/client-config', (req, res) => {
    res.json({
      socketUrl: config.publicSocketUrl,
      socketPort: config.socketsOnApi ? null : config.socketPort,
      joinUrl: joinUrlFor(req),
    } satisfies z.infer<typeof ClientConfig>);
  });

  for (const file of ['socket.io.min.js', 'socket.io.min.js.map']) {
    router.get(`/vendor/${file}`, (_req, res) => {
      res.sendFile(path.join(socketIoDist, file), { maxAge: '1h' });
    });
  }

  router.get('/rooms/:code/qr.svg', async (req, res) => {
    const code = roomCodeParam(req.params.code);
    if (!(await rooms.get(code))) throw AppError.roomNotFound(code);
    const joinUrl = `${joinUrlFor(req)}/?code=${code}`;
    const svg = await QRCode.toString(joinUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    res.type('image/svg+xml').set('cache-control', 'public, max-age=3600').send(svg);
  });

  const webRoot = WEB_ROOTS.find((dir) => existsSync(path.join(dir, 'index.html')));
  // The REST api works without the pages, so a build that left them out only loses the web client.
  if (webRoot) router.use(express.static(webRoot, { maxAge: 0 }));
  else log.warn('web client not found; / and /host.html will answer 404', { looked: WEB_ROOTS.join(', ') });
  return router;
}
