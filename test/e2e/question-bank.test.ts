import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BankQuestion, Category, ImportReport, QuestionPage } from '../../src/api/questions/questions.schemas';
import { createDb } from '../../src/platform/db';
import { infra } from '../helpers/infra';
import { Stack } from '../helpers/stack';

const ADMIN_EMAIL = `admin-${randomBytes(4).toString('hex')}@quizloop.test`;
/** A category of this file's own, so counts and listings see only what this file made. */
const CATEGORY = `Bank test ${randomBytes(3).toString('hex')}`;

const multiple = (text: string, extra: Record<string, unknown> = {}) => ({
  category: CATEGORY,
  difficulty: 'easy',
  type: 'multiple',
  text,
  choices: ['Mars', 'Jupiter', 'Venus', 'Saturn'],
  correct: [1, 3],
  ...extra,
});

describe('the question bank', () => {
  let stack: Stack;
  let ann: { token: string; userId: string };
  let bob: { token: string; userId: string };
  let admin: { token: string; userId: string };

  const req = <T>(method: string, path: string, token: string, body?: unknown) => stack.api.request<T>(method, path, { token, body });

  beforeAll(async () => {
    stack = await Stack.start('question-bank', ['api']);
    ann = await stack.api.registerHost('Ann');
    bob = await stack.api.registerHost('Bob');
    const registered = await stack.api.registerHost('Admin', ADMIN_EMAIL);
    await stack.grantAdmin(ADMIN_EMAIL);
    const login = await stack.api.request<{ token: string }>('POST', '/auth/login', { body: { email: ADMIN_EMAIL, password: 'correct horse battery' } });
    admin = { ...registered, token: login.body.token };
  });

  beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`process output (${stack.namespace}):\n${stack.logs()}`)));

  afterAll(async () => {
    const db = createDb(infra().databaseUrl);
    const users = [ann?.userId, bob?.userId, admin?.userId].filter(Boolean);
    await db('questions').whereIn('author_id', users).delete();
    await db('categories').whereIn('created_by', users).delete();
    await db.destroy();
    await stack?.stop();
  });

  describe('when an author adds questions of each type', () => {
    it('stores a multiple question with several correct choices, and answers 201 with its Location', async () => {
      const res = await req<BankQuestion>('POST', '/questions', ann.token, multiple('Which are gas giants?'));

      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ type: 'multiple', correct: [1, 3], accepted: [], public: false, authorId: ann.userId, canEdit: true });
    });

    it('fills in True, False for a boolean question', async () => {
      const res = await req<BankQuestion>('POST', '/questions', ann.token, {
        category: CATEGORY,
        difficulty: 'easy',
        type: 'boolean',
        text: 'Mars is red.',
        correct: [0],
      });

      expect(res.status).toBe(201);
      expect(res.body.choices).toEqual(['True', 'False']);
    });

    it('stores a type-answer question with its accepted variants and a poll with no answer', async () => {
      const typed = await req<BankQuestion>('POST', '/questions', ann.token, {
        category: CATEGORY,
        difficulty: 'medium',
        type: 'type-answer',
        text: 'Capital of Iceland?',
        accepted: ['Reykjavík'],
      });
      const poll = await req<BankQuestion>('POST', '/questions', ann.token, {
        category: CATEGORY,
        difficulty: 'hard',
        type: 'poll',
        text: 'Best planet?',
        choices: ['Mars', 'Earth'],
      });

      expect(typed.status).toBe(201);
      expect(typed.body).toMatchObject({ choices: [], correct: [], accepted: ['Reykjavík'] });
      expect(poll.status).toBe(201);
    });

    it.each([
      ['one choice', multiple('One?', { choices: ['Only'], correct: [0] })],
      ['seven choices', multiple('Seven?', { choices: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], correct: [0] })],
      ['no correct choice', multiple('None?', { correct: [] })],
      ['a correct index past the choices', multiple('Past?', { correct: [4] })],
      ['choices equal but for case', multiple('Same?', { choices: ['Mars', 'MARS'], correct: [0] })],
      ['a boolean with two correct', { category: CATEGORY, difficulty: 'easy', type: 'boolean', text: 'Both?', correct: [0, 1] }],
      ['a type-answer with choices', { category: CATEGORY, difficulty: 'easy', type: 'type-answer', text: 'Typed?', choices: ['a', 'b'], accepted: ['a'] }],
      ['a type-answer with nothing accepted', { category: CATEGORY, difficulty: 'easy', type: 'type-answer', text: 'Typed?' }],
      ['a poll with a correct choice', { category: CATEGORY, difficulty: 'easy', type: 'poll', text: 'Poll?', choices: ['a', 'b'], correct: [0] }],
      ['an unknown type', multiple('Kind?', { type: 'essay' })],
    ])('refuses %s with a problem naming what is wrong', async (_, body) => {
      const res = await req<{ code: string; errors: unknown[] }>('POST', '/questions', ann.token, body);

      expect(res.status).toBe(400);
      expect(res.contentType).toContain('application/problem+json');
      expect(res.body.code).toBe('BAD_REQUEST');
      expect(res.body.errors.length).toBeGreaterThan(0);
    });

    it('refuses the same question again (case, accents, spaces and choice order aside) with DUPLICATE_QUESTION', async () => {
      const res = await req<{ code: string; detail: string }>(
        'POST',
        '/questions',
        ann.token,
        multiple('  which are GAS giants? ', { choices: ['Saturn', 'Venus', 'Jupiter', 'Mars'], correct: [0, 2] }),
      );

      expect(res.status).toBe(409);
      expect(res.body.code).toBe('DUPLICATE_QUESTION');
    });

    it('lets another author have the same question', async () => {
      const res = await req<BankQuestion>('POST', '/questions', bob.token, multiple('Which are gas giants?'));

      expect(res.status).toBe(201);
    });

    it('needs a user token', async () => {
      expect((await stack.api.request('POST', '/questions', { body: multiple('No token?') })).status).toBe(401);
    });
  });

  describe('listing', () => {
    it('filters by author, type and text, a page at a time, with the total', async () => {
      const all = await req<QuestionPage>('GET', `/questions?author=me&category=${encodeURIComponent(CATEGORY)}`, ann.token);
      const polls = await req<QuestionPage>('GET', '/questions?author=me&type=poll', ann.token);
      const page = await req<QuestionPage>('GET', `/questions?author=me&category=${encodeURIComponent(CATEGORY)}&limit=2&offset=2`, ann.token);
      const search = await req<QuestionPage>('GET', '/questions?author=me&q=ICELAND', ann.token);

      expect(all.body.total).toBe(4);
      expect(polls.body.items.map((q) => q.text)).toEqual(['Best planet?']);
      expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 2 });
      expect(page.body.items.map((q) => q.id)).toEqual(all.body.items.slice(2).map((q) => q.id));
      expect(search.body.items.map((q) => q.text)).toEqual(['Capital of Iceland?']);
    });

    it('refuses a bad query with a problem', async () => {
      const res = await req<{ code: string }>('GET', '/questions?limit=1000&type=essay', ann.token);

      expect(res.status).toBe(400);
      expect(res.body.code).toBe('BAD_REQUEST');
    });

    it("hides another author's private questions, and shows public ones without their answers", async () => {
      const shared = await req<BankQuestion>('POST', '/questions', ann.token, multiple('Which is the red planet?', { correct: [0], public: true }));
      const bobSees = await req<QuestionPage>('GET', `/questions?author=${ann.userId}`, bob.token);

      expect(bobSees.body.items.map((q) => q.text)).toEqual(['Which is the red planet?']);
      expect(bobSees.body.items[0]).toMatchObject({ id: shared.body.id, correct: null, accepted: null, canEdit: false });
    });
  });

  describe('editing and deleting', () => {
    it("lets the author replace a question, forbids another user, and lets an admin edit anyone's", async () => {
      const { body: q } = await req<BankQuestion>('POST', '/questions', ann.token, multiple('Edit me?', { correct: [1], public: true }));

      const byBob = await req<{ code: string }>('PUT', `/questions/${q.id}`, bob.token, multiple('Edited by Bob?', { correct: [1] }));
      const byAnn = await req<BankQuestion>('PUT', `/questions/${q.id}`, ann.token, multiple('Edited by Ann?', { correct: [2], public: true }));
      const byAdmin = await req<BankQuestion>('PUT', `/questions/${q.id}`, admin.token, multiple('Edited by the admin?', { correct: [2] }));

      expect(byBob.status).toBe(403);
      expect(byBob.body.code).toBe('FORBIDDEN');
      expect(byAnn.body).toMatchObject({ text: 'Edited by Ann?', correct: [2] });
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body).toMatchObject({ text: 'Edited by the admin?', authorId: ann.userId, canEdit: true });
    });

    it("answers 404 for another author's private question, as for one that does not exist", async () => {
      const { body: q } = await req<BankQuestion>('POST', '/questions', ann.token, multiple('Private?', { correct: [0] }));

      expect((await req('GET', `/questions/${q.id}`, bob.token)).status).toBe(404);
      expect((await req('GET', '/questions/999999999', bob.token)).status).toBe(404);
      expect((await req('GET', '/questions/abc', bob.token)).status).toBe(400);
    });

    it('deletes a question: it leaves the bank, and the same question may be added again', async () => {
      const { body: q } = await req<BankQuestion>('POST', '/questions', ann.token, multiple('Delete me?', { correct: [0] }));

      expect((await req('DELETE', `/questions/${q.id}`, bob.token)).status).toBe(404);
      expect((await req('DELETE', `/questions/${q.id}`, ann.token)).status).toBe(204);
      expect((await req('GET', `/questions/${q.id}`, ann.token)).status).toBe(404);
      expect((await req('DELETE', `/questions/${q.id}`, ann.token)).status).toBe(404);
      expect((await req('POST', '/questions', ann.token, multiple('Delete me?', { correct: [0] }))).status).toBe(201);
    });
  });

  describe('categories', () => {
    it('creates, renames (moving its questions) and deletes a category once it is empty', async () => {
      const name = `Cat ${randomBytes(3).toString('hex')}`;
      const created = await req<Category>('POST', '/categories', ann.token, { name });
      const again = await req<{ code: string }>('POST', '/categories', ann.token, { name: name.toUpperCase() });
      const { body: q } = await req<BankQuestion>('POST', '/questions', ann.token, multiple('In a category?', { category: name.toLowerCase(), correct: [0] }));

      const byBob = await req('PUT', `/categories/${created.body.id}`, bob.token, { name: `${name} renamed` });
      const renamed = await req<Category>('PUT', `/categories/${created.body.id}`, ann.token, { name: `${name} renamed` });
      const moved = await req<BankQuestion>('GET', `/questions/${q.id}`, ann.token);
      const inUse = await req<{ code: string }>('DELETE', `/categories/${created.body.id}`, ann.token);
      await req('DELETE', `/questions/${q.id}`, ann.token);
      const deleted = await req('DELETE', `/categories/${created.body.id}`, ann.token);

      expect(created.status).toBe(201);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('CATEGORY_EXISTS');
      expect(q.category).toBe(name);
      expect(byBob.status).toBe(404);
      expect(renamed.body.name).toBe(`${name} renamed`);
      expect(moved.body.category).toBe(`${name} renamed`);
      expect(inUse.status).toBe(409);
      expect(inUse.body.code).toBe('CATEGORY_IN_USE');
      expect(deleted.status).toBe(204);
    });

    describe('when two users pick the same name for their categories', () => {
      type Listed = { categories: { id: number; category: string; total: number; shared: boolean }[] };
      const listed = async (token?: string) =>
        (await stack.api.request<Listed>('GET', '/categories?limit=500', token ? { token } : {})).body.categories.filter((c) =>
          c.category.toLowerCase().startsWith(name.toLowerCase()),
        );
      let name: string;
      let anns: Category;
      let bobs: { status: number; body: Category };
      let bobQuestion: BankQuestion;

      beforeAll(async () => {
        name = `Hosty Private ${randomBytes(3).toString('hex')}`;
        anns = (await req<Category>('POST', '/categories', ann.token, { name })).body;
        await req('POST', '/questions', ann.token, multiple('Hosty asks?', { category: name, correct: [0] }));
      });

      it("puts the other user's question in a category of their own, so it never keeps the owner from deleting theirs", async () => {
        bobQuestion = (await req<BankQuestion>('POST', '/questions', bob.token, multiple('Bob slips in?', { category: name.toUpperCase(), correct: [0] })))
          .body;
        const own = (await req<QuestionPage>('GET', `/questions?author=me&category=${encodeURIComponent(name)}`, ann.token)).body.items;
        for (const q of own) await req('DELETE', `/questions/${q.id}`, ann.token);

        const deleted = await req('DELETE', `/categories/${anns.id}`, ann.token);
        const kept = await req<BankQuestion>('GET', `/questions/${bobQuestion.id}`, bob.token);

        expect(deleted.status).toBe(204);
        expect(kept.body).toMatchObject({ category: name.toUpperCase(), authorId: bob.userId });
      });

      it("lets each create a name the other has, once each, and keeps one user's category from the other", async () => {
        anns = (await req<Category>('POST', '/categories', ann.token, { name })).body;
        const annsTwo = await req<Category>('POST', '/categories', ann.token, { name: `${name} Two` });
        bobs = await req<Category>('POST', '/categories', bob.token, { name: `${name} two` });
        const bobAgain = await req<{ code: string }>('POST', '/categories', bob.token, { name: `${name} TWO` });
        const annAgain = await req<{ code: string }>('POST', '/categories', ann.token, { name: name.toLowerCase() });
        const renameBobs = await req('PUT', `/categories/${bobs.body.id}`, ann.token, { name: `${name} Mine` });
        const deleteBobs = await req('DELETE', `/categories/${bobs.body.id}`, ann.token);

        expect(anns).toMatchObject({ name, shared: false });
        expect(annsTwo.status).toBe(201);
        expect(bobs.status).toBe(201);
        expect(bobs.body).toMatchObject({ name: `${name} two`, shared: false, createdBy: bob.userId });
        expect(bobAgain.status).toBe(409);
        expect(bobAgain.body.code).toBe('CATEGORY_EXISTS');
        expect(annAgain.status).toBe(409);
        expect(annAgain.body.code).toBe('CATEGORY_EXISTS');
        expect(renameBobs.status).toBe(404);
        expect(deleteBobs.status).toBe(404);
      });

      it('lists to each user what they may pick: their own categories and ones holding a question they may ask, to nobody else', async () => {
        const [anonymous, asAnn, asBob] = [await listed(), await listed(ann.token), await listed(bob.token)];

        expect(anonymous).toEqual([]);
        expect(new Set(asAnn.map((c) => `${c.category}: ${c.total}`))).toEqual(new Set([`${name}: 0`, `${name} Two: 0`]));
        expect(new Set(asBob.map((c) => `${c.category}: ${c.total}`))).toEqual(new Set([`${name.toUpperCase()}: 1`, `${name} two: 0`]));
      });

      it("refuses a room in a category the host has no questions in, up front, and makes one from the host's own", async () => {
        const room = (token: string, category: string) =>
          stack.api.request<{ code: string; detail: string }>('POST', '/rooms', { token, body: { questionCount: 1, category } });

        const bobsRoom = await room(bob.token, name);
        const annsRoom = await room(ann.token, name);
        const nowhere = await room(ann.token, `Nope ${randomBytes(3).toString('hex')}`);

        expect(bobsRoom.status).toBe(201);
        expect(annsRoom.status).toBe(409);
        expect(annsRoom.contentType).toContain('application/problem+json');
        expect(annsRoom.body.code).toBe('NOT_ENOUGH_QUESTIONS');
        expect(annsRoom.body.detail).toMatch(/has 0 question\(s\) you may use for category "Hosty Private \w+"; the room needs 1/);
        expect(nowhere.status).toBe(409);
        expect(nowhere.body.code).toBe('NOT_ENOUGH_QUESTIONS');
      });
    });

    it("keeps the starter bank's categories shared: a user's question goes in them, and their names are taken", async () => {
      const { body: q } = await req<BankQuestion>(
        'POST',
        '/questions',
        bob.token,
        multiple(`Bob in science ${randomBytes(3).toString('hex')}?`, { category: 'science', correct: [0] }),
      );
      const mine = await req<{ code: string }>('POST', '/categories', bob.token, { name: 'SCIENCE' });
      const science = (await req<{ categories: { category: string; shared: boolean }[] }>('GET', '/categories?limit=500', bob.token)).body.categories.filter(
        (c) => c.category.toLowerCase() === 'science',
      );
      const byAdmin = await req<Category>('POST', '/categories', admin.token, { name: `Admin shared ${randomBytes(3).toString('hex')}` });

      expect(q.category).toBe('Science');
      expect(mine.status).toBe(409);
      expect(mine.body.code).toBe('CATEGORY_EXISTS');
      expect(science).toEqual([expect.objectContaining({ category: 'Science', shared: true })]);
      expect(byAdmin.body).toMatchObject({ shared: true });
    });

    it('counts public questions for everyone and private ones for their author', async () => {
      const find = (list: { categories: { category: string; total: number }[] }) => list.categories.find((c) => c.category === CATEGORY)?.total;

      const anonymous = await stack.api.request<{ categories: { category: string; total: number }[] }>('GET', '/categories');
      const asAnn = await req<{ categories: { category: string; total: number }[] }>('GET', '/categories', ann.token);

      // Public: the red planet; "Edit me?" was made private again by the admin's edit.
      expect(find(anonymous.body)).toBe(1);
      expect(find(asAnn.body)).toBeGreaterThan(1);
    });
  });

  describe('importing', () => {
    const opentdb = {
      response_code: 0,
      results: [
        {
          category: 'Entertainment: Video Games',
          type: 'multiple',
          difficulty: 'medium',
          question: 'In &quot;Portal&quot;, what is GLaDOS&#039; favourite &eacute;clair &amp; cake?',
          correct_answer: 'Black Forest',
          incorrect_answers: ['Lemon &amp; Lime', 'Carrot', 'Sponge'],
        },
        {
          category: 'Science &amp; Nature',
          type: 'boolean',
          difficulty: 'easy',
          question: 'The sun is a star.',
          correct_answer: 'True',
          incorrect_answers: ['False'],
        },
        { category: 'Science', type: 'boolean', difficulty: 'easy', question: 'Broken?', correct_answer: 'Maybe', incorrect_answers: ['False'] },
        { category: 'Science', type: 'multiple', difficulty: 'impossible', question: 'Too hard?', correct_answer: 'a', incorrect_answers: ['b'] },
        { type: 'multiple' },
      ],
    };

    type Rejected = { code: string; detail: string; errors: { row: number; field: string | null; message: string }[] };
    const search = async (words: string) => (await req<QuestionPage>('GET', `/questions?q=${encodeURIComponent(words)}`, ann.token)).body.total;
    const importCsv = <T>(csv: string) =>
      stack.api.request<T>('POST', '/questions/import?format=csv', { token: ann.token, rawBody: csv, headers: { 'content-type': 'text/csv' } });

    it('saves nothing from an OpenTDB file with a bad row, and lists every bad row and field', async () => {
      const res = await req<Rejected>('POST', '/questions/import?format=opentdb', ann.token, opentdb);

      expect(res.status).toBe(400);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('IMPORT_REJECTED');
      expect([...new Set(res.body.errors.map((e) => e.row))]).toEqual([3, 4, 5]);
      expect(res.body.errors.find((e) => e.row === 3)?.message).toMatch(/True or False/);
      expect(res.body.errors.find((e) => e.row === 4)).toMatchObject({ field: 'difficulty' });
      expect(await search('GLaDOS')).toBe(0);
    });

    it('imports Open Trivia DB questions with HTML entities decoded', async () => {
      const res = await req<ImportReport>('POST', '/questions/import?format=opentdb', ann.token, { ...opentdb, results: opentdb.results.slice(0, 2) });
      const portal = await req<BankQuestion>('GET', `/questions/${res.body.importedIds[0]}`, ann.token);

      expect(res.status).toBe(200);
      expect(res.body.imported).toBe(2);
      expect(portal.body.text).toBe('In "Portal", what is GLaDOS\' favourite éclair & cake?');
      expect(portal.body.category).toBe('Entertainment: Video Games');
      expect([...portal.body.choices].sort()).toEqual(['Black Forest', 'Carrot', 'Lemon & Lime', 'Sponge']);
      expect(portal.body.choices[portal.body.correct?.[0] ?? -1]).toBe('Black Forest');
    });

    it('refuses the same file imported again, naming each row as a duplicate', async () => {
      const res = await req<Rejected>('POST', '/questions/import?format=opentdb', ann.token, { ...opentdb, results: opentdb.results.slice(0, 2) });

      expect(res.status).toBe(400);
      expect(res.body.errors.map((e) => e.row)).toEqual([1, 2]);
      expect(res.body.errors[0]?.message).toMatch(/same question as your question/);
    });

    const goodCsv = [
      'category,difficulty,type,text,choice1,choice2,choice3,correct,accepted,public',
      `${CATEGORY},easy,multiple,"Which are moons, of Jupiter?",Io,Europa,Titan,1|2,,`,
      `${CATEGORY},easy,boolean,"He said ""yes"".",,,,true,,`,
      `${CATEGORY},medium,type-answer,"Largest ocean?",,,,,Pacific|Pacific Ocean,`,
      `${CATEGORY},hard,poll,Tea or coffee?,Tea,Coffee,,,,`,
    ];

    it('saves nothing from a CSV with bad rows, naming each by its record number', async () => {
      const csv = [
        ...goodCsv,
        `${CATEGORY},easy,multiple,No correct?,a,b,,,,`,
        `${CATEGORY},easy,multiple,Bad correct?,a,b,,first,,`,
        `${CATEGORY},easy,essay,Unknown type?,,,,,,`,
        `${CATEGORY},easy,multiple,"Which are moons, of Jupiter?",Titan,Io,Europa,1,,`,
        `${CATEGORY},easy,multiple,"Nul\u0000 inside",a,b,,1,,`,
      ].join('\r\n');

      const res = await importCsv<Rejected>(csv);

      expect(res.status).toBe(400);
      expect([...new Set(res.body.errors.map((e) => e.row))]).toEqual([6, 7, 8, 9, 10]);
      expect(res.body.errors.find((e) => e.row === 9)?.message).toMatch(/same question as row 2/);
      expect(res.body.errors.find((e) => e.row === 10)).toMatchObject({ field: 'text', message: expect.stringMatching(/control/) });
      expect(await search('moons, of Jupiter')).toBe(0);
    });

    it('imports a valid CSV with quoted fields in one go', async () => {
      const res = await importCsv<ImportReport>(goodCsv.join('\r\n'));
      const typed = await req<BankQuestion>('GET', `/questions/${res.body.importedIds[2]}`, ann.token);

      expect(res.status).toBe(200);
      expect(res.body.imported).toBe(4);
      expect(typed.body).toMatchObject({ type: 'type-answer', accepted: ['Pacific', 'Pacific Ocean'] });
    });

    it('refuses a CSV without the required columns, and a body of the wrong type', async () => {
      const noHeader = await stack.api.request<{ code: string; detail: string }>('POST', '/questions/import?format=csv', {
        token: ann.token,
        rawBody: 'question,answer\nA,B',
        headers: { 'content-type': 'text/csv' },
      });
      const wrongType = await req('POST', '/questions/import?format=csv', ann.token, opentdb);
      const noFormat = await req('POST', '/questions/import', ann.token, opentdb);

      expect(noHeader.status).toBe(400);
      expect(noHeader.body.detail).toMatch(/Missing: category, difficulty, type, text/);
      expect(wrongType.status).toBe(415);
      expect(noFormat.status).toBe(400);
    });

    describe('with as many OpenTDB rows as IMPORT_MAX_ROWS allows (500, the default)', () => {
      const IMPORT_MAX_ROWS = 500;
      // About 300 bytes a row, as OpenTDB's own answers run: 500 of them are far past JSON_BODY_LIMIT_KB (64 kB).
      const rows = (n: number, tag: string) => ({
        response_code: 0,
        results: Array.from({ length: n }, (_, i) => ({
          category: CATEGORY,
          type: 'multiple',
          difficulty: 'medium',
          question: `Bulk ${tag} ${i}: which of these planets, counted outward from the Sun, comes fourth in line after the Earth and its Moon?`,
          correct_answer: 'Mars',
          incorrect_answers: ['Jupiter, the largest', 'Venus, the hottest', 'Saturn, the ringed one'],
        })),
      });

      it('saves every row, though the JSON is larger than JSON_BODY_LIMIT_KB', async () => {
        const body = rows(IMPORT_MAX_ROWS, 'fits');
        expect(JSON.stringify(body).length).toBeGreaterThan(64 * 1024);

        const res = await req<ImportReport>('POST', '/questions/import?format=opentdb', bob.token, body);

        expect(res.status).toBe(200);
        expect(res.body.imported).toBe(IMPORT_MAX_ROWS);
      });

      it('refuses one row more with a 400 naming the bound, and saves none of it', async () => {
        const res = await req<{ code: string; detail: string }>('POST', '/questions/import?format=opentdb', bob.token, rows(IMPORT_MAX_ROWS + 1, 'over'));

        expect(res.status).toBe(400);
        expect(res.contentType).toContain('application/problem+json');
        expect(res.body.code).toBe('BAD_REQUEST');
        expect(res.body.detail).toBe(`At most ${IMPORT_MAX_ROWS} questions per import; this one has ${IMPORT_MAX_ROWS + 1}.`);
        expect((await req<QuestionPage>('GET', '/questions?q=Bulk%20over', bob.token)).body.total).toBe(0);
      });
    });
  });
});
