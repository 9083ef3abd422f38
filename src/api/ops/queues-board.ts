import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Router } from 'express';
import type { Queues } from '../../store/queues';

type BoardServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

/** Bull Board over every quizloop queue (they carry the namespace prefix); mount it behind `requireAdmin`. */
export function queuesBoard(queues: Queues, basePath: string): Router {
  const serverAdapter = new ExpressAdapter().setBasePath(basePath);
  createBullBoard({
    queues: Object.values(queues).map((queue) => new BullMQAdapter(queue)),
    // @bull-board/express 9.10.1 pins its own @bull-board/api 9.10.1 beside our 9.10.2, whose types differ
    // only by private members; at run time the adapter needs nothing from it. Remove once the versions match.
    serverAdapter: serverAdapter as unknown as BoardServerAdapter,
    options: { uiConfig: { boardTitle: 'quizloop' } },
  });
  // The adapter's own Express app, typed `any` upstream.
  return serverAdapter.getRouter() as Router;
}
