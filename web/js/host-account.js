// @ts-check
import { byId, clearFormErrors, onSubmit, showError, showNotice, showScreen } from './dom.js';
import { api } from './rest-client.js';

/**
 * The account panel: the signed-in host's email, a password change and the deletion of the account, as forms like
 * the sign-in's (host-forms.js). `hooks.token()` is the stored user token; `passwordChanged(token)` keeps the new one
 * (the server refuses the old one from then on); `deleted()` signs out; `signInAgain(message)` for a 401.
 * @param {{ token: () => string | undefined, passwordChanged: (token: string) => void, deleted: () => void, signInAgain: (message: string) => void }} hooks
 */
export function initAccountPanel(hooks) {
  const password = byId('password-form', HTMLFormElement);
  const removal = byId('delete-account-form', HTMLFormElement);
  const field = (id) => byId(id, HTMLInputElement);

  /** Runs a form's request (`false`: not sent, the form is kept); a 401 means the sign-in is over. */
  const submitWith = (form, inputs, run) =>
    onSubmit(
      form,
      inputs,
      async () => {
        if ((await run()) === false) return;
        clearFormErrors(form);
        form.reset();
      },
      (err) => {
        if (err.status !== 401) return false;
        hooks.signInAgain(err.message);
        return true;
      },
    );

  submitWith(password, { currentPassword: 'password-current', newPassword: 'password-new' }, async () => {
    const body = { currentPassword: field('password-current').value, newPassword: field('password-new').value };
    const { token } = await api('POST', '/me/password', { token: hooks.token(), body });
    hooks.passwordChanged(token);
    showError(null);
    showNotice('Password changed. Other devices signed in to this account must sign in again.');
  });

  submitWith(removal, { password: 'delete-password' }, async () => {
    if (!confirm('Delete your account for good? Your own questions and categories go, and any room you host now ends.')) return false;
    await api('DELETE', '/me', { token: hooks.token(), body: { password: field('delete-password').value } });
    hooks.deleted();
  });

  return {
    /** Shows the panel with the account as the server has it now. */
    async show() {
      showScreen('account');
      showNotice(null);
      try {
        const me = await api('GET', '/me', { token: hooks.token() });
        byId('account-email').textContent = me.email;
        byId('account-since').textContent = new Date(me.createdAt).toLocaleDateString();
      } catch (err) {
        if (err.status === 401) hooks.signInAgain(err.message);
        else showError(`Could not load your account: ${err.message}`);
      }
    },
  };
}
