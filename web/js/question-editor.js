// @ts-check
import { CHOICE_LETTERS, byId, clearFormErrors, h, showError, showFormErrors } from './dom.js';
import { ApiError, api } from './rest-client.js';

/**
 * The host's question editor: write and edit questions of every type, with a preview of the tiles the
 * players will see, and the list of the host's own questions. A category of one's own is a quiz: a
 * new game in that category plays its questions.
 */

/** The form's inputs by the field names of POST /questions. */
const FIELDS = {
  category: 'qe-category',
  difficulty: 'qe-difficulty',
  type: 'qe-type',
  text: 'qe-text',
  choices: 'qe-choices',
  correct: 'qe-correct',
  accepted: 'qe-accepted',
};

let token = null;
/** Called with the server's message when a call answers 401: the host signs in again. */
let onSignedOut = (/** @type {string} */ _message) => {};
/** The id of the question being edited, or null for a new one. */
let editing = null;

const lines = (id) =>
  byId(id, HTMLTextAreaElement)
    .value.split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

function choicesFor(type) {
  if (type === 'boolean') return ['True', 'False'];
  return type === 'type-answer' ? [] : lines('qe-choices');
}

function readForm() {
  const type = byId('qe-type', HTMLSelectElement).value;
  const correct = byId('qe-correct', HTMLSelectElement).value;
  return {
    category: byId('qe-category', HTMLInputElement).value,
    difficulty: byId('qe-difficulty', HTMLSelectElement).value,
    type,
    text: byId('qe-text', HTMLTextAreaElement).value,
    ...(type === 'boolean' ? {} : { choices: choicesFor(type) }),
    correct: (type === 'multiple' || type === 'boolean') && correct !== '' ? [Number(correct)] : [],
    accepted: type === 'type-answer' ? lines('qe-accepted') : [],
  };
}

function renderPreview(q) {
  const choices = choicesFor(q.type);
  byId('qe-preview').replaceChildren(
    h('p', { className: 'preview-meta' }, `${q.category || 'No category yet'} · ${q.difficulty}`),
    h('p', { className: 'preview-text' }, q.text || 'Your question appears here.'),
    q.type === 'type-answer'
      ? h('p', { className: 'preview-accepted' }, `Players type their answer. Counted: ${q.accepted.join(', ') || 'none yet'}`)
      : h(
          'div',
          { className: `choices choices-${choices.length}` },
          ...choices.map((text, i) =>
            h(
              'div',
              { className: `choice choice-${i}${q.correct.includes(i) ? ' is-correct' : ''}` },
              h('span', { className: 'choice-letter' }, CHOICE_LETTERS[i]),
              h('span', { className: 'choice-text' }, text),
            ),
          ),
        ),
    h('p', { className: 'hint', hidden: q.type !== 'poll' }, 'A poll has no right answer and scores no points.'),
  );
}

/** Shows the fields the type needs, refills the correct-choice list, and redraws the preview. */
function sync() {
  const type = byId('qe-type', HTMLSelectElement).value;
  byId('qe-choices-label').hidden = type === 'boolean' || type === 'type-answer';
  byId('qe-correct-label').hidden = type === 'type-answer' || type === 'poll';
  byId('qe-accepted-label').hidden = type !== 'type-answer';
  const select = byId('qe-correct', HTMLSelectElement);
  const was = select.value;
  const choices = choicesFor(type);
  select.replaceChildren(...choices.map((text, i) => h('option', { value: String(i) }, `${CHOICE_LETTERS[i]}: ${text}`)));
  if (was !== '' && Number(was) < choices.length) select.value = was;
  renderPreview(readForm());
}

function fill(q) {
  editing = q?.id ?? null;
  byId('qe-text', HTMLTextAreaElement).value = q?.text ?? '';
  byId('qe-choices', HTMLTextAreaElement).value = q && q.type !== 'boolean' ? q.choices.join('\n') : '';
  byId('qe-accepted', HTMLTextAreaElement).value = q ? q.accepted.join('\n') : '';
  if (q) {
    byId('qe-category', HTMLInputElement).value = q.category;
    byId('qe-type', HTMLSelectElement).value = q.type;
    byId('qe-difficulty', HTMLSelectElement).value = q.difficulty;
  }
  sync();
  if (q) byId('qe-correct', HTMLSelectElement).value = String(q.correct[0] ?? '');
  renderPreview(readForm());
  byId('qe-save').textContent = editing ? 'Save changes' : 'Save question';
  byId('qe-cancel').hidden = !editing;
  clearFormErrors(byId('qe-form'));
}

/** The most questions one GET /questions page holds; the list shows `listed` of them, a page more at each "Show more". */
const PAGE = 100;
let listed = PAGE;

async function refreshList() {
  const items = [];
  let total = 0;
  do {
    const page = await api('GET', `/questions?author=me&limit=${PAGE}&offset=${items.length}`, { token });
    items.push(...page.items);
    total = page.total;
    if (page.items.length === 0) break;
  } while (items.length < Math.min(total, listed));
  byId('qe-count').textContent = String(total);
  const more = byId('qe-more', HTMLButtonElement);
  more.hidden = items.length >= total;
  more.textContent = `Show ${Math.min(PAGE, total - items.length)} more`;
  byId('qe-list').replaceChildren(
    ...items.map((q) =>
      h(
        'li',
        {},
        h('span', { className: 'qe-item-text' }, q.text),
        h('span', { className: 'qe-item-meta' }, ` ${q.category} · ${q.type} `),
        h('button', { type: 'button', className: 'btn-link', onclick: () => fill(q) }, 'Edit'),
        h('button', { type: 'button', className: 'btn-link', onclick: () => remove(q) }, 'Delete'),
      ),
    ),
  );
}

async function remove({ id, text }) {
  if (!confirm(`Delete the question "${text.length > 80 ? `${text.slice(0, 80)}…` : text}"? Rooms already made keep it.`)) return;
  try {
    await api('DELETE', `/questions/${id}`, { token });
    if (editing === id) fill(null);
    await refreshList();
  } catch (err) {
    if (err.status === 401) onSignedOut(err.message);
    else showError(err.message);
  }
}

async function save(event) {
  event.preventDefault();
  const button = byId('qe-save', HTMLButtonElement);
  button.disabled = true;
  try {
    const body = readForm();
    await api(editing ? 'PUT' : 'POST', editing ? `/questions/${editing}` : '/questions', { token, body });
    showError(null);
    fill(null);
    await refreshList();
    byId('qe-text', HTMLTextAreaElement).focus();
  } catch (err) {
    if (err.status === 401) onSignedOut(err.message);
    else showFormErrors(byId('qe-form'), err, FIELDS);
  } finally {
    button.disabled = false;
  }
}

/** `3.choices` → `3 (choices)`: the row, and the field at fault when there is one. */
const rowOf = (path) => {
  const dot = path.indexOf('.');
  return dot < 0 ? path : `${path.slice(0, dot)} (${path.slice(dot + 1)})`;
};

/** Imports a CSV file or an Open Trivia DB answer; a file with a bad row imports nothing and lists each problem. */
async function importFile(event) {
  event.preventDefault();
  const file = byId('qi-file', HTMLInputElement).files?.[0];
  const format = byId('qi-format', HTMLSelectElement).value;
  const report = byId('qi-report');
  if (!file) return showError('Choose a file to import.');
  const button = byId('qi-submit', HTMLButtonElement);
  button.disabled = true;
  try {
    const raw = { text: await file.text(), type: format === 'csv' ? 'text/csv' : 'application/json' };
    const { imported } = await api('POST', `/questions/import?format=${format}`, { token, raw });
    showError(null);
    report.replaceChildren(h('p', {}, `Imported ${imported} ${imported === 1 ? 'question' : 'questions'}.`));
    await refreshList();
  } catch (err) {
    if (err instanceof ApiError && err.code === 'IMPORT_REJECTED') {
      // All or nothing: every bad row is listed, with the field at fault, and nothing was saved.
      showError(null);
      report.replaceChildren(
        h('p', {}, `Nothing was imported. ${err.message}`),
        h('ul', {}, ...err.fields.map((f) => h('li', {}, `Row ${rowOf(f.path)}: ${f.message}`))),
      );
    } else if (err instanceof ApiError && err.status === 401) {
      report.replaceChildren();
      onSignedOut(err.message);
    } else {
      report.replaceChildren();
      showError(`The file was not imported: ${err instanceof Error ? err.message : String(err)}`);
    }
  } finally {
    button.disabled = false;
  }
}

/** Wires the editor once; `onDone` goes back to the new-game form, `signedOut(message)` to the sign-in on a 401. */
export function initQuestionEditor(onDone, signedOut) {
  onSignedOut = signedOut;
  const form = byId('qe-form');
  form.addEventListener('submit', save);
  form.addEventListener('input', sync);
  byId('qi-form').addEventListener('submit', importFile);
  byId('qe-cancel').addEventListener('click', () => fill(null));
  byId('qe-more').addEventListener('click', () => {
    listed += PAGE;
    void refreshList().catch((err) => showError(err.message));
  });
  byId('qe-done').addEventListener('click', onDone);
}

/** Opens the editor for the signed-in host. */
export async function openQuestionEditor(hostToken) {
  token = hostToken;
  fill(null);
  try {
    const { categories } = await api('GET', '/categories', { token });
    byId('qe-categories').replaceChildren(...categories.map((c) => h('option', { value: c.category })));
    await refreshList();
  } catch (err) {
    if (err.status === 401) onSignedOut(err.message);
    else showError(err.message);
  }
}
