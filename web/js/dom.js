// @ts-check
/** Small DOM helpers. Text always goes in through textContent: nicknames and questions are never markup. */

/**
 * The element with this id; with `type`, checked to be one: `byId('join-code', HTMLInputElement).value`.
 * @template {HTMLElement} [T=HTMLElement]
 * @param {string} id
 * @param {{ new (): T }} [type]
 * @returns {T}
 */
export function byId(id, type) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  if (type && !(el instanceof type)) throw new Error(`#${id} is not a ${type.name}`);
  return /** @type {T} */ (el);
}

/**
 * Creates an element: `h('li', { className: 'row' }, 'text', child)`.
 * @param {string} tag
 * @param {Record<string, unknown>} [props] properties; `dataset` and `style` objects are merged
 * @param {...(Node|string|number|null|undefined|false)} children
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset' || key === 'style') Object.assign(el[key], value);
    else el[key] = value;
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'object' ? child : String(child));
  }
  return el;
}

/** Shows the one `[data-screen]` section with this name and hides the others. */
export function showScreen(name) {
  for (const section of document.querySelectorAll(/** @type {'section'} */ ('section[data-screen]'))) {
    section.hidden = section.getAttribute('data-screen') !== name;
  }
  document.body.dataset.showing = name;
}

/** The banner at the top of the page: an error message, or nothing. */
export function showError(message) {
  const banner = byId('error');
  banner.textContent = message ?? '';
  banner.hidden = !message;
}

/**
 * Runs `run` on the form's submit, its submit button disabled meanwhile. A failure goes to `onError` when that takes
 * it (returns true); otherwise it is shown at the form (showFormErrors, `inputs` as there).
 * @param {HTMLFormElement} form
 * @param {Record<string, string>} inputs
 * @param {() => Promise<unknown>} run
 * @param {(err: any) => boolean} [onError]
 */
export function onSubmit(form, inputs, run, onError = () => false) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
    button.disabled = true;
    try {
      await run();
    } catch (err) {
      if (!onError(err)) showFormErrors(form, err, inputs);
    } finally {
      button.disabled = false;
    }
  });
}

/**
 * Shows a refused form's problems: each beside its field (`inputs` maps the api's field names to
 * input ids), in the field's own words ("Your name must not be empty"), and a short line in the
 * banner; a problem that no field owns goes to the banner as the api worded it.
 * @param {HTMLFormElement} form
 * @param {{ message: string, fields?: { path: string, message: string }[] }} err
 * @param {Record<string, string>} inputs
 */
export function showFormErrors(form, err, inputs) {
  clearFormErrors(form);
  let shown = 0;
  for (const { path, message } of err.fields ?? []) {
    const input = inputs[path] && document.getElementById(inputs[path]);
    if (!input) continue;
    const label = input.closest('label')?.firstChild?.textContent?.trim() || path;
    input.setAttribute('aria-invalid', 'true');
    // Some schemas word their own messages with the field's name first ("nickname must not be empty").
    const words = message.replace(new RegExp(`^${path}\\s+`, 'i'), '');
    const note = h('p', { className: 'field-error', id: `${input.id}-error` }, `${label} ${words}.`);
    input.setAttribute('aria-describedby', note.id);
    (input.closest('label') ?? input).after(note);
    shown++;
  }
  const others = (err.fields ?? []).length - shown;
  showError(shown && !others ? 'Please check the fields marked below.' : err.message);
}

/** @param {HTMLFormElement} form */
export function clearFormErrors(form) {
  for (const note of form.querySelectorAll('.field-error')) note.remove();
  for (const input of form.querySelectorAll('[aria-invalid]')) {
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
  }
}

/** A quieter status line (reconnecting, waiting): a message, or nothing. */
export function showNotice(message) {
  const notice = byId('notice');
  notice.textContent = message ?? '';
  notice.hidden = !message;
}

export function formatPoints(n) {
  return new Intl.NumberFormat('en').format(n);
}

/** Letters on the answer tiles; colours come from the CSS (`.choice-0` …). */
export const CHOICE_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];

/** Reads a JSON value from localStorage; a missing or broken entry is null. */
export function loadStored(key) {
  try {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

export function store(key, value) {
  if (value === null) localStorage.removeItem(key);
  else localStorage.setItem(key, JSON.stringify(value));
}
