// @ts-check
import { byId, clearFormErrors, h, onSubmit, showError } from './dom.js';
import { api } from './rest-client.js';

/**
 * Wires the sign-in and register forms. Both end in `onSignedIn({ token, displayName, userId })`;
 * a refusal (wrong password, email taken, bad field) is shown as the api worded it.
 */
export function initAuthForms(onSignedIn) {
  const login = byId('login-form');
  const register = byId('register-form');
  const switchTo = (showRegister) => {
    login.hidden = showRegister;
    register.hidden = !showRegister;
    byId('auth-title').textContent = showRegister ? 'Create a host account' : 'Sign in to host';
    showError(null);
  };
  byId('to-register').addEventListener('click', () => switchTo(true));
  byId('to-login').addEventListener('click', () => switchTo(false));

  /** Signs in with what `request` answers (a sign-in or a registration); a refusal is shown at the form. */
  const submitWith = (form, request, inputs) =>
    onSubmit(form, inputs, async () => {
      const { token, user } = await request();
      showError(null);
      clearFormErrors(form);
      onSignedIn({ token, displayName: user.displayName, userId: user.id });
    });
  submitWith(
    login,
    () =>
      api('POST', '/auth/login', { body: { email: byId('login-email', HTMLInputElement).value, password: byId('login-password', HTMLInputElement).value } }),
    { email: 'login-email', password: 'login-password' },
  );
  submitWith(
    register,
    () =>
      api('POST', '/auth/register', {
        body: {
          displayName: byId('register-name', HTMLInputElement).value,
          email: byId('register-email', HTMLInputElement).value,
          password: byId('register-password', HTMLInputElement).value,
        },
      }),
    { displayName: 'register-name', email: 'register-email', password: 'register-password' },
  );
}

/**
 * Fills the category list from GET /categories (what the host may pick: categories holding a question they may ask, and their
 * own), keeping the choice made; the room can still be created with "any". A room too few questions fit is refused with a 409.
 */
export async function loadCategories(token, signInAgain) {
  const select = byId('create-category', HTMLSelectElement);
  try {
    const { categories } = await api('GET', '/categories', { token });
    const chosen = select.value;
    select.replaceChildren(select.options[0], ...categories.map((c) => h('option', { value: c.category }, `${c.category} (${c.total})`)));
    select.value = chosen;
  } catch (err) {
    // A token a password change revoked, or whose account is gone: the stored sign-in is useless.
    if (err.status === 401) return signInAgain(err.message);
    showError(`Could not load the categories: ${err.message}`);
  }
}

/** The room settings the form describes, in the shape POST /rooms takes. */
export function readCreateForm() {
  const number = (id) => Number(byId(id, HTMLInputElement).value);
  return {
    questionCount: number('create-count'),
    questionSeconds: number('create-seconds'),
    revealSeconds: number('create-reveal'),
    category: byId('create-category', HTMLSelectElement).value || null,
    difficulty: byId('create-difficulty', HTMLSelectElement).value || null,
    mode: byId('create-mode', HTMLSelectElement).value,
    pointsPerQuestion: byId('create-double', HTMLInputElement).checked ? 2000 : number('create-points'),
    streakBonus: byId('create-streak', HTMLInputElement).checked,
    resultsPublic: byId('create-results-public', HTMLInputElement).checked,
    passphrase: byId('create-passphrase', HTMLInputElement).value || undefined,
  };
}
