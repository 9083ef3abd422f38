import express, { type Express } from 'express';
import { authRoutes } from './auth.routes';
import type { ApiDeps } from './deps';
import { errorHandler, notFoundHandler } from './error-handler';
import { gamesRoutes } from './games.routes';
import { internalRoutes } from './internal.routes';
import { createRoomsService } from './rooms.service';
import { roomsRoutes } from './rooms.routes';

export function createApp(deps: ApiDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(
    express.json({
      limit: '256kb',
      // Webhook signatures are over the exact bytes sent, so keep them.
      verify: (req, _res, buf) => ((req as typeof req & { rawBody?: Buffer }).rawBody = buf),
    }),
  );

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const rooms = createRoomsService(deps);
  app.use(authRoutes(deps));
  app.use(roomsRoutes(deps, rooms));
  app.use(gamesRoutes(deps));
  app.use(internalRoutes(deps, rooms));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
