import express, { Router } from 'express';
import { ErrorCode } from '../../shared/error-codes';
import { AppError } from '../app-error';
import { JSON_TYPES } from '../body-types';
import { requireUser } from '../auth/auth.middleware';
import type { ApiDeps } from '../deps';
import { fromCsv, fromOpenTdb, type ImportRow } from './question-import';
import { ImportQuery, type ImportReport, OpenTdbImport, QuestionInput, type QuestionPage, QuestionQuery } from './questions.schemas';
import { type QuestionsService, viewerOf } from './questions.service';
import { parse, serialIdParam } from '../validation';

const questionIdParam = (raw: unknown) => serialIdParam(raw, 'a question');

/** The question bank: every route needs a user token; authors change their own questions, admins all. */
export function questionsRoutes(deps: ApiDeps, service: QuestionsService): Router {
  const router = Router();
  // The account must exist, and the token be of its current password: writes name the user as author.
  const viewer = async (req: express.Request) => viewerOf(await requireUser(req, deps.config.jwtSecret, deps.users));

  router.get('/questions', async (req, res) => {
    const who = await viewer(req);
    const query = parse(QuestionQuery, req.query);
    const { items, total } = await service.list(who, {
      category: query.category,
      difficulty: query.difficulty,
      type: query.type,
      search: query.q,
      authorId: query.author === 'me' ? who.id : query.author,
      limit: query.limit,
      offset: query.offset,
    });
    res.json({ items, total, limit: query.limit, offset: query.offset } satisfies QuestionPage);
  });

  router.post('/questions', async (req, res) => {
    const who = await viewer(req);
    const question = await service.create(who, parse(QuestionInput, req.body));
    res.status(201).location(`/questions/${question.id}`).json(question);
  });

  router.post('/questions/import', express.text({ type: 'text/csv', limit: deps.config.limits.importBodyLimitBytes }), async (req, res) => {
    const who = await viewer(req);
    const query = parse(ImportQuery, req.query);
    await deps.rateLimits.consume('importsPerUser', who.id);
    let rows: ImportRow[];
    if (query.format === 'csv') {
      if (!req.is('text/csv') || typeof req.body !== 'string') {
        throw new AppError(ErrorCode.BadRequest, 415, 'format=csv takes a text/csv body (Content-Type: text/csv).');
      }
      rows = fromCsv(req.body, deps.config.limits.importMaxRows);
    } else {
      if (!req.is(JSON_TYPES)) throw new AppError(ErrorCode.BadRequest, 415, 'format=opentdb takes the OpenTDB answer as application/json.');
      const body = parse(OpenTdbImport, req.body);
      if (body.response_code !== undefined && body.response_code !== 0) {
        throw AppError.badRequest(`OpenTDB answered response_code ${body.response_code}, which carries no questions.`);
      }
      // Counted before any row is read: a 1 MB body holds tens of thousands of tiny rows, seconds of work to refuse one by one.
      service.checkRowCount(body.results.length);
      rows = fromOpenTdb(body.results, query.public === 'true');
    }
    res.json((await service.import(who, rows)) satisfies ImportReport);
  });

  router.get('/questions/:questionId', async (req, res) => {
    res.json(await service.get(await viewer(req), questionIdParam(req.params.questionId)));
  });

  router.put('/questions/:questionId', async (req, res) => {
    const who = await viewer(req);
    const id = questionIdParam(req.params.questionId);
    res.json(await service.update(who, id, parse(QuestionInput, req.body)));
  });

  router.delete('/questions/:questionId', async (req, res) => {
    await service.remove(await viewer(req), questionIdParam(req.params.questionId));
    res.status(204).end();
  });

  return router;
}
