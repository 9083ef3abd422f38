import { randomUUID } from 'node:crypto';
import cors from 'cors';
import helmet from 'helmet';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { redactToken, requireAdmin } from './auth/admin-auth.middleware';
import { accountRoutes } from './auth/account.routes';
import { createAccountService } from './auth/account.service';
import { authRoutes } from './auth/auth.routes';
import { categoriesRoutes } from './questions/categories.routes';
import type { ApiDeps } from './deps';
import { docsRoutes } from './docs/docs.routes';
import { JSON_TYPES, acceptBodies } from './body-types';
import { errorHandler, notFoundHandler } from './error-handler';
import { gamesRoutes } from './history/games.routes';
import { historyRoutes } from './history/history.routes';
import { internalRoutes } from './internal/internal.routes';
import { leaderboardsRoutes } from './leaderboards/leaderboards.routes';
import { createLeaderboardsService } from './leaderboards/leaderboards.service';
import { opsRoutes } from './ops/ops.routes';
import { usePlainErrorMessages } from './plain-errors';
import { questionsRoutes } from './questions/questions.routes';
import { createQuestionsService } from './questions/questions.service';
import { queuesBoard } from './ops/queues-board';
import { createRoomsService } from './rooms/rooms.service';
import { roomsRoutes } from './rooms/rooms.routes';
import { webRoutes } from './web/web.routes';
import { trustedProxies } from '../platform/client-address';

export function createApp(deps: ApiDeps): Express {
  usePlainErrorMessages();
  const app = express();
  app.disable('x-powered-by');
  const rooms = createRoomsService(deps);
  // The worker's signed webhooks come first: a transition each, many a second in a busy hour, and none of
  // what follows (security headers and CORS for browsers, a request log line beside the transition's own) is for them.
  app.use(internalRoutes(deps, rooms));
  // Security headers everywhere; the content security policy is the web client's (web.routes.ts), since Bull Board and the docs bring their own scripts.
  app.use(helmet({ contentSecurityPolicy: false }));
  // Which X-Forwarded-For hops to believe decides `req.ip`, which the per-address limits count by: the socket's rule too.
  app.set('trust proxy', trustedProxies(deps.config.trustProxy));
  app.use(
    pinoHttp({
      logger: deps.log.pino,
      // Keep a request id given by a proxy (Heroku's router sets X-Request-Id), else make one; echo it back.
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactToken(req.url) }),
        res: (res: { statusCode: number }) => ({ status: res.statusCode }),
      },
      customSuccessMessage: (req, res) => `${req.method} ${redactToken(req.url ?? '')} ${res.statusCode}`,
      customErrorMessage: (req, res) => `${req.method} ${redactToken(req.url ?? '')} ${res.statusCode}`,
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => ['/health', '/ready', '/metrics'].includes(req.url ?? '') },
    }),
  );
  // Before the general parser, which then leaves the body be: IMPORT_MAX_ROWS OpenTDB rows outgrow JSON_BODY_LIMIT_KB.
  app.post('/questions/import', express.json({ type: JSON_TYPES, limit: deps.config.limits.importBodyLimitBytes }));
  app.use(express.json({ type: JSON_TYPES, limit: deps.config.limits.jsonBodyLimitBytes }));

  // Same origin by default (no CORS headers); CORS_ORIGINS lets the pages of those sites call the api.
  if (deps.config.corsOrigins.length) app.use(cors({ origin: deps.config.corsOrigins }));
  app.use(acceptBodies({ '/questions/import': ['text/csv'] }));

  app.use(opsRoutes(deps));
  app.use('/admin/queues', requireAdmin(deps.config, deps.users, '/admin/queues'), queuesBoard(deps.queues, '/admin/queues'));

  app.use(authRoutes(deps));
  app.use(accountRoutes(deps, createAccountService(deps, rooms)));
  app.use(roomsRoutes(deps, rooms));
  app.use(categoriesRoutes(deps));
  app.use(questionsRoutes(deps, createQuestionsService({ ...deps, limits: deps.config.limits })));
  app.use(gamesRoutes(deps));
  app.use(historyRoutes(deps));
  app.use(leaderboardsRoutes(createLeaderboardsService(deps)));
  app.use(docsRoutes());
  app.use(webRoutes(deps, rooms));

  app.use(notFoundHandler);
  app.use(errorHandler(deps.log));
  return app;
}
