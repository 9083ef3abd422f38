import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import QRCode from 'qrcode';
import type { z } from 'zod';
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

  router.get('/client-config', (_req, res) => {
    res.json({ socketUrl: config.publicSocketUrl, socketPort: config.socketPort } satisfies z.infer<typeof ClientConfig>);
  });

  for (const file of ['socket.io.min.js', 'socket.io.min.js.map']) {
    router.get(`/vendor/${file}`, (_req, res) => {
      res.sendFile(path.join(socketIoDist, file), { maxAge: '1h' });
    });
  }

  router.get('/rooms/:code/qr.svg', async (req, res) => {
    const code = roomCodeParam(req.params.code);
    if (!(await rooms.get(code))) throw AppError.roomNotFound(code);
    // The origin the browser used, so the link works behind a proxy too (`trust proxy` is on).
    const joinUrl = `${req.protocol}://${req.get('host')}/?code=${code}`;
    const svg = await QRCode.toString(joinUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    res.type('image/svg+xml').set('cache-control', 'public, max-age=3600').send(svg);
  });

  const webRoot = WEB_ROOTS.find((dir) => existsSync(path.join(dir, 'index.html')));
  // The REST api works without the pages, so a build that left them out only loses the web client.
  if (webRoot) router.use(express.static(webRoot, { maxAge: 0 }));
  else log.warn('web client not found; / and /host.html will answer 404', { looked: WEB_ROOTS.join(', ') });
  return router;
}
