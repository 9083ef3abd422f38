import { Router } from 'express';
import { METRICS_REFUSED, metricsAllowed } from '../../platform/ops-http';
import { checkReadiness, readinessResponse } from '../../platform/readiness';
import type { ApiDeps } from '../deps';

/**
 * Liveness, readiness and Prometheus metrics. /health checks nothing on purpose: a restart does
 * not fix Redis being down, so an orchestrator should stop sending traffic (/ready), not kill us.
 */
export function opsRoutes({ redis, db, metrics, config }: ApiDeps): Router {
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/ready', async (req, res) => {
    const readiness = await checkReadiness({ redis: () => redis.ping(), postgres: () => db.raw('select 1') });
    const answer = readinessResponse(readiness, req.originalUrl);
    res.status(answer.status).set('cache-control', 'no-store').type(answer.contentType).send(JSON.stringify(answer.body));
  });

  router.get('/metrics', async (req, res) => {
    if (!metricsAllowed(req.get('authorization'), config.metricsToken)) return void res.status(401).type('application/problem+json').json(METRICS_REFUSED);
    const text = await metrics.registry.metrics();
    res.set('cache-control', 'no-store').type(metrics.registry.contentType).send(text);
  });

  return router;
}
