import express, { type Request, Router } from 'express';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookBody, verifyWebhook } from '../../shared/webhooks';
import { AppError } from '../app-error';
import type { ApiDeps } from '../deps';
import type { RoomsService } from '../rooms/rooms.service';
import type { WebhookAnswer } from '../schemas';
import { parse, roomCodeParam } from '../validation';

const REASONS = {
  missing: 'This endpoint takes only requests signed by a worker (x-quizloop-signature and x-quizloop-timestamp).',
  expired: 'The webhook timestamp is too old or too far ahead; check the clocks.',
  invalid: 'The webhook signature does not match.',
} as const;

/**
 * A `prepared` webhook carries all of a room's questions: up to 50 at the bank's limits (text 500, 20
 * accepted answers of 200, category 60), ~230,000 UTF-16 units of at most 3 bytes each in JSON, ~0.7 MB.
 * The clients' JSON_BODY_LIMIT_KB would refuse it with a 413, and the room would never leave `building`.
 */
const WEBHOOK_BODY_LIMIT = '1mb';

/** Webhooks the worker calls to move rooms on. Each is HMAC-signed and idempotent through the version check. */
export function internalRoutes(deps: ApiDeps, service: RoomsService): Router {
  const router = Router();

  router.use(
    '/internal',
    // Signatures are over the exact bytes sent, so keep them.
    express.json({ limit: WEBHOOK_BODY_LIMIT, verify: (req, _res, buf) => ((req as Request & { rawBody?: Buffer }).rawBody = buf) }),
  );
  router.use('/internal', (req: Request & { rawBody?: Buffer }, _res, next) => {
    const verdict = verifyWebhook(
      deps.config.webhookSecret,
      { signature: req.get(SIGNATURE_HEADER), timestamp: req.get(TIMESTAMP_HEADER) },
      { method: req.method, path: req.originalUrl, body: req.rawBody?.toString('utf8') ?? '' },
      Date.now(),
    );
    if (verdict !== 'ok') {
      // Served before the request log (app.ts): a refused webhook is logged here.
      deps.log.warn('internal webhook refused', { method: req.method, path: req.originalUrl, verdict, ip: req.ip });
      return next(AppError.unauthorized(REASONS[verdict]));
    }
    next();
  });

  router.post('/internal/rooms/:code/prepared', async (req, res) => {
    const body = parse(WebhookBody.prepared, req.body);
    const room = await service.prepared(roomCodeParam(req.params.code), body.version, body.questions);
    res.json({ phase: room.phase, version: room.version } satisfies WebhookAnswer);
  });

  router.post('/internal/rooms/:code/failed', async (req, res) => {
    const body = parse(WebhookBody.failed, req.body);
    const room = await service.failed(roomCodeParam(req.params.code), body.version, body.reason);
    res.json({ phase: room.phase, version: room.version } satisfies WebhookAnswer);
  });

  router.post('/internal/rooms/:code/advance', async (req, res) => {
    const body = parse(WebhookBody.advance, req.body);
    const room = await service.advance(roomCodeParam(req.params.code), body.version);
    res.json({ phase: room.phase, version: room.version, questionIndex: room.questionIndex } satisfies WebhookAnswer);
  });

  router.post('/internal/rooms/:code/end', async (req, res) => {
    const body = parse(WebhookBody.end, req.body);
    const room = await service.endIdle(roomCodeParam(req.params.code), body.version, body.reason);
    res.json({ phase: room.phase, version: room.version } satisfies WebhookAnswer);
  });

  return router;
}
