import type { OperationSpec } from '../operation-spec';
import { Health, Ready } from '../schemas';

export const opsOperations: OperationSpec[] = [
  {
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    tag: 'system',
    summary: 'Liveness: the process answers',
    answer: { status: 200, schema: { Health }, description: 'The api is up.' },
    errors: {},
  },
  {
    method: 'get',
    path: '/ready',
    operationId: 'getReadiness',
    tag: 'system',
    summary: 'Readiness: Redis and PostgreSQL answer',
    answer: { status: 200, schema: { Ready }, description: 'Ready for traffic.' },
    errors: { 503: '`NOT_READY`: a dependency does not answer; `checks` says which.' },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    tag: 'system',
    summary: 'Prometheus metrics of this api process',
    answer: { status: 200, mediaType: 'text/plain', description: 'The Prometheus text exposition format.' },
    errors: {},
  },
];
