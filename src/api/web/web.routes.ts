import { existsSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import express, { type Request, Router } from 'express';
import helmet from 'helmet';
import QRCode from 'qrcode';
import type { z } from 'zod';
import { addressGroup } from '../../platform/client-address';
import { joinOrigin } from '../../platform/lan-address';
import type { ApiDeps } from '../deps';
import type { RoomsService } from '../rooms/rooms.service';
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
/** Where the web client's Socket.IO connection goes, for the CSP: PUBLIC_SOCKET_URL, or this host at SOCKET_PORT. */
function socketSources(config: ApiDeps['config']): ((req: IncomingMessage) => string)[] {
  if (config.publicSocketUrl) {
    const url = new URL(config.publicSocketUrl);
    const ws = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return [() => url.origin, () => `${ws}//${url.host}`];
  }
  // The Host header goes into a response header: anything but a plain host name falls back to localhost.
  const hostName = (req: IncomingMessage) => {
    const name = (req.headers.host ?? '').replace(/:\d+$/, '');
    return /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])$/.test(name) ? name : 'localhost';
  };
  const host = (req: IncomingMessage) => `${hostName(req)}:${config.socketPort}`;
  return [(req) => `http://${host(req)}`, (req) => `https://${host(req)}`, (req) => `ws://${host(req)}`, (req) => `wss://${host(req)}`];
}

/** The longest name DNS allows (RFC 1035). */
const MAX_HOSTNAME_LENGTH = 253;

export function webRoutes({ config, log }: ApiDeps, roomsService: Pick<RoomsService, 'lookUp'>): Router {
  const router = Router();
  /** The origin the browser used (so the link works behind a proxy too: `trust proxy` is on), or PUBLIC_URL, or the LAN address for localhost. */
  const joinUrlFor = (req: Request) => {
    // A Host header that is no host (`a b`, a port past 65535, a name longer than DNS allows, which no QR code holds
    // either) is the client's own: its link names localhost.
    const given = URL.parse(`${req.protocol}://${req.get('host') ?? 'localhost'}`);
    const host = given && given.hostname.length <= MAX_HOSTNAME_LENGTH ? given : new URL(`${req.protocol}://localhost`);
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
    await roomsService.lookUp(code, addressGroup(req.ip));
    const joinUrl = `${joinUrlFor(req)}/?code=${code}`;
    const svg = await QRCode.toString(joinUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
    res.type('image/svg+xml').set('cache-control', 'public, max-age=3600').send(svg);
  });

  // The pages load only their own files; they talk to the api and to the socket process (another port, or PUBLIC_SOCKET_URL).
  router.use(
    helmet.contentSecurityPolicy({
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // Socket.IO on the api's own port is 'self'; a separate socket process is another origin.
        connectSrc: ["'self'", ...(config.socketsOnApi && !config.publicSocketUrl ? [] : socketSources(config))],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Players open the pages over plain http on a LAN; upgrading their requests to https would break them.
        upgradeInsecureRequests: null,
      },
    }),
  );
  const webRoot = WEB_ROOTS.find((dir) => existsSync(path.join(dir, 'index.html')));
  // The REST api works without the pages, so a build that left them out only loses the web client.
  if (webRoot) router.use(express.static(webRoot, { maxAge: 0 }));
  else log.warn('web client not found; / and /host.html will answer 404', { looked: WEB_ROOTS.join(', ') });
  return router;
}
