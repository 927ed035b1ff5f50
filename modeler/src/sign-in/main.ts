/**
 * The sign-in page: posts the form as JSON, shows the server's answer
 * (wrong credentials, too many attempts), and goes on to `next` (a local path).
 * Or an API token (the admin token, a personal token): checked against
 * /api/me, then kept for this tab as every page's shared client keeps one
 * (shared/weft-fetch.ts), so /inbox, /modeler and /operations all use it.
 */
import { TOKEN_KEY } from '../shared/weft-fetch.js';

const form = document.querySelector<HTMLFormElement>('[data-testid=sign-in-form]')!;
const error = document.querySelector<HTMLElement>('[data-testid=sign-in-error]')!;
const params = new URLSearchParams(location.search);
const next = /^\/(?![/\\])/.test(params.get('next') ?? '') ? params.get('next')! : '/inbox';
(form.elements.namedItem('next') as HTMLInputElement).value = next;

function showError(message: string): void {
  error.textContent = message;
  error.hidden = false;
}

if (params.get('error')) showError(params.get('error')!);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
  if (!data.username?.trim() || !data.password) return showError('Enter your user name and password.');
  const button = form.querySelector('button')!;
  button.disabled = true;
  try {
    const res = await fetch('/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
    if (res.ok) {
      // A token kept from before would be sent instead of the new session: the session is what the person chose now.
      sessionStorage.removeItem(TOKEN_KEY);
      location.assign(next);
      return;
    }
    const body = await res.json().catch(() => null);
    showError(body?.error?.message ?? `Sign-in failed (${res.status})`);
    (form.elements.namedItem('password') as HTMLInputElement).select();
  } catch {
    showError('Weft cannot be reached. Check your connection and try again.');
  } finally {
    button.disabled = false;
  }
});

const tokenForm = document.querySelector<HTMLFormElement>('[data-testid=token-form]')!;
const tokenError = document.querySelector<HTMLElement>('[data-testid=token-error]')!;

tokenForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const token = String(new FormData(tokenForm).get('token') ?? '').trim();
  const refuse = (message: string) => {
    tokenError.textContent = message;
    tokenError.hidden = false;
  };
  if (!token) return refuse('Paste an API token.');
  try {
    const res = await fetch('/api/me', { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    if (!res.ok) return refuse(res.status === 401 ? 'That token was refused: it is unknown, revoked, or its user is disabled.' : `Weft answered ${res.status}.`);
    sessionStorage.setItem(TOKEN_KEY, token);
    location.assign(next);
  } catch {
    refuse('Weft cannot be reached. Check your connection and try again.');
  }
});
