import { type Request, Router } from 'express';
import { ErrorCode } from '../../shared/error-codes';
import type { CategoryRow } from '../../store/repos/categories.repo';
import { AppError } from '../app-error';
import { optionalClaims, requireClaims, requireUser } from '../auth/auth.middleware';
import type { ApiDeps } from '../deps';
import { CategoriesQuery, type Category, CategoryInput } from './questions.schemas';
import type { Categories } from '../schemas';
import { tooManyCategories, viewerOf } from './questions.service';
import { parse } from '../validation';

const toCategory = (r: CategoryRow): Category => ({ id: r.id, name: r.name, createdBy: r.created_by, createdAt: r.created_at.toISOString() });

function categoryIdParam(raw: unknown): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1) throw AppError.badRequest(`"${String(raw)}" is not a category id (a whole number from 1).`);
  return id;
}

/** Categories: anyone lists them; any user creates one; its creator or an admin renames or deletes it. */
export function categoriesRoutes({ categories, config, users }: ApiDeps): Router {
  const maxCategories = config.limits.userMaxCategories;
  const router = Router();
  const secret = config.jwtSecret;

  async function editable(req: Request): Promise<CategoryRow> {
    const viewer = viewerOf(requireClaims(req, secret, ['user']));
    const id = categoryIdParam(req.params.categoryId);
    const row = await categories.byId(id);
    if (!row) throw new AppError(ErrorCode.NotFound, 404, `No category ${id}.`);
    if (!viewer.admin && row.created_by !== viewer.id) throw AppError.forbidden(`Only the creator of "${row.name}" or an admin may change it.`);
    return row;
  }

  router.get('/categories', async (req, res) => {
    // With a user token the counts include the caller's private questions, which their rooms may ask too.
    const claims = optionalClaims(req, secret);
    const page = parse(CategoriesQuery, req.query);
    const { rows, total } = await categories.withCounts(claims?.kind === 'user' ? claims.sub : null, page);
    res.json({ categories: rows, total, ...page } satisfies Categories);
  });

  router.post('/categories', async (req, res) => {
    const viewer = viewerOf(await requireUser(req, secret, users));
    const { name } = parse(CategoryInput, req.body);
    if ((await categories.countBy(viewer.id)) >= maxCategories) throw tooManyCategories(maxCategories);
    const row = await categories.insert(name, viewer.id);
    if (!row) throw AppError.conflict(ErrorCode.CategoryExists, `A category "${name}" exists already (names ignore case).`);
    res.status(201).location(`/categories/${row.id}`).json(toCategory(row));
  });

  router.put('/categories/:categoryId', async (req, res) => {
    const current = await editable(req);
    const { name } = parse(CategoryInput, req.body);
    const row = await categories.rename(current.id, name);
    if (row === 'taken') throw AppError.conflict(ErrorCode.CategoryExists, `Another category is called "${name}" (names ignore case).`);
    if (!row) throw new AppError(ErrorCode.NotFound, 404, `No category ${current.id}.`);
    res.json(toCategory(row));
  });

  router.delete('/categories/:categoryId', async (req, res) => {
    const current = await editable(req);
    const live = await categories.liveQuestions(current.name);
    if (live > 0) {
      throw AppError.conflict(ErrorCode.CategoryInUse, `"${current.name}" still holds ${live} question(s); move or delete them first.`);
    }
    await categories.delete(current.id);
    res.status(204).end();
  });

  return router;
}
