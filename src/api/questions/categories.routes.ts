import { type Request, Router } from 'express';
import { ErrorCode } from '../../shared/error-codes';
import { type CategoryRow, createCategoriesRepo } from '../../store/repos/categories.repo';
import { AppError } from '../app-error';
import { optionalAccountClaims, requireUser } from '../auth/auth.middleware';
import type { ApiDeps } from '../deps';
import { CategoriesQuery, type Category, CategoryInput } from './questions.schemas';
import type { Categories } from '../schemas';
import { tooManyCategories, viewerOf } from './questions.service';
import { parse, serialIdParam } from '../validation';

const toCategory = (r: CategoryRow): Category => ({
  id: r.id,
  name: r.name,
  createdBy: r.created_by,
  shared: r.owner_id === null,
  createdAt: r.created_at.toISOString(),
});

const categoryExists = (name: string, owner: string | null) =>
  AppError.conflict(
    ErrorCode.CategoryExists,
    owner === null
      ? `A shared category is called "${name}" already (names ignore case).`
      : `You have a category "${name}" already, or a shared one is called so; use it (names ignore case).`,
  );

const categoryIdParam = (raw: unknown) => serialIdParam(raw, 'a category');

/**
 * Categories: a user's are their own (a name of theirs never clashes with another user's), an admin's
 * are shared. Anyone lists what they may pick; its creator or an admin renames or deletes one.
 */
export function categoriesRoutes({ categories, config, users }: ApiDeps): Router {
  const maxCategories = config.limits.userMaxCategories;
  const router = Router();
  const secret = config.jwtSecret;

  async function editable(req: Request): Promise<CategoryRow> {
    const viewer = viewerOf(await requireUser(req, secret, users));
    const id = categoryIdParam(req.params.categoryId);
    const row = await categories.byId(id);
    if (!row) throw new AppError(ErrorCode.NotFound, 404, `No category ${id}.`);
    // Another user's private category answers as if it did not exist: its name is theirs alone.
    if (!viewer.admin && row.owner_id !== null && row.owner_id !== viewer.id) throw new AppError(ErrorCode.NotFound, 404, `No category ${id}.`);
    if (!viewer.admin && row.created_by !== viewer.id) throw AppError.forbidden(`Only the creator of "${row.name}" or an admin may change it.`);
    return row;
  }

  router.get('/categories', async (req, res) => {
    // With a user token the counts include the caller's private questions, which their rooms may ask too.
    const claims = await optionalAccountClaims(req, secret, users);
    const page = parse(CategoriesQuery, req.query);
    const { rows, total } = await categories.withCounts(claims?.kind === 'user' ? claims.sub : null, page);
    res.json({ categories: rows, total, ...page } satisfies Categories);
  });

  router.post('/categories', async (req, res) => {
    const viewer = viewerOf(await requireUser(req, secret, users));
    const { name } = parse(CategoryInput, req.body);
    const owner = viewer.admin ? null : viewer.id;
    const row = await categories.underCap(viewer.id, maxCategories, (trx) => createCategoriesRepo(trx).insert(name, owner, viewer.id));
    if (row === 'full') throw tooManyCategories(maxCategories);
    if (!row) throw categoryExists(name, owner);
    res.status(201).location(`/categories/${row.id}`).json(toCategory(row));
  });

  router.put('/categories/:categoryId', async (req, res) => {
    const current = await editable(req);
    const { name } = parse(CategoryInput, req.body);
    const row = await categories.rename(current.id, name);
    if (row === 'taken') throw categoryExists(name, current.owner_id);
    if (!row) throw new AppError(ErrorCode.NotFound, 404, `No category ${current.id}.`);
    res.json(toCategory(row));
  });

  router.delete('/categories/:categoryId', async (req, res) => {
    const current = await editable(req);
    const live = await categories.liveQuestions(current.id);
    if (live > 0) {
      throw AppError.conflict(ErrorCode.CategoryInUse, `"${current.name}" still holds ${live} question(s); move or delete them first.`);
    }
    await categories.delete(current.id);
    res.status(204).end();
  });

  return router;
}
